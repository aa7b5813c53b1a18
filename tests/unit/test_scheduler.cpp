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
    CHECK(s.next_event() == 10 + s.slice);  // home waits its turn
    s.set_state(radio, State::runnable);    // its interrupt arrived: it preempts at once
    CHECK(s.pick(20) == int(radio));
    s.set_state(radio, State::waiting);
    CHECK(s.pick(30) == int(work));  // work resumes its slice
    CHECK(s.next_event() == 10 + s.slice);
    s.set_state(work, State::stopped);
    s.set_state(home, State::waiting);
    CHECK(s.pick(40) == -1);
    CHECK(s.next_event() == ~uint64_t(0));
}

TEST_CASE("Scheduler: equal priorities share the processor a slice at a time")
{
    Scheduler s;
    s.slice = 100;
    const unsigned a = s.add(0), b = s.add(0), c = s.add(0);
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
