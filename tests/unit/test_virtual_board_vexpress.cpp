// vexpress-a9's emulated board (boards/vexpress-a9/virtual_board.hpp): what the monitor asks of
// it after every access and on every return to a guest costs what changed, and gives what a
// full refresh of every model would.
#include "core/virtual_gic.hpp"
#include "core/virtual_pl011.hpp"
#include "core/virtual_sp804.hpp"
#include "core/virtual_twd.hpp"
#include "core/virtual_v2m.hpp"
#include "tests/unit/board_harness.hpp"

namespace {
#include "boards/vexpress-a9/virtual_board.hpp"
}  // namespace

namespace {
namespace board {

/// The board's insides, for the reference and the checks.
struct Board_test {
    /// The board as it was kept before: every model brought up to the clock, every line set.
    static void refresh_everything(Virtual_board& b, uint64_t now)
    {
        b.private_.twd.advance(now);
        for (core::Virtual_sp804& t : b.timers_) t.advance(now);
        b.private_.gic.set_level(Virtual_board::private_timer_line, b.private_.twd.level(0));
        b.private_.gic.set_level(Virtual_board::watchdog_line, b.private_.twd.level(1));
        for (unsigned i = 0; i < 2; ++i)
            b.private_.gic.set_level(Virtual_board::timer_lines[i], b.timers_[i].level());
        b.private_.gic.set_level(Virtual_board::uart_line, b.uart_.level());
    }
    static unsigned outputs(const Virtual_board& b) { return b.private_.gic.compute_signal(); }
    static uint64_t next_event(const Virtual_board& b)
    {
        uint64_t next = b.private_.twd.next_event();
        for (const core::Virtual_sp804& t : b.timers_)
            if (t.next_event() < next) next = t.next_event();
        return next;
    }
    static bool outputs_known(const Virtual_board& b) { return b.private_.gic.signal_known(); }
    static bool stale(const Virtual_board& b)
    {
        return b.private_.twd.stale || b.timers_[0].stale || b.timers_[1].stale;
    }
};

}  // namespace board
}  // namespace

using Board = test::Driven_board<board::Virtual_board>;
using board::Board_test;
using board::Virtual_board;

namespace {

constexpr uint32_t D = Virtual_board::distributor, C = Virtual_board::private_region + 0x100;
constexpr uint32_t twd = Virtual_board::private_region + 0x600, uart = Virtual_board::uart;
constexpr uint32_t sp804[2] = {Virtual_board::timers[0], Virtual_board::timers[1]};

/// Both GIC interfaces on, nothing masked, the board's lines enabled at `priority`.
void open_gic(Board& b, uint8_t priority = 0x80)
{
    b.write(D + 0x000, 3);
    b.write(C + 0x00, 3);
    b.write(C + 0x04, 0xff);
    for (unsigned id : {29u, 30u, 34u, 35u, 37u}) b.write(D + 0x400 + (id & ~3u), priority * 0x01010101u);
    b.write(D + 0x100, 3u << 29);
    b.write(D + 0x104, 0x2cu);
}

}  // namespace

TEST_CASE("vexpress-a9 board: an update with nothing due reads the clock once, an access reads none")
{
    test::Counting_clock clock;
    Board b(clock);
    CHECK(b.board.next_event() == core::never);
    open_gic(b);
    b.write(sp804[0] + 0x00, 500);   // SP804 0 timer 1: 500 us, periodic, interrupt
    b.write(sp804[0] + 0x08, 0xe2);  // enable, periodic, interrupt, 32-bit
    b.write(twd + 0x00, 99999);      // private timer: 1000 us, auto-reload, interrupt
    b.write(twd + 0x08, 0x7);
    CHECK(b.board.next_event() == 1500);
    CHECK(b.board.outputs() == 0);
    for (uint64_t t = 1000; t < 1500; t += 50) {
        clock.time = t;
        clock.reads = 0;
        b.board.update();
        CHECK(clock.reads == 1);
        CHECK(Board_test::outputs_known(b.board));  // nothing to recompute on the return to the guest
        CHECK(b.board.outputs() == 0);
        CHECK(b.board.next_event() == 1500);
    }
    // A GIC access moves no timer: no clock reading at all.
    clock.reads = 0;
    CHECK(b.read(C + 0x0c) == 1023);
    CHECK(clock.reads == 0);
    CHECK(b.board.outputs() == 0);
    // A timer read brings that timer up (its own reading) and nothing else.
    clock.reads = 0;
    CHECK(b.read(sp804[0] + 0x04) == 50);
    CHECK(b.read(twd + 0x04) == 54999);  // 199999 - 145000 ticks
    CHECK(clock.reads == 2);
    CHECK_FALSE(Board_test::stale(b.board));
    CHECK(Board_test::outputs_known(b.board));
    clock.time = 1500;  // due: the line rises, the event moves on
    b.board.update();
    CHECK(b.board.outputs() == 1);
    CHECK(b.board.next_event() == 2000);
    CHECK(b.read(C + 0x0c) == 34);
    CHECK(b.board.outputs() == 0);              // active
    b.write(sp804[0] + 0x0c, 1);                // the guest clears it: the line falls with the write, but
    CHECK(Board_test::outputs_known(b.board));  // an active ID's line changes no output
    CHECK(b.board.outputs() == 0);
    b.write(C + 0x10, 34);
    clock.time = 2000;  // SP804 0 again, and the private timer
    b.board.update();
    CHECK(b.board.outputs() == 1);
    CHECK(b.read(C + 0x0c) == 29);
    CHECK(b.board.next_event() == core::never);  // both raised: nothing new until they are cleared
}

TEST_CASE("vexpress-a9 board: an expiry a timer read brings raises its line with the access")
{
    // The clock passes the event before the monitor's event timer is taken: a read of the timer
    // brings the expiry, and the line follows at once, without the board reading the clock.
    test::Counting_clock clock;
    Board b(clock);
    open_gic(b);
    b.write(sp804[1] + 0x00, 100);   // SP804 1 timer 1: 100 us, one-shot, interrupt
    b.write(sp804[1] + 0x08, 0xa3);  // enable, interrupt, 32-bit, one-shot
    b.write(twd + 0x00, 9999);       // private timer: 100 us, one-shot, interrupt
    b.write(twd + 0x08, 0x5);
    CHECK(b.board.next_event() == 1100);
    clock.time = 1100;
    clock.reads = 0;
    CHECK(b.read(sp804[1] + 0x10) == 1);  // RIS
    CHECK(clock.reads == 1);              // the timer's own reading
    CHECK(b.board.outputs() == 1);
    CHECK(b.board.next_event() == 1100);  // the private timer's, not brought up yet
    CHECK(b.read(C + 0x0c) == 35);
    CHECK(b.read(twd + 0x0c) == 1);  // the private timer's event flag, brought with the read
    b.write(C + 0x10, 35);
    CHECK(b.board.next_event() == core::never);
    CHECK(b.read(C + 0x0c) == 29);
}

TEST_CASE("vexpress-a9 board: received input raises the UART's line at the next update")
{
    test::Counting_clock clock;
    Board b(clock);
    open_gic(b);
    b.write(uart + 0x038, 1u << 4);  // UARTIMSC: receive
    CHECK(b.board.outputs() == 0);
    CHECK(b.board.console().receive('x'));
    b.board.update();
    CHECK(b.board.outputs() == 1);
    CHECK(b.read(C + 0x0c) == 37);
    CHECK(b.read(uart + 0x000) == 'x');
    CHECK(b.board.outputs() == 0);
}

TEST_CASE("vexpress-a9 board: random guest traffic gives what a full refresh at every step gives")
{
    // Two boards on one clock take the same accesses; `kept` is updated as the monitor does,
    // `full` has every model brought up to the clock and every line set after each step. Every
    // read must agree, and so must the outputs and the next event.
    std::mt19937 random(20260317);
    const auto pick = [&](uint32_t n) { return uint32_t(random() % n); };
    unsigned steps = 0, signalled = 0, events = 0, mismatches = 0;
    for (unsigned run = 0; run < 40; ++run) {
        test::Counting_clock clock;
        Board kept(clock), full(clock);
        const auto both_write = [&](uint32_t address, uint32_t value) {
            kept.write(address, value);
            full.write(address, value);
        };
        open_gic(kept);
        open_gic(full);
        for (unsigned id : {29u, 30u, 34u, 35u, 37u}) both_write(D + 0x400 + (id & ~3u), uint32_t(random()));
        for (unsigned step = 0; step < 400; ++step, ++steps) {
            uint32_t address = 0;
            bool write = pick(2);
            uint32_t value = uint32_t(random());
            switch (pick(10)) {
            case 0:
            case 1: clock.time += pick(4) ? pick(800) : pick(100000); break;
            case 2:
            case 3: {  // an SP804: Load, Value, Control, IntClr, RIS, MIS, BGLoad of either timer
                address = sp804[pick(2)] + 0x20 * pick(2) + 4 * pick(7);
                if ((address & 0x1f) == 0x08) value = (value & 0xef) | (pick(3) ? 0x80 : 0);
                if ((address & 0x1f) == 0x00 || (address & 0x1f) == 0x18) value = pick(2000);
                break;
            }
            case 4:
            case 5: {  // the private timer or watchdog: Load, Counter, Control, status
                address = twd + 0x20 * pick(2) + 4 * pick(4);
                if ((address & 0x1f) == 0x08) value = pick(4) << 8 | pick(8);
                if ((address & 0x1f) < 0x08) value = pick(200000);
                break;
            }
            case 6: {  // the UART: data, the mask, clears; input
                static constexpr uint32_t registers[] = {0x000, 0x018, 0x038, 0x03c, 0x040, 0x044};
                address = uart + registers[pick(6)];
                if (!pick(4)) {
                    kept.board.console().receive(char(value));
                    full.board.console().receive(char(value));
                    address = 0;
                }
                break;
            }
            case 7: {  // acknowledge and complete
                const uint32_t id = kept.read(C + 0x0c);
                CHECK(full.read(C + 0x0c) == id);
                if (pick(4)) both_write(C + 0x10, id);
                break;
            }
            case 8: address = C + 4 * pick(2), value = pick(2) ? 0xff : pick(256), write = true; break;
            default: address = D + 0x100 + 0x80 * pick(2) + 4 * pick(2), write = true; break;
            }
            test::compare_step<Board_test>(kept, full, clock.time, address, value, write, mismatches,
                                           signalled, events);
        }
    }
    CHECK(mismatches == 0);
    CHECK(signalled > steps / 20);  // the traffic reaches the states that matter
    CHECK(events > steps / 10);
}

TEST_CASE("vexpress-a9 board: each page's model sees only the offset within its page")
{
    // Linux maps the private region's two pages 0x1000 apart from an address that is not 8 KiB
    // aligned (0xc6805000 the CPU interface's page, 0xc6804000... the distributor's elsewhere):
    // the distributor's page must not be taken for the private region's second half, nor the
    // CPU interface for the distributor.
    test::Counting_clock clock;
    Board b(clock);
    core::Mmio_device* distributor = b.board.device(D);
    core::Mmio_device* private_region = b.board.device(Virtual_board::private_region);
    REQUIRE(distributor);
    REQUIRE(private_region);
    uint32_t value = 0;
    REQUIRE(distributor->write(0xc6802000 + 0x104, 4, 0x4));  // GICD_ISENABLER1 at an even page
    CHECK(b.read(D + 0x104) == 0x4);
    REQUIRE(private_region->write(0xc6805000 + 0x104, 4, 0xf0));  // GICC_PMR at an odd page
    CHECK(b.read(C + 0x04) == 0xf0);
    REQUIRE(private_region->read(0xc6805000 + 0x104, 4, value));
    CHECK(value == 0xf0);
    REQUIRE(distributor->read(0xc6803000 + 0x104, 4, value));
    CHECK(value == 0x4);
    // The system registers' page is the partition's own model; the SP810's reads as zero.
    CHECK(b.read(Virtual_board::system_registers) == 0x1190f500);
    b.write(Virtual_board::sp810, ~0u);
    CHECK(b.read(Virtual_board::sp810) == 0);
    CHECK(b.board.request() == 0);
}
