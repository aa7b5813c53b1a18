// Drivers against a recording MMIO access policy: the exact register sequence they issue.
#include <catch2/catch.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "boards/board_types.hpp"
#include "drivers/gic.hpp"
#include "drivers/pl011.hpp"
#include "drivers/pl190.hpp"
#include "drivers/sp804.hpp"

namespace {

struct Access {
    bool write;
    uintptr_t address;
    uint32_t value;
    bool operator==(const Access&) const = default;
};

struct Recorder {
    static inline std::vector<Access> log;
    static inline std::map<uintptr_t, std::deque<uint32_t>> reads;  // queued read results; 0 after
    static void reset()
    {
        log.clear();
        reads.clear();
    }
    static uint32_t read(uintptr_t address)
    {
        uint32_t value = 0;
        if (auto it = reads.find(address); it != reads.end() && !it->second.empty()) {
            value = it->second.front();
            it->second.pop_front();
        }
        log.push_back({false, address, value});
        return value;
    }
    static void write(uintptr_t address, uint32_t value) { log.push_back({true, address, value}); }
};

std::vector<Access> writes()
{
    std::vector<Access> result;
    for (const Access& a : Recorder::log)
        if (a.write) result.push_back(a);
    return result;
}

}  // namespace

TEST_CASE("SP804: timer 2 free-running as the clock, timer 1 one-shot for events")
{
    Recorder::reset();
    drivers::Sp804<Recorder> timer(0x101e2000);
    timer.start_clock();
    CHECK(writes() ==
          std::vector<Access>{{true, 0x101e2028, 0}, {true, 0x101e2020, ~0u}, {true, 0x101e2028, 0xc2}});
    Recorder::reset();
    Recorder::reads[0x101e2024] = {0xfffffff0};
    CHECK(timer.clock() == 0xfffffff0);
    timer.start_one_shot(577);
    CHECK(writes() ==
          std::vector<Access>{{true, 0x101e2008, 0}, {true, 0x101e2000, 577}, {true, 0x101e2008, 0xa3}});
    Recorder::reset();
    Recorder::reads[0x101e2014] = {1, 0};
    CHECK(timer.pending());
    CHECK_FALSE(timer.pending());
    timer.acknowledge();
    CHECK(writes() == std::vector<Access>{{true, 0x101e200c, 1}});
}

TEST_CASE("PL190: every line disabled and routed to IRQ; the lowest pending line wins")
{
    Recorder::reset();
    drivers::Pl190<Recorder> vic(0x10140000);
    vic.init();
    CHECK(writes() ==
          std::vector<Access>{{true, 0x10140014, ~0u}, {true, 0x1014001c, ~0u}, {true, 0x1014000c, 0}});
    Recorder::reset();
    vic.enable(4);
    vic.disable(31);
    CHECK(writes() == std::vector<Access>{{true, 0x10140010, 1u << 4}, {true, 0x10140014, 1u << 31}});
    Recorder::reads[0x10140000] = {(1u << 12) | (1u << 4), 0};
    CHECK(vic.acknowledge() == 4);
    CHECK(vic.acknowledge() == drivers::no_interrupt);
}

TEST_CASE("GIC: distributor and CPU interface set up for every implemented line")
{
    Recorder::reset();
    Recorder::reads[0x1e001004] = {2};  // GICD_TYPER.ITLinesNumber = 2: 96 interrupt IDs
    drivers::Gic<Recorder> gic(0x1e001000, 0x1e000100);
    gic.init();
    const auto w = writes();
    REQUIRE(w.size() == 1 + 3 * 2 + 24 + 16 + 1 + 2);
    CHECK(w.front() == Access{true, 0x1e001000, 0});
    CHECK(w[1] == Access{true, 0x1e001180, ~0u});             // ICENABLER0
    CHECK(w[2] == Access{true, 0x1e001280, ~0u});             // ICPENDR0
    CHECK(w[7] == Access{true, 0x1e001400, 0xa0a0a0a0});      // IPRIORITYR0
    CHECK(w[7 + 9] == Access{true, 0x1e001820, 0x01010101});  // ITARGETSR8: first SPIs
    CHECK(w[w.size() - 3] == Access{true, 0x1e001000, 1});
    CHECK(w[w.size() - 2] == Access{true, 0x1e000104, 0xf0});
    CHECK(w.back() == Access{true, 0x1e000100, 1});
    for (const Access& a : w)  // SGI/PPI targets are read-only: never written
        CHECK_FALSE((a.address >= 0x1e001800 && a.address < 0x1e001820));

    Recorder::reset();
    Recorder::reads[0x1e00010c] = {34, 1023, 0x400 | 2};
    CHECK(gic.acknowledge() == 34);
    CHECK(gic.acknowledge() == drivers::no_interrupt);
    CHECK(gic.acknowledge() == 2);  // the CPU-ID bits of an SGI are not part of the ID
    gic.enable(34);
    gic.end(34);
    CHECK(writes() == std::vector<Access>{{true, 0x1e001104, 1u << 2}, {true, 0x1e000110, 34}});
}

TEST_CASE("PL011: transmit waits while the FIFO is full")
{
    Recorder::reset();
    Recorder::reads[0x101f1018] = {1u << 5, 1u << 5, 0};
    drivers::Pl011<Recorder> uart(0x101f1000);
    uart.put('A');
    REQUIRE(Recorder::log.size() == 4);
    CHECK(Recorder::log.back() == Access{true, 0x101f1000, 'A'});
}

TEST_CASE("Device_pages: page-aligned and distinct pages found by any address in them")
{
    constexpr board::Device_pages<3> pages{{0x101f1000, 0x10140000, 0x101e2000}};
    STATIC_REQUIRE(pages.valid());
    CHECK(pages.index_of(0x10140fff) == 1);
    CHECK(pages.index_of(0x101e2020) == 2);
    CHECK(pages.index_of(0x10000000) == 3);
    STATIC_REQUIRE_FALSE(board::Device_pages<2>{{0x1000, 0x1000}}.valid());
    STATIC_REQUIRE_FALSE(board::Device_pages<1>{{0x1004}}.valid());
}
