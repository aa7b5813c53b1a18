#include "core/scheduler.hpp"

namespace core {

int Scheduler::pick(uint64_t now)
{
    int chosen = -1;
    for (unsigned i = 0; i < count_; ++i) {
        const Entry& e = entries_[i];
        if (e.state != State::runnable) continue;
        if (chosen >= 0) {
            const Entry& c = entries_[chosen];
            if (e.priority < c.priority) continue;
            if (e.priority == c.priority) {
                if (c.slice_end > now || (e.slice_end <= now && e.started >= c.started)) continue;
            }
        }
        chosen = int(i);
    }
    next_event_ = never;
    if (chosen < 0) return -1;
    Entry& c = entries_[chosen];
    if (c.slice_end <= now) {
        for (unsigned i = 0; i < count_; ++i)  // a new slice: the others at its level forfeit theirs
            if (entries_[i].priority == c.priority) entries_[i].slice_end = 0;
        c.slice_end = now + slice;
        c.started = ++slices_;
    }
    for (unsigned i = 0; i < count_; ++i)
        if (int(i) != chosen && entries_[i].state == State::runnable && entries_[i].priority == c.priority)
            next_event_ = c.slice_end;
    return chosen;
}

}  // namespace core
