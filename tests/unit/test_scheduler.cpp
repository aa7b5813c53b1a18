// The scheduler's policy: fixed priorities, round robin with a slice among equals, idling.
#include <catch2/catch.hpp>

#include "core/scheduler.hpp"

using namespace core;
using State = Scheduler::State;

TEST_CASE("Scheduler: the highest runnable priority runs; nobody runnable means idle")
{
    Scheduler s;
    const unsigned radio = s.add(2), work = s.add(1), home = s.add(1);
    CHECK(s.pick(0) == int(radio));
    CHECK(s.next_event() == ~uint64_t(0));  // nobody else at its level
    s.set_state(radio, State::waiting);
    CHECK(s.pick(10) == int(work));
    CHECK(s.next_event() == 10 + Scheduler::default_slice);  // home waits its turn
    s.set_state(radio, State::runnable);                     // its interrupt arrived: it preempts at once
    CHECK(s.pick(20) == int(radio));
    s.set_state(radio, State::waiting);
    CHECK(s.pick(30) == int(work));  // work resumes its slice
    CHECK(s.next_event() == 10 + Scheduler::default_slice);
    s.set_state(work, State::stopped);
    s.set_state(home, State::waiting);
    CHECK(s.pick(40) == -1);
    CHECK(s.next_event() == ~uint64_t(0));
}

TEST_CASE("Scheduler: equal priorities share the processor a slice at a time")
{
    Scheduler s;
    const unsigned a = s.add(0, 0, 0, 100), b = s.add(0, 0, 0, 100), c = s.add(0, 0, 0, 100);
    CHECK(s.pick(0) == int(a));
    CHECK(s.pick(50) == int(a));
    CHECK(s.pick(100) == int(b));
    CHECK(s.pick(200) == int(c));
    CHECK(s.pick(300) == int(a));
    s.set_state(b, State::waiting);
    CHECK(s.pick(400) == int(c));  // b skipped while it waits
    s.set_state(b, State::runnable);
    CHECK(s.pick(450) == int(c));  // a woken equal does not preempt a running slice
    CHECK(s.pick(500) == int(b));  // but is next: it waited longest
    s.set_state(a, State::stopped);
    s.set_state(c, State::stopped);
    CHECK(s.pick(600) == int(b));
    CHECK(s.next_event() == ~uint64_t(0));
}

TEST_CASE("Scheduler: each partition runs its own slice; 0 is the default")
{
    Scheduler s;
    const unsigned a = s.add(0, 0, 0, 30), b = s.add(0, 0, 0, 100);
    CHECK(s.pick(0) == int(a));
    CHECK(s.next_event() == 30);
    CHECK(s.pick(29) == int(a));
    CHECK(s.pick(30) == int(b));
    CHECK(s.next_event() == 130);
    CHECK(s.pick(129) == int(b));
    CHECK(s.pick(130) == int(a));
}

TEST_CASE("Scheduler: a budget caps a partition's time per period, even at the highest priority")
{
    Scheduler s;
    const unsigned radio = s.add(2, 300, 1000), work = s.add(1);
    CHECK(s.pick(0) == int(radio));  // its first period: 0 to 1000
    CHECK(s.next_event() == 300);    // when its budget runs out
    CHECK(s.pick(100) == int(radio));
    CHECK(s.next_event() == 300);
    s.account(150);  // the monitor takes the processor: 150 charged
    s.set_state(radio, State::waiting);
    CHECK(s.pick(160) == int(work));  // the monitor's 10 us are nobody's
    s.set_state(radio, State::runnable);
    CHECK(s.pick(400) == int(radio));
    CHECK(s.next_event() == 550);       // 150 of 300 left
    CHECK(s.pick(550) == int(work));    // exhausted: work runs
    CHECK(s.next_event() == 1000);      // until the radio's budget is renewed
    CHECK(s.pick(1000) == int(radio));  // renewed
    CHECK(s.next_event() == 1300);
    CHECK(s.run_time(radio) == 300);
    CHECK(s.run_time(work) == 240 + 450);
    s.set_state(work, State::stopped);
    CHECK(s.pick(1300) == -1);  // exhausted and nobody else: idle until 2000
    CHECK(s.next_event() == 2000);
    CHECK(s.pick(2000) == int(radio));
    CHECK(s.idle_time() == 700);
    s.set_state(radio, State::waiting);
    CHECK(s.pick(2100) == -1);
    s.set_state(radio, State::runnable);
    CHECK(s.pick(5500) == int(radio));  // periods missed while waiting: the next starts now
    CHECK(s.next_event() == 5800);
}

TEST_CASE("Scheduler: time is charged to whoever had the processor, the monitor's to nobody")
{
    Scheduler s;
    const unsigned a = s.add(0);
    CHECK(s.pick(0) == int(a));
    s.account(40);
    s.account(50);  // already charged: nothing more
    CHECK(s.pick(60) == int(a));
    s.set_state(a, State::waiting);
    CHECK(s.pick(100) == -1);
    s.account(130);
    CHECK(s.run_time(a) == 80);
    CHECK(s.idle_time() == 30);
}

TEST_CASE("Scheduler: it wakes for the device events that could change its choice, and no others")
{
    Scheduler s;
    const unsigned radio = s.add(2), work = s.add(1, 0, 0, 1000), home = s.add(1), low = s.add(0);
    const uint64_t never = Scheduler::never;
    uint64_t events[4] = {never, never, never, never};
    const auto event = [&events](unsigned i) { return events[i]; };
    s.set_state(radio, State::waiting);
    REQUIRE(s.pick(100) == int(work));                    // its slice: 100 to 1100; home waits its turn
    CHECK(s.wake_time(int(work), event, never) == 1100);  // the slice's end
    CHECK(s.wake_time(int(work), event, 500) == 500);     // the caller's own deadline
    events[low] = 200;                                    // below the running one:
    CHECK(s.wake_time(int(work), event, never) == 1100);  // cannot take the processor
    events[home] = 300;                                   // an equal one's, before the slice's end:
    CHECK(s.wake_time(int(work), event, never) == 1100);  // deferred to it
    events[work] = 250;                                   // the running one's own
    CHECK(s.wake_time(int(work), event, never) == 250);
    events[radio] = 150;  // a higher one's
    CHECK(s.wake_time(int(work), event, never) == 150);
    CHECK(s.wake_time(-1, event, never) == 150);  // idle: every partition's counts
    events[radio] = never;
    CHECK(s.wake_time(-1, event, never) == 200);  // the lowest's too
}
