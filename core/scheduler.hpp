// The partitions' scheduler as pure logic: fixed priorities, preemptive; round robin with a
// time slice among equal priorities; an optional budget of CPU time per period for any
// partition; and the accounting of where the processor's time went. The monitor calls pick()
// whenever something may have changed (it charges the time since the last pick to whoever had
// the processor) and programs its event timer for wake_time().
// docs/interrupts.md describes the policy and its bounds.
#pragma once
#include <stdint.h>

namespace core {

class Scheduler {
public:
    static constexpr unsigned capacity = 4;
    static constexpr uint64_t never = ~uint64_t(0);
    enum class State : uint8_t {
        runnable,
        waiting,  // idle in WFI until one of its interrupts is pending
        stopped,
    };

    /// Adds a partition with `priority` (higher runs first), runnable; returns its index.
    /// With a `budget` (microseconds, 0: none) it runs at most that long in every `period`
    /// (microseconds), periods counted from its first pick. Its `slice` (microseconds, 0:
    /// default_slice) is how long it runs before an equal that waits gets the processor.
    unsigned add(uint8_t priority, uint32_t budget = 0, uint32_t period = 0, uint32_t slice = 0)
    {
        Entry& e = entries_[count_];  // as a new scheduler holds it: zero but for these
        e.priority = priority;
        e.budget = budget;
        e.period = period;
        slice_[count_] = slice;
        return count_++;
    }
    unsigned count() const { return count_; }
    State state(unsigned i) const { return entries_[i].state; }
    void set_state(unsigned i, State s) { entries_[i].state = s; }
    uint8_t priority(unsigned i) const { return entries_[i].priority; }

    /// Charges the time since the last pick to whoever had the processor (a partition, or
    /// idle); pick() calls it first. Until the next pick nobody is charged.
    void account(uint64_t now);
    /// The partition to run from `now` (microseconds), or -1 to idle: the highest priority that
    /// is runnable and within its budget; among equals the one whose slice is still running,
    /// else the one that waited longest, which starts a new slice.
    int pick(uint64_t now);
    /// The next moment the choice may change by itself: a slice ends while an equal partition
    /// waits, the running partition's budget runs out, or an exhausted budget is renewed.
    uint64_t next_event() const { return delay_ == ~0u ? never : picked_ + delay_; }

    /// When partition i's current slice ends (meaningful for the one pick() chose).
    uint64_t slice_end(unsigned i) const
    {
        return picked_ + uint64_t(int64_t(int32_t(entries_[i].slice_end - uint32_t(picked_))));
    }

    /// The next moment that can change the choice pick() made (`running`, or -1 for idle): its
    /// own next_event(), `other` (the caller's own deadline), and the next interrupt of the
    /// partitions' devices (`device_event(i)`) — but only of those that could take the
    /// processor: the running partition's own, any higher priority's, and an equal priority's no
    /// earlier than the running slice's end. A lower priority's cannot: however fast a partition
    /// makes its timers fire, it costs the partitions above it nothing (docs/interrupts.md).
    template <typename Device_event>
    uint64_t wake_time(int running, Device_event device_event, uint64_t other) const
    {
        uint64_t wanted = next_event() < other ? next_event() : other;
        for (unsigned i = 0; i < count_; ++i) {
            uint64_t event = device_event(i);
            if (running >= 0 && int(i) != running) {
                const int above = priority(i) - priority(unsigned(running));
                if (above < 0) continue;
                const uint64_t end = slice_end(unsigned(running));
                if (!above && event < end) event = end;
            }
            if (event < wanted) wanted = event;
        }
        return wanted;
    }

    /// Microseconds of processor time each partition (or idle) has been charged, modulo 2^32
    /// (differences over less than 71 minutes are exact).
    uint32_t run_time(unsigned i) const { return entries_[i].run_time; }
    uint32_t idle_time() const { return idle_time_; }

    static constexpr uint32_t default_slice = 10000;

private:
    // Inside, time is 32-bit microseconds that wrap (every 71 minutes): intervals are compared
    // as signed differences, which is exact for intervals under 35 minutes.
    struct Entry {
        uint32_t slice_end, period_end;
        bool in_slice, in_period;  // slice_end / period_end are meaningful
        uint8_t priority;
        State state;
        uint32_t run_time;
        uint32_t budget, period;
        uint32_t left;     // of the budget in this period
        uint32_t started;  // when its last slice started, in slices started so far
    };
    static_assert(sizeof(Entry) == 32, "a power of two: entries_ is indexed by a shift");
    static bool later(uint32_t a, uint32_t b) { return int32_t(a - b) > 0; }
    bool eligible(Entry& e, uint32_t now);
    void event_in(uint32_t delay)
    {
        if (delay < delay_) delay_ = delay;
    }
    Entry entries_[capacity] = {};
    uint32_t slice_[capacity] = {};  // each one's slice, 0: default_slice (in an entry: 36 bytes)
    unsigned count_ = 0;
    uint32_t slices_ = 0;
    int running_ = 0;  // charged from since_ on when charging_; -1: idle
    bool charging_ = false;
    uint32_t since_ = 0;
    uint32_t idle_time_ = 0;
    uint32_t delay_ = 0;  // of the next event after picked_; ~0: none
    uint64_t picked_ = 0;
};

}  // namespace core
