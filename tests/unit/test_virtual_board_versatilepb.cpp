// versatilepb's emulated board (boards/versatilepb/virtual_board.hpp, versatilepb-v6's too):
// what the monitor asks of it after every access and on every return to a guest costs what
// changed, and gives what a full refresh of every model would.
#include "core/virtual_pl011.hpp"
#include "core/virtual_sp804.hpp"
#include "core/virtual_vic.hpp"
#include "tests/unit/board_harness.hpp"

namespace {
#include "boards/versatilepb/virtual_board.hpp"
}  // namespace

namespace {
namespace board {

/// The board's insides, for the reference and the checks.
struct Board_test {
    /// The board as it was kept before: every model brought up to the clock, every line set.
    static void refresh_everything(Virtual_board& b, uint64_t now)
    {
        for (unsigned i = 0; i < 2; ++i) {
            b.timers_[i].advance(now);
            b.vic_.set_level(Virtual_board::timer_lines[i], b.timers_[i].level());
        }
        b.vic_.set_level(Virtual_board::uart_line, b.uart_.level());
    }
    static unsigned outputs(const Virtual_board& b)
    {
        return unsigned(b.vic_.irq()) | unsigned(b.vic_.fiq()) << 1;
    }
    static uint64_t next_event(const Virtual_board& b)
    {
        const uint64_t a = b.timers_[0].next_event(), c = b.timers_[1].next_event();
        return a < c ? a : c;
    }
    static bool outputs_known(const Virtual_board& b) { return b.vic_.outputs_known(); }
    static bool stale(const Virtual_board& b) { return b.timers_[0].stale || b.timers_[1].stale; }
};

}  // namespace board
}  // namespace

using Board = test::Driven_board<board::Virtual_board>;
using board::Board_test;
using board::Virtual_board;

namespace {

constexpr uint32_t vic = Virtual_board::vic, uart = Virtual_board::uart;
constexpr uint32_t sp804[2] = {Virtual_board::timers[0], Virtual_board::timers[1]};

}  // namespace

TEST_CASE("versatilepb board: an update with nothing due reads the clock once, an access reads none")
{
    test::Counting_clock clock;
    Board b(clock);
    CHECK(b.board.next_event() == core::never);
    b.write(vic + 0x010, 1u << 4 | 1u << 5 | 1u << 12);
    b.write(sp804[1] + 0x20, 300);   // SP804 1 timer 2: 300 us, one-shot, interrupt
    b.write(sp804[1] + 0x28, 0xa3);  // enable, interrupt, 32-bit, one-shot
    CHECK(b.board.next_event() == 1300);
    CHECK(b.board.outputs() == 0);
    for (uint64_t t = 1000; t < 1300; t += 20) {
        clock.time = t;
        clock.reads = 0;
        b.board.update();
        CHECK(clock.reads == 1);
        CHECK(Board_test::outputs_known(b.board));  // nothing to recompute on the return to the guest
        CHECK(b.board.outputs() == 0);
        CHECK(b.board.next_event() == 1300);
    }
    clock.reads = 0;
    CHECK(b.read(vic + 0x000) == 0);  // a VIC access moves no timer: no clock reading at all
    CHECK(clock.reads == 0);
    clock.reads = 0;
    CHECK(b.read(sp804[1] + 0x24) == 20);  // a timer read: its own reading and nothing else
    CHECK(clock.reads == 1);
    CHECK_FALSE(Board_test::stale(b.board));
    CHECK(Board_test::outputs_known(b.board));
    clock.time = 1300;
    b.board.update();
    CHECK(b.board.outputs() == 1);
    CHECK(b.board.next_event() == core::never);
    CHECK(b.read(vic + 0x000) == 1u << 5);
    b.write(sp804[1] + 0x2c, 1);  // the guest clears it: the line falls with the write
    CHECK_FALSE(Board_test::outputs_known(b.board));
    CHECK(b.board.outputs() == 0);
}

TEST_CASE("versatilepb board: an expiry a timer read brings raises its line with the access")
{
    // The clock passes the event before the monitor's event timer is taken: a read of the timer
    // brings the expiry, and the line follows at once, without the board reading the clock.
    test::Counting_clock clock;
    Board b(clock);
    b.write(vic + 0x010, 1u << 4 | 1u << 5);
    b.write(sp804[0] + 0x20, 100);   // SP804 0 timer 2: 100 us, one-shot, interrupt
    b.write(sp804[0] + 0x28, 0xa3);  // enable, interrupt, 32-bit, one-shot
    b.write(sp804[1] + 0x00, 100);   // SP804 1 timer 1 likewise
    b.write(sp804[1] + 0x08, 0xa3);
    CHECK(b.board.next_event() == 1100);
    clock.time = 1100;
    clock.reads = 0;
    CHECK(b.read(sp804[0] + 0x30) == 1);  // timer 2's RIS
    CHECK(clock.reads == 1);              // the timer's own reading
    CHECK(b.board.outputs() == 1);
    CHECK(b.read(vic + 0x000) == 1u << 4);
    CHECK(b.board.next_event() == 1100);  // SP804 1's, not brought up yet
    b.board.update();
    CHECK(b.read(vic + 0x000) == (1u << 4 | 1u << 5));
    CHECK(b.board.next_event() == core::never);
}

TEST_CASE("versatilepb board: received input raises the UART's line at the next update")
{
    test::Counting_clock clock;
    Board b(clock);
    b.write(vic + 0x010, 1u << 12);
    b.write(uart + 0x038, 1u << 4);  // UARTIMSC: receive
    CHECK(b.board.outputs() == 0);
    CHECK(b.board.console().receive('x'));
    b.board.update();
    CHECK(b.board.outputs() == 1);
    CHECK(b.read(uart + 0x000) == 'x');
    CHECK(b.board.outputs() == 0);
}

TEST_CASE("versatilepb board: random guest traffic gives what a full refresh at every step gives")
{
    // Two boards on one clock take the same accesses; `kept` is updated as the monitor does,
    // `full` has both timers brought up to the clock and every line set after each step. Every
    // read must agree, and so must the outputs and the next event.
    std::mt19937 random(20260318);
    const auto pick = [&](uint32_t n) { return uint32_t(random() % n); };
    unsigned steps = 0, signalled = 0, events = 0, mismatches = 0;
    for (unsigned run = 0; run < 40; ++run) {
        test::Counting_clock clock;
        Board kept(clock), full(clock);
        const auto both_write = [&](uint32_t address, uint32_t value) {
            kept.write(address, value);
            full.write(address, value);
        };
        both_write(vic + 0x010, 1u << 4 | 1u << 5 | 1u << 12);
        for (unsigned step = 0; step < 400; ++step, ++steps) {
            uint32_t address = 0;
            bool write = pick(2);
            uint32_t value = uint32_t(random());
            switch (pick(10)) {
            case 0:
            case 1: clock.time += pick(4) ? pick(800) : pick(100000); break;
            case 2:
            case 3:
            case 4: {  // an SP804: Load, Value, Control, IntClr, RIS, MIS, BGLoad of either timer
                address = sp804[pick(2)] + 0x20 * pick(2) + 4 * pick(7);
                if ((address & 0x1f) == 0x08) value = (value & 0xef) | (pick(3) ? 0x80 : 0);
                if ((address & 0x1f) == 0x00 || (address & 0x1f) == 0x18) value = pick(2000);
                break;
            }
            case 5: {  // the UART: data, the mask, clears; input
                static constexpr uint32_t registers[] = {0x000, 0x018, 0x038, 0x03c, 0x040, 0x044};
                address = uart + registers[pick(6)];
                if (!pick(4)) {
                    kept.board.console().receive(char(value));
                    full.board.console().receive(char(value));
                    address = 0;
                }
                break;
            }
            case 6: address = vic + 0x030; break;  // VICVectAddr: an ISR entered or left
            case 7: {                              // the vector slots, the FIQ selection
                address = pick(2) ? vic + 0x200 + 4 * pick(16) : vic + 0x00c;
                value = address == vic + 0x00c ? (pick(4) ? 0 : 1u << (4 + pick(2))) : 0x20 | pick(16);
                write = true;
                break;
            }
            case 8: address = vic + 0x010 + 4 * pick(4), value = 1u << (4 + pick(9)), write = true; break;
            default: address = vic + 4 * pick(16); break;
            }
            test::compare_step<Board_test>(kept, full, clock.time, address, value, write, mismatches,
                                           signalled, events);
        }
    }
    CHECK(mismatches == 0);
    CHECK(signalled > steps / 10);  // the traffic reaches the states that matter
    CHECK(events > steps / 10);
}
