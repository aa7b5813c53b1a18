// The PL011 UART a guest sees when its console is multiplexed onto the monitor's: register by
// register what QEMU's model (hw/char/pl011.c, QEMU 7.2) gives a guest natively, so the guest's
// own driver runs unmodified. Transmitted characters go, a whole line at a time, to the
// monitor's console behind the partition's "[NAME] " prefix. Offsets: PL011 TRM (DDI 0183) 3.2.
#pragma once
#include <stdint.h>

#include "core/access.hpp"
#include "core/format.hpp"
#include "core/registers.hpp"

namespace core {

/// Collects one partition's output and writes it line by line, each line behind `[NAME] `, so
/// partitions and the monitor never interleave within a line. Characters pass unchanged.
/// Made zeroed, as Virtual_gic is (`{}`, or a member of a value-initialised whole, as a
/// partition's board is): its fields without an initialiser start at zero, with no clearing.
class Line_console {
public:
    static constexpr unsigned capacity = 120;

    void bind(Sink& out, const char* name)
    {
        out_ = &out;
        name_ = name;
    }
    void put(char c);
    /// Writes a pending partial line (a line longer than the buffer continues unprefixed).
    void flush();

private:
    Sink* out_;
    const char* name_ = "";
    bool continuing_;  // the last flush ended mid-line
    uint8_t length_;
    char line_[capacity];  // its first length_ characters are the pending line
};

/// Made zeroed, as Virtual_gic is (`{}`, or a member of a value-initialised whole, as a
/// partition's board is): its fields without an initialiser start at zero, with no clearing.
class Virtual_pl011 final : public Mmio_device {
public:
    using Register = pl011::Register;  // the map the driver shares (core/registers.hpp)
    using enum pl011::Register;
    static constexpr uint32_t flags_idle =
        pl011::flag_transmit_empty | pl011::flag_receive_empty;  // never full
    static constexpr uint32_t flag_receive_empty = pl011::flag_receive_empty;
    static constexpr uint32_t flag_receive_full = pl011::flag_receive_full;
    static constexpr uint32_t interrupt_receive = pl011::interrupt_receive;
    static constexpr uint32_t interrupt_transmit = pl011::interrupt_transmit;
    static constexpr uint32_t line_fifo_enable = pl011::line_fifo_enable;
    static constexpr unsigned fifo_depth = 16;

    constexpr Virtual_pl011() = default;
    /// Puts a new model in QEMU's reset state, its output going to `console`.
    void attach(Line_console& console)
    {
        console_ = &console;
        registers_[control >> 2] = pl011::control_transmit | pl011::control_receive;  // as QEMU resets it
        registers_[fifo_level >> 2] = 0x12;                                           // half-full triggers
    }

    /// A character typed for this guest: false when its receive FIFO (one character deep with
    /// FIFOs off) has no room, as QEMU drops it.
    bool receive(char c);
    /// Whether receive() would drop the character: the monitor then leaves it in the physical
    /// UART until the guest reads (QEMU holds its input back the same way).
    bool full() const { return count_ >= depth(); }
    /// UARTINTR: any unmasked interrupt.
    bool level() const { return registers_[raw_interrupt >> 2] & registers_[interrupt_mask >> 2]; }

    bool read(uint32_t address, unsigned size, uint32_t& value) override;
    bool write(uint32_t address, unsigned size, uint32_t value) override;
    /// For the board: level() may have moved since the board last looked (set by every access
    /// and by receive()).
    bool stale;

private:
    Line_console* console_;
    unsigned depth() const { return registers_[line_control >> 2] & line_fifo_enable ? fifo_depth : 1; }

    uint8_t head_, count_;  // of received_ (first: a byte's short load reaches 32 bytes)
    uint32_t registers_[(dma_control >> 2) + 1];  // what the guest wrote, by offset / 4
    char received_[fifo_depth];                   // count_ characters from head_ on
};

}  // namespace core
