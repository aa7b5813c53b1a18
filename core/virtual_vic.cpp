#include "core/virtual_vic.hpp"

namespace core {

namespace {
constexpr uint8_t slot_enable = 0x20;
}

// Out of line: read() and irq() share one copy.
[[gnu::noinline]] uint32_t Virtual_vic::higher_than(unsigned level) const
{
    if (level > slots) return ~0u;  // nothing in service: every line
    uint32_t mask = 0;
    for (unsigned i = 0; i < level; ++i)
        if (state_.controls[i] & slot_enable) mask |= 1u << (state_.controls[i] & 0x1f);
    return mask;
}

unsigned Virtual_vic::outputs() const
{
    if (!known_outputs_) known_outputs_ = uint8_t(1 + (unsigned(irq()) | unsigned(fiq()) << 1));
    return known_outputs_ - 1u;
}

bool Virtual_vic::read(uint32_t address, unsigned, uint32_t& value)
{
    static constexpr uint8_t identification[8] = {0x90, 0x11, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    const uint32_t offset = address & 0xfff;
    value = 0;
    if (offset >= peripheral_id) {
        value = identification[(offset - peripheral_id) >> 2];
    } else if (offset - vector_addresses < 4 * slots) {
        value = state_.addresses[(offset - vector_addresses) >> 2];
    } else if (offset - vector_controls < 4 * slots) {
        value = state_.controls[(offset - vector_controls) >> 2];
    } else if (offset <= default_address + 3) {
        switch (offset & ~3u) {
        case irq_status: value = irq_lines(); break;
        case fiq_status: value = pending() & state_.registers[select / 4]; break;
        case raw_status: value = pending(); break;
        case vector_address: {
            // Entering an ISR: the current level rises to the highest pending vectored line's.
            unsigned level = 0;
            while (level < priority_ && !(pending() & higher_than(level + 1))) ++level;
            if (level == slots + 1) {  // nothing pending: QEMU answers the default address
                value = state_.registers[default_address / 4];
                break;
            }
            if (level < priority_) {
                state_.previous[level] = priority_;
                priority_ = uint8_t(level);
                known_outputs_ = 0;
            }
            value = priority_ < slots ? state_.addresses[priority_] : state_.registers[default_address / 4];
            break;
        }
        default: value = state_.registers[offset >> 2]; break;  // zero where nothing is kept
        }
    }
    return true;
}

bool Virtual_vic::write(uint32_t address, unsigned, uint32_t value)
{
    const uint32_t offset = address & 0xfff, mine = value & owned_;
    uint32_t* const r = state_.registers;
    known_outputs_ = 0;  // whatever it writes
    if (offset - vector_addresses < 4 * slots) {
        state_.addresses[(offset - vector_addresses) >> 2] = value;
    } else if (offset - vector_controls < 4 * slots) {
        state_.controls[(offset - vector_controls) >> 2] = uint8_t(value);
    } else {
        switch (offset & ~3u) {
        case select: r[select / 4] = mine; break;
        case enable: r[enable / 4] |= mine; break;
        case enable_clear: r[enable / 4] &= ~value; break;
        case soft: r[soft / 4] |= mine; break;
        case soft_clear: r[soft / 4] &= ~value; break;
        case protection: r[protection / 4] = value & 1; break;
        case vector_address:  // the ISR is done: back to the level it interrupted
            if (priority_ <= slots) priority_ = state_.previous[priority_];
            break;
        case default_address: r[default_address / 4] = value; break;
        default: break;  // VICIRQStatus and the rest are read-only or reserved
        }
    }
    return true;
}

}  // namespace core
