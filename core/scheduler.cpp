#include "core/scheduler.hpp"

namespace core {

void Scheduler::account(uint64_t now)
{
    if (!charging_) return;
    charging_ = false;
    const uint32_t spent = uint32_t(now) - since_;
    if (running_ < 0) {
        idle_time_ += spent;
        return;
    }
    Entry& e = entries_[running_];
    e.run_time += spent;
    if (e.budget) e.left = spent < e.left ? e.left - spent : 0;
}

/// Whether `e` may run at `now`, renewing its budget when a period has passed.
bool Scheduler::eligible(Entry& e, uint32_t now)
{
    if (e.state != State::runnable) return false;
    if (!e.budget) return true;
    if (!e.in_period || !later(e.period_end, now)) {  // a new period (a late renewal starts it now)
        e.left = e.budget;
        e.period_end = (e.in_period && later(e.period_end + e.period, now) ? e.period_end : now) + e.period;
        e.in_period = true;
    }
    if (e.left) return true;
    event_in(e.period_end - now);
    return false;
}

int Scheduler::pick(uint64_t now64)
{
    account(now64);
    const uint32_t now = uint32_t(now64);
    picked_ = now64;
    delay_ = ~0u;
    const auto slicing = [now](const Entry& e) { return e.in_slice && later(e.slice_end, now); };
    int chosen = -1;
    for (unsigned i = 0; i < count_; ++i) {
        Entry& e = entries_[i];
        if (!eligible(e, now)) continue;
        if (chosen >= 0) {
            const Entry& c = entries_[chosen];
            if (e.priority < c.priority) continue;
            if (e.priority == c.priority && (slicing(c) || (!slicing(e) && e.started >= c.started))) continue;
        }
        chosen = int(i);
    }
    running_ = chosen;
    charging_ = true;
    since_ = now;
    if (chosen < 0) return -1;
    Entry& c = entries_[chosen];
    const bool renewed = !slicing(c);
    if (renewed) {
        const uint32_t slice = slice_[chosen];
        c.slice_end = now + (slice ? slice : default_slice);
        c.in_slice = true;
        c.started = ++slices_;
    }
    // The others at its level: on a new slice they forfeit theirs; a runnable one takes over
    // at its end.
    for (unsigned i = 0; i < count_; ++i) {
        Entry& e = entries_[i];
        if (int(i) == chosen || e.priority != c.priority) continue;
        if (renewed) e.in_slice = false;
        if (e.state == State::runnable) event_in(c.slice_end - now);
    }
    if (c.budget) event_in(c.left);
    return chosen;
}

}  // namespace core
