// ARM PrimeCell UART (PL011), polled transmit, interrupt-driven receive. Offsets: PL011 TRM (DDI 0183) 3.2.
#pragma once
#include "drivers/mmio.hpp"

namespace drivers {

enum class Pl011_register : uintptr_t {
    data = 0x000,            // UARTDR
    flags = 0x018,           // UARTFR
    line_control = 0x02c,    // UARTLCR_H
    control = 0x030,         // UARTCR
    interrupt_mask = 0x038,  // UARTIMSC
};

template <typename Access = Hardware_access>
class Pl011 {
public:
    static constexpr uint32_t flag_transmit_full = 1u << 5;  // FR.TXFF
    static constexpr uint32_t flag_receive_empty = 1u << 4;  // FR.RXFE
    static constexpr uint32_t line_fifo_8bit = 0x70;         // LCR_H.WLEN = 8 bits, FEN
    static constexpr uint32_t control_enable = 0x301;        // CR.RXE | CR.TXE | CR.UARTEN
    static constexpr uint32_t interrupt_receive = 1u << 4;   // IMSC.RXIM

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
