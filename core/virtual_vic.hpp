// The PL190 vectored interrupt controller a guest sees on versatilepb: register by register what
// QEMU's model (hw/intc/pl190.c, QEMU 7.2) gives a guest natively, including the vectored
// priority logic (reading VICVectAddr raises the current priority to the interrupt's, writing it
// restores the previous one), for the lines the guest owns. Lines it does not own never assert
// and their enable, select and soft bits read as zero and ignore writes.
// Offsets: PL190 TRM (DDI 0181) 3.2.
#pragma once
#include <stdint.h>

#include "core/access.hpp"
#include "core/registers.hpp"

namespace core {

class Virtual_vic final : public Mmio_device {
public:
    using Register = pl190::Register;  // the map the driver shares (core/registers.hpp)
    using enum pl190::Register;
    static constexpr unsigned slots = 16;  // vectored interrupts; QEMU's 17th level is the default

    /// A new model is in QEMU's reset state; `owned`: the lines (bit n = line n) that are the
    /// guest's.
    explicit Virtual_vic(uint32_t owned) : owned_(owned) {}
    /// Makes `lines` the guest's as well (a board's, for its passed-through devices).
    void own(uint32_t lines) { owned_ |= lines; }
    /// A device's (level-sensitive) line.
    void set_level(unsigned line, bool high)
    {
        const uint32_t bit = (1u << line) & owned_;
        const uint32_t level = high ? state_.level | bit : state_.level & ~bit;
        if (level == state_.level) return;  // the monitor sets every line it may have moved
        state_.level = level;
        known_outputs_ = 0;
    }
    /// The controller's IRQ and FIQ outputs to the virtual CPU, computed from the state now.
    bool irq() const { return (irq_lines() & higher_than(priority_)) != 0; }
    bool fiq() const { return (pending() & state_.registers[select / 4]) != 0; }
    /// Both: bit 0 IRQ, bit 1 FIQ. Asked on every return to the guest, so kept: computed again
    /// only after something they depend on may have changed (a register write, a VICVectAddr
    /// read, a line that changed level).
    unsigned outputs() const;
    /// Whether outputs() holds its value (no recomputation until the state changes; for tests).
    bool outputs_known() const { return known_outputs_ != 0; }
    /// Where 1 + outputs() is kept while it holds (0: to be computed): entry.S reads it.
    static constexpr unsigned outputs_known_offset();

    bool read(uint32_t address, unsigned size, uint32_t& value) override;
    bool write(uint32_t address, unsigned size, uint32_t value) override;

private:
    uint32_t pending() const { return state_.level | state_.registers[soft / 4]; }
    /// VICIRQStatus.
    uint32_t irq_lines() const
    {
        return pending() & state_.registers[enable / 4] & ~state_.registers[select / 4];
    }
    /// The lines of the vector slots above priority level `level` (QEMU's prio_mask).
    uint32_t higher_than(unsigned level) const;

    uint32_t owned_ = 0;
    uint8_t priority_ = slots + 1;       // the current level; 17 = none in service
    mutable uint8_t known_outputs_ = 0;  // 1 + outputs() while it holds; 0: to be computed
    /// The rest of QEMU's reset state is zero: in one block, which a new model clears at once.
    struct {
        /// The registers below VICVectAddr0 that hold a value, by offset / 4 (VICIntSelect,
        /// VICIntEnable, VICSoftInt, VICProtection, VICDefVectAddr); the others stay zero, as
        /// they read.
        uint32_t registers[default_address / 4 + 1];
        uint32_t level;             // the lines
        uint32_t addresses[slots];  // VICVectAddr0-15
        uint8_t controls[slots];
        uint8_t previous[slots + 1];
    } state_ = {};
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr unsigned Virtual_vic::outputs_known_offset()
{
    return __builtin_offsetof(Virtual_vic, known_outputs_);
}
#pragma GCC diagnostic pop

}  // namespace core
