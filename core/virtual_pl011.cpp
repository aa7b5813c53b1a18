#include "core/virtual_pl011.hpp"

namespace core {

// Out of line: its two callers (a guest's UART data write, semihosting's console calls) share it.
[[gnu::noinline]] void Line_console::put(char c)
{
    line_[length_++] = c;
    if (c == '\n' || length_ == capacity) flush();
}

void Line_console::flush()
{
    if (!length_ || !out_) return;
    if (!continuing_) {
        out_->put('[');
        for (const char* c = name_; *c; ++c) out_->put(*c);
        out_->put(']');
        out_->put(' ');
    }
    for (unsigned i = 0; i < length_; ++i) out_->put(line_[i]);
    continuing_ = line_[length_ - 1] != '\n';
    length_ = 0;
}

bool Virtual_pl011::receive(char c)
{
    if (full()) return false;
    received_[(head_ + count_++) % fifo_depth] = c;
    registers_[raw_interrupt >> 2] |= interrupt_receive;  // QEMU: at the first character
    stale = true;
    return true;
}

bool Virtual_pl011::read(uint32_t address, unsigned, uint32_t& value)
{
    const uint32_t offset = address & 0xffc;  // the page is the device's
    static constexpr uint8_t identification[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    switch (offset) {
    case data:
        value = 0;
        stale = true;  // the only read that moves the line
        if (count_) {
            value = uint8_t(received_[head_]);
            head_ = uint8_t((head_ + 1) % fifo_depth);
            if (!--count_) registers_[raw_interrupt >> 2] &= ~interrupt_receive;
        }
        break;
    case flags:
        value = flags_idle & ~(count_ ? flag_receive_empty : 0);
        if (count_ >= depth()) value |= flag_receive_full;
        break;
    case masked_interrupt: value = registers_[raw_interrupt >> 2] & registers_[interrupt_mask >> 2]; break;
    default:  // UARTICR's slot stays zero: write() clears UARTRIS instead
        if (offset >= peripheral_id)
            value = identification[(offset - peripheral_id) >> 2];
        else
            value = offset <= dma_control ? registers_[offset >> 2] : 0;  // QEMU: reserved reads as zero
    }
    return true;
}

bool Virtual_pl011::write(uint32_t address, unsigned, uint32_t value)
{
    const uint32_t offset = address & 0xffc;
    stale = true;
    switch (offset) {
    case data:
        console_->put(char(value));
        registers_[raw_interrupt >> 2] |= interrupt_transmit;
        break;
    case receive_status: registers_[receive_status >> 2] = 0; break;  // UARTECR clears the errors
    case raw_interrupt: break;  // read-only (UARTFR and UARTMIS too: read() computes them)
    case interrupt_clear: registers_[raw_interrupt >> 2] &= ~value; break;
    default:
        if (offset <= dma_control) registers_[offset >> 2] = value;  // QEMU ignores the rest
    }
    return true;
}

}  // namespace core
