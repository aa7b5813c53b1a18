// The guest's Cortex-A9 private timer and watchdog model on a fake clock, against QEMU's
// (hw/timer/arm_mptimer.c): 100 ticks per microsecond divided by the prescaler + 1.
#include <catch2/catch.hpp>

#include "core/divide.hpp"
#include "core/virtual_twd.hpp"
#include "tests/unit/clocked_model.hpp"

using namespace core;

using Twd = test::Clocked_model<Virtual_twd, 0x1e000600>;

TEST_CASE("TWD model: reset values")
{
    Twd t;
    for (uint32_t offset = 0; offset < 0x40; offset += 4) CHECK(t.read(offset) == 0);
    CHECK(t.model.next_event() == never);
}

TEST_CASE("TWD model: an auto-reload timer interrupts every load + 1 ticks")
{
    Twd t;
    t.write(0x00, 57699);  // 577 us at 100 MHz
    t.write(0x08, 0x7);    // enable, auto-reload, IT enable
    CHECK(t.read(0x04) == 57699);
    CHECK(t.model.next_event() == 1000 + 577);
    t.clock.time = 1100;
    CHECK(t.read(0x04) == 57699 - 10000);
    t.clock.time = 1577;
    t.model.advance();
    CHECK(t.model.level(0));
    CHECK(t.read(0x0c) == 1);
    t.write(0x0c, 1);
    CHECK_FALSE(t.model.level(0));
    CHECK(t.model.next_event() == 1577 + 577);
}

TEST_CASE("TWD model: an auto-reload timer read late catches up by whole periods")
{
    Twd t;
    t.write(0x00, 57699);  // 577 us at 100 MHz: a period of 57700 ticks, above 65535 / 2
    t.write(0x08, 0x7);
    t.clock.time = 1000 + 577 * 3 + 288;  // three and a half periods on
    const uint32_t counter = t.read(0x04);
    CHECK(counter > 57699 / 2 - 100);
    CHECK(counter < 57699 / 2 + 100);
    CHECK(t.read(0x04) == counter);  // the same moment reads the same
    t.write(0x0c, 1);                // the interrupt taken: the next one is the next expiry
    CHECK(t.model.next_event() == 1000 + 577 * 4);
}

TEST_CASE("TWD model: one-shot, prescaler, the watchdog in timer mode and stopping")
{
    Twd t;
    t.write(0x00, 1000);
    t.write(0x08, 0x0905);  // enable, IT enable, prescaler 9: 10 ticks per microsecond
    CHECK(t.model.next_event() == 1100);
    t.clock.time = 1050;
    CHECK(t.read(0x04) == 500);
    t.clock.time = 1200;
    CHECK(t.read(0x04) == 0);
    CHECK(t.read(0x0c) == 1);
    CHECK(t.model.next_event() == never);
    t.write(0x20, 200);  // the watchdog's Load
    t.write(0x28, 0x5);
    CHECK(t.model.next_event() == 1202);
    t.write(0x28, 0x4);  // disabled: the count holds
    t.clock.time = 5000;
    CHECK(t.read(0x24) == 200);
    CHECK_FALSE(t.model.level(1));
}

TEST_CASE("divide: quotients and remainders without a division instruction")
{
    uint32_t r = 0;
    CHECK(divide(1234567u, 10u, r) == 123456u);
    CHECK(r == 7);
    CHECK(divide(0xffffffffu, 1u, r) == 0xffffffffu);
    CHECK(divide(5u, 7u, r) == 0);
    CHECK(r == 5);
    CHECK(divide(uint64_t(1) << 40, 256u) == uint64_t(1) << 32);
    CHECK(divide(uint64_t(0x123456789abcULL), 100u) == 0x123456789abcULL / 100);
    CHECK(divide(~uint64_t(0), 65535u) == ~uint64_t(0) / 65535);
    CHECK(divide(uint64_t(99), 100u) == 0);
    // Any divisor: a virtual timer's period in ticks is often above 65535.
    CHECK(divide(uint64_t(0x123456789abcULL), 5770000u) == 0x123456789abcULL / 5770000);
    CHECK(divide(~uint64_t(0), 0xffffffffu) == ~uint64_t(0) / 0xffffffffu);
    CHECK(divide(uint64_t(0xfffffffeULL), 0xffffffffu) == 0);
}
