// ARM PrimeCell UART (PL011), polled transmit, interrupt-driven receive. Offsets: PL011 TRM (DDI 0183) 3.2.
#pragma once
#include "core/registers.hpp"
#include "drivers/mmio.hpp"

namespace drivers {

// The registers it drives, from the map it shares with the model (core/registers.hpp).
enum class Pl011_register : uintptr_t {
    data = core::pl011::data,
    flags = core::pl011::flags,
    line_control = core::pl011::line_control,
    control = core::pl011::control,
    interrupt_mask = core::pl011::interrupt_mask,
};

template <typename Access = Hardware_access>
class Pl011 {
public:
    static constexpr uint32_t flag_transmit_full = core::pl011::flag_transmit_full;
    static constexpr uint32_t flag_receive_empty = core::pl011::flag_receive_empty;
    static constexpr uint32_t line_fifo_8bit = core::pl011::line_8bit | core::pl011::line_fifo_enable;
    static constexpr uint32_t control_enable =
        core::pl011::control_receive | core::pl011::control_transmit | core::pl011::control_enable;
    static constexpr uint32_t interrupt_receive = core::pl011::interrupt_receive;

    constexpr explicit Pl011(uintptr_t base) : regs_(base) {}

    /// Keeps the baud rate the boot firmware set (QEMU ignores it); 8N1 with FIFOs.
    void init() const
    {
        regs_.write(Pl011_register::control, 0);
        regs_.write(Pl011_register::interrupt_mask, 0);
        regs_.write(Pl011_register::line_control, line_fifo_8bit);
        regs_.write(Pl011_register::control, control_enable);
    }

    void put(char c) const
    {
        while (regs_.read(Pl011_register::flags) & flag_transmit_full) {}
        regs_.write(Pl011_register::data, uint8_t(c));
    }

    /// Interrupts while the receive FIFO holds characters (RXIM; QEMU models no timeout).
    void set_receive_interrupt(bool on) const
    {
        regs_.write(Pl011_register::interrupt_mask, on ? interrupt_receive : 0);
    }
    /// The next received character, if there is one.
    bool get(char& c) const
    {
        if (regs_.read(Pl011_register::flags) & flag_receive_empty) return false;
        c = char(regs_.read(Pl011_register::data));
        return true;
    }

private:
    Mmio<Pl011_register, Access> regs_;
};

}  // namespace drivers
