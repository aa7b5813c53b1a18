// The partitions' scheduler as pure logic: fixed priorities, preemptive; round robin with a
// time slice among equal priorities. The monitor calls pick() whenever something may have
// changed (a trap, an interrupt, a timer event) and programs its event timer for next_event().
// docs/interrupts.md describes the policy and its bounds.
#pragma once
#include <stdint.h>

namespace core {

class Scheduler {
public:
    static constexpr unsigned capacity = 4;
    enum class State : uint8_t {
        runnable,
        waiting,  // idle in WFI until one of its interrupts is pending
        stopped,
    };

    /// Adds a partition with `priority` (higher runs first), runnable; returns its index.
    unsigned add(uint8_t priority)
    {
        entries_[count_] = {0, 0, priority, State::runnable};
        return count_++;
    }
    unsigned count() const { return count_; }
    State state(unsigned i) const { return entries_[i].state; }
    void set_state(unsigned i, State s) { entries_[i].state = s; }
    uint8_t priority(unsigned i) const { return entries_[i].priority; }

    /// The partition to run at `now` (microseconds), or -1 to idle: the highest priority that
    /// is runnable; among equals the one whose slice is still running, else the one that waited
    /// longest, which starts a new slice.
    int pick(uint64_t now);
    /// When the running partition's slice ends while an equal one waits to run, or `never`.
    uint64_t next_event() const { return next_event_; }

    uint32_t slice = 10000;  // microseconds

private:
    static constexpr uint64_t never = ~uint64_t(0);
    struct Entry {
        uint64_t slice_end;  // 0 or past: not in a slice
        uint32_t started;    // when its last slice started, in slices started so far
        uint8_t priority;
        State state;
    };
    Entry entries_[capacity] = {};
    unsigned count_ = 0;
    uint32_t slices_ = 0;
    uint64_t next_event_ = never;
};

}  // namespace core
