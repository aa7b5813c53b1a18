// The guest's PL190 model against QEMU's (hw/intc/pl190.c): registers, ownership, the vectored
// priority logic, and the IRQ/FIQ outputs.
#include <catch2/catch.hpp>

#include <random>

#include "core/virtual_vic.hpp"

using namespace core;

namespace {

constexpr uint32_t base = 0x10140000;
constexpr uint32_t owned = 1u << 4 | 1u << 5 | 1u << 12;

struct Vic {
    Virtual_vic vic{owned};
    uint32_t read(uint32_t offset)
    {
        uint32_t value = 0xdeadbeef;
        REQUIRE(vic.read(base + offset, 4, value));
        return value;
    }
    void write(uint32_t offset, uint32_t value) { REQUIRE(vic.write(base + offset, 4, value)); }
};

}  // namespace

TEST_CASE("VIC model: reset values and identification")
{
    Vic v;
    for (uint32_t offset : {0x000u, 0x004u, 0x008u, 0x00cu, 0x010u, 0x018u, 0x020u, 0x034u, 0x100u, 0x13cu,
                            0x200u, 0x23cu, 0x300u})
        CHECK(v.read(offset) == 0);
    const uint32_t id[8] = {0x90, 0x11, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; ++i) CHECK(v.read(0xfe0 + 4 * i) == id[i]);
    CHECK_FALSE(v.vic.irq());
    CHECK_FALSE(v.vic.fiq());
}

TEST_CASE("VIC model: lines the guest does not own never assert and their bits ignore writes")
{
    Vic v;
    v.write(0x010, ~0u);  // VICIntEnable
    CHECK(v.read(0x010) == owned);
    v.write(0x018, ~0u);  // VICSoftInt
    CHECK(v.read(0x018) == owned);
    v.write(0x00c, ~0u);  // VICIntSelect
    CHECK(v.read(0x00c) == owned);
    v.write(0x01c, ~0u);
    v.write(0x00c, 0);
    v.vic.set_level(6, true);  // another partition's line
    CHECK(v.read(0x008) == 0);
    CHECK_FALSE(v.vic.irq());
}

TEST_CASE("VIC model: raw, enabled and selected status follow the lines")
{
    Vic v;
    v.vic.set_level(4, true);
    CHECK(v.read(0x008) == 1u << 4);  // VICRawIntr
    CHECK(v.read(0x000) == 0);        // not enabled
    CHECK_FALSE(v.vic.irq());
    v.write(0x010, 1u << 4);
    CHECK(v.read(0x000) == 1u << 4);
    CHECK(v.vic.irq());
    v.write(0x00c, 1u << 4);  // to FIQ
    CHECK(v.read(0x000) == 0);
    CHECK(v.read(0x004) == 1u << 4);
    CHECK_FALSE(v.vic.irq());
    CHECK(v.vic.fiq());
    v.write(0x00c, 0);
    v.write(0x014, 1u << 4);  // VICIntEnClear
    CHECK(v.read(0x010) == 0);
    CHECK_FALSE(v.vic.irq());
    v.vic.set_level(4, false);
    v.write(0x018, 1u << 12);  // a soft interrupt
    v.write(0x010, 1u << 12);
    CHECK(v.read(0x008) == 1u << 12);
    CHECK(v.vic.irq());
    v.write(0x01c, 1u << 12);
    CHECK_FALSE(v.vic.irq());
    v.write(0x000, ~0u);  // VICIRQStatus is read-only (Linux writes it anyway)
    CHECK(v.read(0x010) == 1u << 12);
}

TEST_CASE("VIC model: VICVectAddr raises the priority to the interrupt's and a write restores it")
{
    Vic v;
    v.write(0x100, 0x1000);  // slot 0: line 5, highest priority
    v.write(0x200, 0x20 | 5);
    v.write(0x104, 0x2000);  // slot 1: line 4
    v.write(0x204, 0x20 | 4);
    v.write(0x034, 0x9000);  // default
    v.write(0x010, owned);
    CHECK(v.read(0x030) == 0x9000);  // nothing pending: the default address
    v.vic.set_level(4, true);
    CHECK(v.vic.irq());
    CHECK(v.read(0x030) == 0x2000);  // line 4's ISR: now at slot 1's level
    CHECK_FALSE(v.vic.irq());        // line 4 itself no longer interrupts
    v.vic.set_level(5, true);
    CHECK(v.vic.irq());              // slot 0 outranks it
    CHECK(v.read(0x030) == 0x1000);  // nested
    CHECK_FALSE(v.vic.irq());
    v.vic.set_level(5, false);
    v.write(0x030, 0);  // back to slot 1
    CHECK_FALSE(v.vic.irq());
    v.write(0x030, 0);          // back to none in service
    CHECK(v.vic.irq());         // line 4 is still high
    v.vic.set_level(12, true);  // unvectored: below every slot
    CHECK(v.read(0x030) == 0x2000);
    v.write(0x030, 0);
    v.vic.set_level(4, false);
    CHECK(v.read(0x030) == 0x9000);  // the unvectored line's: the default address
    CHECK(v.read(0x200) == (0x20 | 5));
    CHECK(v.read(0x104) == 0x2000);
}

TEST_CASE("VIC model: outputs() is kept until something it depends on changes")
{
    Vic v;
    v.write(0x010, 1u << 4);
    CHECK(v.vic.outputs() == 0);
    CHECK(v.vic.outputs_known());
    v.vic.set_level(4, false);  // unchanged
    v.vic.set_level(6, true);   // not owned
    for (uint32_t offset : {0x000u, 0x004u, 0x008u, 0x00cu, 0x010u, 0x018u, 0x034u, 0x100u, 0x200u})
        v.read(offset);
    CHECK(v.vic.outputs_known());
    v.vic.set_level(4, true);
    CHECK_FALSE(v.vic.outputs_known());
    CHECK(v.vic.outputs() == 1);
    v.write(0x00c, 1u << 4);  // a write
    CHECK_FALSE(v.vic.outputs_known());
    CHECK(v.vic.outputs() == 2);
    v.write(0x00c, 0);
    v.write(0x200, 0x20 | 4);
    CHECK(v.vic.outputs() == 1);
    CHECK(v.read(0x030) == 0);  // VICVectAddr: entering the ISR raises the level
    CHECK_FALSE(v.vic.outputs_known());
    CHECK(v.vic.outputs() == 0);
}

TEST_CASE("VIC model: the kept outputs() equal ones computed from scratch after random register traffic")
{
    // Random writes to every register that holds state, VICVectAddr reads and writes and line
    // changes; after each step the kept outputs must equal a recomputation.
    std::mt19937 random(20260316);
    const auto pick = [&](uint32_t n) { return uint32_t(random() % n); };
    unsigned steps = 0, irqs = 0, fiqs = 0, mismatches = 0;
    for (unsigned run = 0; run < 300; ++run) {
        Vic v;
        for (unsigned step = 0; step < 300; ++step, ++steps) {
            const uint32_t lines = 1u << pick(32) | (pick(2) ? 1u << (4 + pick(2)) : 0);
            switch (pick(12)) {
            case 0: v.write(0x00c, pick(4) ? 0 : lines); break;      // VICIntSelect
            case 1: v.write(0x010, lines); break;                    // VICIntEnable
            case 2: v.write(0x014, lines); break;                    // VICIntEnClear
            case 3: v.write(0x018, lines); break;                    // VICSoftInt
            case 4: v.write(0x01c, lines); break;                    // VICSoftIntClear
            case 5: v.write(0x200 + 4 * pick(16), pick(64)); break;  // VICVectCntl
            case 6: v.write(0x100 + 4 * pick(16), uint32_t(random())); break;
            case 7:
            case 8: v.read(0x030); break;      // VICVectAddr: an ISR entered
            case 9: v.write(0x030, 0); break;  // and left
            case 10: v.vic.set_level(pick(32), pick(2)); break;
            default: v.read(4 * pick(0x400)); break;
            }
            const unsigned kept = v.vic.outputs();
            mismatches += kept != (unsigned(v.vic.irq()) | unsigned(v.vic.fiq()) << 1);
            irqs += kept & 1;
            fiqs += kept >> 1;
        }
    }
    CHECK(mismatches == 0);
    CHECK(irqs > steps / 10);
    CHECK(fiqs > steps / 20);
}
