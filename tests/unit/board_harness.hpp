// A board's emulated devices (boards/<board>/virtual_board.hpp) on a counting fake clock, and
// a reference that brings every model up to the clock and every line up to its model on each
// step (what the board did before it kept track of what changed). Each test file includes its
// board's header inside an anonymous namespace first, so the two boards' classes, both named
// board::Virtual_board, stay apart.
#pragma once
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "core/format.hpp"
#include "core/virtual_sp804.hpp"

namespace test {

struct Counting_clock final : core::Clock {
    uint64_t time = 1000;
    unsigned reads = 0;
    uint64_t now() override
    {
        ++reads;
        return time;
    }
};

struct Null_sink final : core::Sink {
    void put(char) override {}
};

/// One step of a random-traffic comparison of a board that keeps track of what changed (`kept`)
/// with the reference that recomputes everything (`full`, through `Test`): the access on both (a
/// write; a read, compared; with no address, the clock's move), then the kept board's lines and
/// next event against the reference's. Counts what differs, what signalled, what had an event.
template <typename Test, typename Driven>
void compare_step(Driven& kept, Driven& full, uint64_t time, uint32_t address, uint32_t value, bool write,
                  unsigned& mismatches, unsigned& signalled, unsigned& events)
{
    if (address && write) {
        kept.write(address, value);
        full.write(address, value);
    } else if (address) {
        mismatches += kept.read(address) != full.read(address);
    } else {
        kept.board.update();
        full.board.update();
    }
    Test::refresh_everything(full.board, time);
    mismatches += kept.board.outputs() != Test::outputs(full.board);
    mismatches += kept.board.outputs() != Test::outputs(kept.board);
    mismatches += kept.board.next_event() != Test::next_event(full.board);
    signalled += kept.board.outputs() != 0;
    events += kept.board.next_event() != core::never;
}

/// A board as the monitor drives it: a model from device(), one access, then after_access();
/// update() when the clock has moved.
template <typename Board>
struct Driven_board {
    core::Line_console console{};  // zeroed, as the monitor makes it
    Null_sink sink;
    Board board{};  // zeroed, as the monitor makes it (Virtual_gic::reset)
    Driven_board(Counting_clock& clock, uint32_t emulated = ~0u)
    {
        console.bind(sink, "test");
        const uint32_t lines[3] = {};
        board.attach(clock, console, emulated, lines);
        board.update();
    }
    uint32_t read(uint32_t address)
    {
        uint32_t value = 0xdeadbeef;
        core::Mmio_device* model = board.device(address & ~0xfffu);
        REQUIRE(model);
        REQUIRE(model->read(address, 4, value));
        board.after_access();
        return value;
    }
    void write(uint32_t address, uint32_t value)
    {
        core::Mmio_device* model = board.device(address & ~0xfffu);
        REQUIRE(model);
        REQUIRE(model->write(address, 4, value));
        board.after_access();
    }
};

}  // namespace test
