#include "core/virtual_twd.hpp"

#include "core/divide.hpp"

namespace core {

void Virtual_twd::Timer::run(uint64_t now)
{
    // arm_mptimer.c timerblock_run: an enabled timer runs unless both its count source and the
    // prescaler are zero.
    running = (control & control_enable) && count;
    deadline = now + uint64_t(count) * divisor();
}

bool Virtual_twd::Timer::advance(uint64_t now)
{
    if (!running || now < deadline) return false;
    status = true;
    // Auto-reload wraps after one more period: load + 1 ticks (ptimer's wrap-after-one-period).
    const uint64_t period = (uint64_t(load) + 1) * divisor();
    if (!(control & control_reload) || !load) {
        running = false;
        count = 0;
        return true;
    }
    const uint64_t late = now - deadline;
    deadline += period;
    if (late >= period) deadline += divide(late, uint32_t(period)) * period;  // the periods missed
    return true;
}

uint32_t Virtual_twd::Timer::current(uint64_t now) const
{
    if (!running) return count;
    return uint32_t(divide(deadline - now + divisor() - 1, divisor()));
}

void Virtual_twd::advance(uint64_t microseconds)
{
    const uint64_t t = microseconds * ticks_per_microsecond;
    for (Timer& timer : timers_) timer.advance(t);
}

uint64_t Virtual_twd::next_event() const
{
    uint64_t next = never;
    for (const Timer& t : timers_)
        if (t.running && !t.status && (t.control & control_interrupt) && t.deadline < next) next = t.deadline;
    // In microseconds, rounded up: the event never comes before the expiry.
    return next == never ? never : divide(next + ticks_per_microsecond - 1, ticks_per_microsecond);
}

Virtual_twd::Timer& Virtual_twd::current(uint32_t offset, uint64_t& time)
{
    Timer& t = timers_[offset / watchdog];
    time = now();
    if (t.advance(time)) stale = true;  // a reading may bring an expiry
    return t;
}

bool Virtual_twd::read(uint32_t address, unsigned, uint32_t& value)
{
    const uint32_t offset = address & 0x3f;
    uint64_t time;
    Timer& t = current(offset, time);
    switch (offset % watchdog) {
    case load: value = t.load; break;
    case counter: value = t.current(time); break;
    case control: value = t.control; break;
    case status: value = t.status; break;
    default: value = 0;
    }
    return true;
}

bool Virtual_twd::write(uint32_t address, unsigned, uint32_t value)
{
    const uint32_t offset = address & 0x3f;
    stale = true;
    uint64_t time;
    Timer& t = current(offset, time);
    switch (offset % watchdog) {
    case load:  // sets the counter too
        t.load = value;
        t.count = value;
        t.run(time);
        break;
    case counter:
        t.count = value;
        t.run(time);
        break;
    case control:
        t.count = t.current(time);
        if ((value & control_reload) && !t.count) t.count = t.load;  // a periodic timer restarts
        t.control = value;
        t.run(time);
        break;
    case status:
        if (value & 1) t.status = false;
        break;
    default: break;
    }
    return true;
}

}  // namespace core
