// Typed MMIO: a register block is a base address plus a scoped enum of offsets. The access
// policy is a template parameter so host tests can record a driver's exact access sequence.
#pragma once
#include <stdint.h>

namespace drivers {

/// Real hardware: volatile 32-bit loads and stores.
struct Hardware_access {
    static uint32_t read(uintptr_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
    static void write(uintptr_t address, uint32_t value)
    {
        *reinterpret_cast<volatile uint32_t*>(address) = value;
    }
};

template <typename Offset, typename Access>
class Mmio {
public:
    constexpr explicit Mmio(uintptr_t base) : base_(base) {}
    uint32_t read(Offset offset) const { return Access::read(base() + uintptr_t(offset)); }
    void write(Offset offset, uint32_t value) const { Access::write(base() + uintptr_t(offset), value); }
    /// For banked registers: the n-th 32-bit word from `offset`.
    uint32_t read(Offset offset, unsigned n) const { return Access::read(base_ + uintptr_t(offset) + 4 * n); }
    void write(Offset offset, unsigned n, uint32_t value) const
    {
        Access::write(base() + uintptr_t(offset) + 4 * n, value);
    }

private:
    /// The base in a register that neighbouring accesses share, rather than every register's
    /// address as a literal of its own (the banked read, typically in a loop over its index,
    /// gains nothing from it and keeps the plain base).
    uintptr_t base() const
    {
        uintptr_t base = base_;
        asm("" : "+r"(base));
        return base;
    }
    uintptr_t base_;
};

/// What an interrupt controller's acknowledge() returns when nothing is pending.
inline constexpr int no_interrupt = -1;

}  // namespace drivers
