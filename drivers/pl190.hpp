// ARM PrimeCell Vectored Interrupt Controller (PL190), used as a plain 32-line IRQ
// controller: every line is an IRQ, the monitor reads the status rather than VICVectAddr,
// so the vectored priority logic is never engaged. Offsets: PL190 TRM (DDI 0181) 3.2.
#pragma once
#include "core/divide.hpp"
#include "core/registers.hpp"
#include "drivers/mmio.hpp"

namespace drivers {

// The registers it drives, from the map it shares with the model (core/registers.hpp).
enum class Pl190_register : uintptr_t {
    irq_status = core::pl190::irq_status,
    raw_status = core::pl190::raw_status,
    select = core::pl190::select,
    enable = core::pl190::enable,
    enable_clear = core::pl190::enable_clear,
    soft_clear = core::pl190::soft_clear,
};

template <typename Access = Hardware_access>
class Pl190 {
public:
    static constexpr unsigned lines = 32;

    constexpr explicit Pl190(uintptr_t base) : regs_(base) {}

    void init() const
    {
        regs_.write(Pl190_register::enable_clear, ~0u);
        regs_.write(Pl190_register::soft_clear, ~0u);
        regs_.write(Pl190_register::select, 0);
    }
    void enable(unsigned line) const { regs_.write(Pl190_register::enable, 1u << line); }
    void disable(unsigned line) const { regs_.write(Pl190_register::enable_clear, 1u << line); }
    /// Whether the device drives the line, enabled or not (VICRawIntr).
    bool asserted(unsigned line) const { return regs_.read(Pl190_register::raw_status) >> line & 1; }

    /// The lowest pending line, or no_interrupt. Lines are level-sensitive: the device's own
    /// acknowledgement clears them, so end() has nothing to do.
    int acknowledge() const
    {
        const uint32_t status = regs_.read(Pl190_register::irq_status);
        return status ? int(core::lowest_bit(status)) : no_interrupt;
    }
    void end(int) const {}

private:
    Mmio<Pl190_register, Access> regs_;
};

}  // namespace drivers
