// The guest's SP804 model on a fake clock, against QEMU's (hw/timer/arm_timer.c, ptimer legacy
// policy): counting, periodic, one-shot and free-running modes, prescaling, interrupts, and the
// events the monitor must program.
#include <catch2/catch.hpp>

#include "core/virtual_sp804.hpp"
#include "tests/unit/clocked_model.hpp"

using namespace core;

namespace {

using Timer = test::Clocked_model<Virtual_sp804, 0x101e2000>;

constexpr uint32_t enable = 0x80, periodic = 0x40, interrupt = 0x20, bits32 = 0x02, one_shot = 0x01;

}  // namespace

TEST_CASE("SP804 model: reset values and identification")
{
    Timer t;
    for (uint32_t base : {0x00u, 0x20u}) {
        CHECK(t.read(base + 0x00) == 0);
        CHECK(t.read(base + 0x04) == 0);
        CHECK(t.read(base + 0x08) == interrupt);  // QEMU resets Control to IE
        CHECK(t.read(base + 0x10) == 0);
        CHECK(t.read(base + 0x14) == 0);
    }
    const uint32_t id[8] = {0x04, 0x18, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; ++i) CHECK(t.read(0xfe0 + 4 * i) == id[i]);
    CHECK(t.model.next_event() == never);
    CHECK_FALSE(t.model.level());
}

TEST_CASE("SP804 model: a periodic timer counts down, interrupts every period and is cleared")
{
    Timer t;
    t.write(0x00, 1000);
    t.write(0x08, enable | periodic | interrupt | bits32);
    CHECK(t.read(0x04) == 1000);
    CHECK(t.model.next_event() == 2000);
    t.clock.time = 1400;
    CHECK(t.read(0x04) == 600);
    t.clock.time = 2000;
    t.model.advance();
    CHECK(t.model.level());
    CHECK(t.read(0x10) == 1);
    CHECK(t.read(0x14) == 1);
    CHECK(t.model.next_event() == never);  // raised: nothing new until it is cleared
    t.write(0x0c, 0);
    CHECK_FALSE(t.model.level());
    CHECK(t.model.next_event() == 3000);
    t.clock.time = 5500;  // missed periods are skipped, the phase kept
    CHECK(t.read(0x04) == 500);
    CHECK(t.read(0x10) == 1);
    t.write(0x0c, 0);
    CHECK(t.model.next_event() == 6000);
    t.write(0x08, periodic | interrupt | bits32);  // stopped: the count holds
    t.clock.time = 9000;
    CHECK(t.read(0x04) == 500);
    CHECK(t.model.next_event() == never);
}

TEST_CASE("SP804 model: one-shot stops at zero; masked interrupts still show in RIS")
{
    Timer t;
    t.write(0x20, 300);  // the second timer
    t.write(0x28, enable | one_shot | bits32);
    CHECK(t.model.next_event() == never);  // interrupt disabled: no event needed
    t.clock.time = 1300;
    CHECK(t.read(0x24) == 0);
    CHECK(t.read(0x30) == 1);
    CHECK(t.read(0x34) == 0);
    CHECK_FALSE(t.model.level());
    t.write(0x28, enable | one_shot | bits32 | interrupt);  // enabling restarts from the limit
    CHECK(t.model.level());                                 // still raised from before
    t.write(0x2c, 1);
    CHECK(t.read(0x24) == 300);
    CHECK(t.model.next_event() == 1600);
}

TEST_CASE("SP804 model: prescalers, free-running wrap and background load")
{
    Timer t;
    t.write(0x00, 10);
    t.write(0x08, enable | periodic | bits32 | 0x04);  // divide by 16
    CHECK(t.model.next_event() == never);
    t.write(0x08, enable | periodic | bits32 | interrupt | 0x04);
    CHECK(t.model.next_event() == 1000 + 160);
    t.clock.time = 1000 + 17;
    CHECK(t.read(0x04) == 9);                           // 143 us left: 8.9 ticks, shown as 9
    t.write(0x08, enable | bits32 | interrupt | 0x08);  // free-running, divide by 256
    CHECK(t.read(0x04) == 0xffffffff);
    t.write(0x08, enable | interrupt);  // free-running 16-bit
    CHECK(t.read(0x04) == 0xffff);
    CHECK(t.model.next_event() == 1017 + 0xffff);
    t.write(0x18, 50);  // BGLoad: no restart
    CHECK(t.read(0x00) == 50);
    CHECK(t.read(0x04) == 0xffff);
    t.write(0x00, 0);  // free-running ignores the limit: it keeps counting from 0xffff
    CHECK(t.read(0x04) == 0xffff);
    CHECK(t.read(0x10) == 0);
    t.write(0x08, enable | periodic | interrupt);
    t.write(0x00, 0);  // Load 0 while periodic: fires at once and stops (ptimer)
    CHECK(t.read(0x10) == 1);
    CHECK(t.model.next_event() == never);
}
