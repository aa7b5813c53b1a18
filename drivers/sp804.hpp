// ARM Dual-Timer Module (SP804): the second timer free-running as the monitor's clock, the
// first as its one-shot event timer.
// Offsets: SP804 TRM (DDI 0271) 3.2.
#pragma once
#include "core/registers.hpp"
#include "drivers/mmio.hpp"

namespace drivers {

// The registers it drives, from the map it shares with the model (core/registers.hpp).
enum class Sp804_register : uintptr_t {
    load = core::sp804::load,
    value = core::sp804::value,
    control = core::sp804::control,
    interrupt_clear = core::sp804::interrupt_clear,
    masked_status = core::sp804::masked_status,
    load2 = core::sp804::second_timer + core::sp804::load,
    value2 = core::sp804::second_timer + core::sp804::value,
    control2 = core::sp804::second_timer + core::sp804::control,
};

template <typename Access = Hardware_access>
class Sp804 {
public:
    static constexpr uint32_t control_enable = core::sp804::control_enable;
    static constexpr uint32_t control_periodic = core::sp804::control_periodic;
    static constexpr uint32_t control_interrupt = core::sp804::control_interrupt;
    static constexpr uint32_t control_32bit = core::sp804::control_32bit;

    constexpr explicit Sp804(uintptr_t base) : regs_(base) {}

    static constexpr uint32_t control_one_shot = core::sp804::control_one_shot;

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
