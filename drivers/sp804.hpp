// ARM Dual-Timer Module (SP804): the first of its two timers as a periodic tick.
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
};

template <typename Access = Hardware_access>
class Sp804 {
public:
    static constexpr uint32_t control_enable = 1u << 7;
    static constexpr uint32_t control_periodic = 1u << 6;
    static constexpr uint32_t control_interrupt = 1u << 5;
    static constexpr uint32_t control_32bit = 1u << 1;

    constexpr explicit Sp804(uintptr_t base) : regs_(base) {}

    /// Interrupts every `period` timer clocks.
    void start_periodic(uint32_t period) const
    {
        regs_.write(Sp804_register::control, 0);
        regs_.write(Sp804_register::load, period);
        regs_.write(Sp804_register::control,
                    control_enable | control_periodic | control_interrupt | control_32bit);
    }
    bool pending() const { return regs_.read(Sp804_register::masked_status) & 1; }
    void acknowledge() const { regs_.write(Sp804_register::interrupt_clear, 1); }

private:
    Mmio<Sp804_register, Access> regs_;
};

}  // namespace drivers
