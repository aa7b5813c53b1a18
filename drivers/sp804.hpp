// ARM Dual-Timer Module (SP804): the second timer free-running as the monitor's clock, the
// first as its one-shot event timer.
// Offsets: SP804 TRM (DDI 0271) 3.2.
#pragma once
#include "drivers/mmio.hpp"

namespace drivers {

enum class Sp804_register : uintptr_t {
    load = 0x00,             // Timer1Load
    value = 0x04,            // Timer1Value
    control = 0x08,          // Timer1Control
    interrupt_clear = 0x0c,  // Timer1IntClr
    masked_status = 0x14,    // Timer1MIS
    load2 = 0x20,            // Timer2Load
    value2 = 0x24,           // Timer2Value
    control2 = 0x28,         // Timer2Control
};

template <typename Access = Hardware_access>
class Sp804 {
public:
    static constexpr uint32_t control_enable = 1u << 7;
    static constexpr uint32_t control_periodic = 1u << 6;
    static constexpr uint32_t control_interrupt = 1u << 5;
    static constexpr uint32_t control_32bit = 1u << 1;

    constexpr explicit Sp804(uintptr_t base) : regs_(base) {}

    static constexpr uint32_t control_one_shot = 1u << 0;

    /// Timer 2 counts down from 2^32 - 1 forever, without interrupts: the clock.
    void start_clock() const
    {
        regs_.write(Sp804_register::control2, 0);
        regs_.write(Sp804_register::load2, ~0u);
        regs_.write(Sp804_register::control2, control_enable | control_periodic | control_32bit);
    }
    uint32_t clock() const { return regs_.read(Sp804_register::value2); }

    /// Timer 1 interrupts once, `ticks` timer clocks from now (at least 1).
    void start_one_shot(uint32_t ticks) const
    {
        regs_.write(Sp804_register::control, 0);
        regs_.write(Sp804_register::load, ticks);
        regs_.write(Sp804_register::control,
                    control_enable | control_one_shot | control_interrupt | control_32bit);
    }
    bool pending() const { return regs_.read(Sp804_register::masked_status) & 1; }
    void acknowledge() const { regs_.write(Sp804_register::interrupt_clear, 1); }

private:
    Mmio<Sp804_register, Access> regs_;
};

}  // namespace drivers
