#include "core/virtual_sp804.hpp"

#include "core/divide.hpp"

namespace core {

uint64_t Virtual_sp804::Timer::duration(uint32_t ticks) const
{
    return uint64_t(ticks) * (1u << shift());  // a multiply: on ARMv7 smaller than a 64-bit shift
}

uint32_t Virtual_sp804::Timer::reload() const
{
    if (control & (control_periodic | control_one_shot)) return limit;
    return control & control_32bit ? 0xffffffff : 0xffff;  // free-running
}

void Virtual_sp804::Timer::start(uint64_t now)
{
    // ptimer: a counter started at zero fires at once and restarts from the limit; from a zero
    // limit as well it stops.
    if (!count) {
        raw = true;
        count = reload();
    }
    running = count != 0;
    deadline = now + duration(count);
}

bool Virtual_sp804::Timer::advance(uint64_t now)
{
    if (!running || now < deadline) return false;
    raw = true;
    if ((control & control_one_shot) || !period) {
        running = false;
        count = 0;
        return true;
    }
    // Whole periods that have passed as well, counted in 32 bits: exact while the timer is
    // brought up to the clock within 71 minutes of its deadline (or the period is longer still).
    // The board does so when its interrupt falls due and at every access to it; one whose
    // interrupt is already raised, or disabled, waits for the guest's next access.
    const uint64_t late = now - deadline;
    deadline += period;
    uint32_t phase;
    if (late >= period && !(period >> 32))
        deadline += late - (divide(uint32_t(late), uint32_t(period), phase), phase);
    return true;
}

uint32_t Virtual_sp804::Timer::counter(uint64_t now) const
{
    if (!running) return count;
    const unsigned s = shift();
    // Ticks left, rounded up: the low word of left >> s, put together from the halves (Thumb-1
    // has no 64-bit shift but libgcc's).
    const uint64_t left = deadline - now + (1u << s) - 1;
    return uint32_t(left) >> s | uint32_t(left >> 32) << (31 - s) << 1;
}

void Virtual_sp804::advance(uint64_t now)
{
    for (Timer& t : timers_) t.advance(now);
}

bool Virtual_sp804::level() const
{
    for (const Timer& t : timers_)
        if (t.raw && (t.control & control_interrupt)) return true;
    return false;
}

uint64_t Virtual_sp804::next_event() const
{
    uint64_t next = never;
    for (const Timer& t : timers_)
        if (t.running && !t.raw && (t.control & control_interrupt) && t.deadline < next) next = t.deadline;
    return next;
}

Virtual_sp804::Timer& Virtual_sp804::current(uint32_t offset, uint64_t& now)
{
    Timer& t = timers_[offset / second_timer];
    now = clock_->now();
    if (t.advance(now)) stale = true;  // a reading may bring an expiry
    return t;
}

bool Virtual_sp804::read(uint32_t address, unsigned, uint32_t& value)
{
    static constexpr uint8_t identification[8] = {0x04, 0x18, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    const uint32_t offset = address & 0xfff;
    value = 0;
    if (offset >= peripheral_id) {
        value = identification[(offset - peripheral_id) >> 2];
        return true;
    }
    if (offset >= 2 * second_timer) return true;  // reserved and test registers: zero
    uint64_t now;
    Timer& t = current(offset, now);
    switch (offset % second_timer & ~3u) {
    case load:
    case background_load: value = t.limit; break;
    case Register::value: value = t.counter(now); break;
    case control: value = t.control; break;
    case raw_status: value = t.raw; break;
    case masked_status: value = t.raw && (t.control & control_interrupt); break;
    default: break;
    }
    return true;
}

bool Virtual_sp804::write(uint32_t address, unsigned, uint32_t value)
{
    const uint32_t offset = address & 0xfff;
    stale = true;
    if (offset >= 2 * second_timer) return true;
    uint64_t now;
    Timer& t = current(offset, now);
    switch (offset % second_timer & ~3u) {
    case load:  // restarts the count from the new value
        t.limit = value;
        t.count = t.reload();
        if (t.running) t.start(now);
        break;
    case control:
        // QEMU stops the timer, takes the new settings and, when enabled, restarts it from the
        // limit (arm_timer_write: the counter reloads).
        t.count = t.counter(now);
        t.running = false;
        t.control = value;
        if (value & control_enable) {
            t.count = t.reload();
            t.start(now);
        }
        break;
    case background_load: t.limit = value; break;  // from the next reload on
    case interrupt_clear: t.raw = false; [[fallthrough]];
    default: return true;  // TimerXValue and the status are read-only
    }
    t.period = t.duration(t.reload());
    return true;
}

}  // namespace core
