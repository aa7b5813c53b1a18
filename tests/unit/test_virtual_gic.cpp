// The guest's GIC model against QEMU 7.2's arm_gic.c as vexpress-a9 configures it (revision 1,
// one CPU, 96 IDs, 5 priority bits, Security Extensions, Secure accesses). Expected values come
// from the QEMU functions named beside them; the "native session" cases replay register sequences
// run on qemu-system-arm 7.2 -M vexpress-a9 and the values it returned.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "core/virtual_gic.hpp"

using core::Virtual_gic;

namespace {

constexpr uint32_t D = 0x1000, C = 0x100;  // a distributor offset is D + n, a CPU one C + n

struct Gic {
    Virtual_gic gic{};
    explicit Gic(uint32_t owned0 = ~0u, uint32_t owned1 = ~0u, uint32_t owned2 = ~0u)
    {
        const uint32_t owned[3] = {owned0, owned1, owned2};
        gic.reset(owned);
    }
    uint32_t read(uint32_t at, unsigned size = 4)
    {
        uint32_t value = 0xdeadbeef;
        REQUIRE((at >= D ? gic.distributor_read(at - D, size, value) : gic.cpu_read(at - C, size, value)));
        return value;
    }
    void write(uint32_t at, uint32_t value, unsigned size = 4)
    {
        REQUIRE((at >= D ? gic.distributor_write(at - D, size, value) : gic.cpu_write(at - C, size, value)));
    }
    /// Both interfaces on, nothing masked, the ID enabled at `priority`.
    void open(unsigned id, uint8_t priority)
    {
        write(D + 0x000, 3);
        write(C + 0x00, 3);
        write(C + 0x04, 0xff);
        write(D + 0x400 + id, priority, 1);
        write(D + 0x100 + 4 * (id / 32), 1u << id % 32);
    }
    void raise(unsigned id) { write(D + 0x200 + 4 * (id / 32), 1u << id % 32); }
    uint32_t ack() { return read(C + 0x0c); }
    void eoi(uint32_t id) { write(C + 0x10, id); }
    uint32_t rpr() { return read(C + 0x14); }
    uint32_t hppir() { return read(C + 0x18); }
};

struct Expect {
    uint32_t at, value;
};

}  // namespace

TEST_CASE("Virtual_gic: reset values of every register (arm_gic_common_reset_hold, gic_dist_readb)")
{
    static const Expect table[] = {
        {D + 0x000, 0},           // GICD_CTLR
        {D + 0x004, 0x402},       // GICD_TYPER: (96 / 32) - 1, one CPU, SecurityExtn
        {D + 0x008, 0x43b},       // GICD_IIDR: Arm
        {D + 0x00c, 0},           // reserved
        {D + 0x07c, 0},           //
        {D + 0x080, 0},           // GICD_IGROUPR0-2: group 0
        {D + 0x088, 0},           //
        {D + 0x08c, 0},           // beyond ID 95
        {D + 0x0fc, 0},           //
        {D + 0x100, 0xffff},      // GICD_ISENABLER0: SGIs enabled
        {D + 0x104, 0},           //
        {D + 0x10c, 0},           // beyond ID 95
        {D + 0x180, 0xffff},      // GICD_ICENABLER0
        {D + 0x200, 0},           // GICD_ISPENDR0
        {D + 0x280, 0},           // GICD_ICPENDR0
        {D + 0x300, 0},           // GICD_ISACTIVER0
        {D + 0x380, 0},           // GICD_ICACTIVER0
        {D + 0x400, 0},           // GICD_IPRIORITYR0
        {D + 0x45c, 0},           // IDs 92-95
        {D + 0x460, 0},           // beyond ID 95
        {D + 0x800, 0},           // GICD_ITARGETSR0: RAZ on a uniprocessor GIC, SGIs and PPIs too
        {D + 0x81c, 0},           //
        {D + 0x820, 0},           //
        {D + 0xc00, 0xaaaaaaaa},  // GICD_ICFGR0: SGIs edge-triggered
        {D + 0xc04, 0},           // PPIs level-sensitive
        {D + 0xc14, 0},           //
        {D + 0xc18, 0},           // beyond ID 95
        {D + 0xf00, 0},           // GICD_SGIR: write-only
        {D + 0xf10, 0},           // GICD_CPENDSGIR0
        {D + 0xf2c, 0},           // GICD_SPENDSGIR3
        {D + 0xf30, 0},           // reserved
        {D + 0xfcc, 0},           //
        {D + 0xfd0, 0x04},        // gic_id_gicv1
        {D + 0xfd4, 0},           //
        {D + 0xfd8, 0},           //
        {D + 0xfdc, 0},           //
        {D + 0xfe0, 0x90},        //
        {D + 0xfe4, 0xb3},        //
        {D + 0xfe8, 0x1b},        //
        {D + 0xfec, 0},           //
        {D + 0xff0, 0x0d},        //
        {D + 0xff4, 0xf0},        //
        {D + 0xff8, 0x05},        //
        {D + 0xffc, 0xb1},        //
        {C + 0x00, 0},            // GICC_CTLR
        {C + 0x04, 0},            // GICC_PMR
        {C + 0x08, 0},            // GICC_BPR: GIC_MIN_BPR
        {C + 0x0c, 1023},         // GICC_IAR
        {C + 0x10, 0},            // GICC_EOIR: write-only
        {C + 0x14, 0xff},         // GICC_RPR: idle
        {C + 0x18, 1023},         // GICC_HPPIR
        {C + 0x1c, 1},            // GICC_ABPR: GIC_MIN_ABPR
        {C + 0x20, 0},            // reserved
        {C + 0xd0, 0},            // GICC_APR0: GICv2 only
        {C + 0xe0, 0},            // GICC_NSAPR0: GICv2 only
        {C + 0xfc, 0x0001043b},   // GICC_IIDR: revision 1, Arm
    };
    Gic g;
    for (const Expect& e : table) {
        INFO("offset " << std::hex << e.at);
        CHECK(g.read(e.at) == e.value);
    }
    CHECK_FALSE(g.gic.irq());
    CHECK_FALSE(g.gic.fiq());
}

TEST_CASE("Virtual_gic: what each register keeps of a write of all ones (and of zero)")
{
    struct Write {
        uint32_t at, value, read_back;
    };
    static const Write table[] = {
        {D + 0x000, ~0u, 3},                  // GICD_CTLR: EnableGrp0 | EnableGrp1
        {D + 0x004, ~0u, 0x402},              // GICD_TYPER: read-only
        {D + 0x008, ~0u, 0x43b},              // GICD_IIDR: read-only
        {D + 0x080, ~0u, ~0u},                // GICD_IGROUPR0
        {D + 0x088, ~0u, ~0u},                // GICD_IGROUPR2
        {D + 0x180, ~0u, 0xffff},             // GICD_ICENABLER0: SGIs stay enabled
        {D + 0x104, ~0u, ~0u},                // GICD_ISENABLER1
        {D + 0x200, ~0u, 0xffff0000},         // GICD_ISPENDR0: SGIs are not set here
        {D + 0x300, ~0u, 0},                  // GICD_ISACTIVER0: read-only on GICv1
        {D + 0x400, ~0u, 0xf8f8f8f8},         // GICD_IPRIORITYR0: 5 bits
        {D + 0x420, 0x01020304, 0},           // priorities below 8 are 0
        {D + 0x820, ~0u, 0},                  // GICD_ITARGETSR8: RAZ/WI
        {D + 0xc00, 0, 0xaaaaaaaa},           // GICD_ICFGR0: SGIs stay edge-triggered
        {D + 0xc04, ~0u, 0xaaaaaaaa},         // GICD_ICFGR1: PPIs may be made edge-triggered
        {D + 0xc08, 0x55555555, 0},           // the model bit is 11MPCore's only
        {D + 0xc08, ~0u, 0xaaaaaaaa},         //
        {D + 0xf24, 0x00020100, 0x00020100},  // GICD_SPENDSGIR1: source CPUs
        {D + 0xfe0, ~0u, 0x90},               // identification: read-only
        {C + 0x00, ~0u, 0x1f},                // GICC_CTLR: GICC_CTLR_V1_S_MASK
        {C + 0x04, ~0u, 0xf8},                // GICC_PMR: 5 bits
        {C + 0x04, 0x17, 0x10},               //
        {C + 0x08, ~0u, 7},                   // GICC_BPR
        {C + 0x1c, ~0u, 7},                   // GICC_ABPR
        {C + 0x1c, 0, 1},                     // at least GIC_MIN_ABPR
        {C + 0xfc, 0, 0x0001043b},            // GICC_IIDR: read-only
    };
    for (const Write& w : table) {
        INFO("offset " << std::hex << w.at << " value " << w.value);
        Gic g;
        g.write(w.at, w.value);
        CHECK(g.read(w.at) == w.read_back);
    }
}

TEST_CASE("Virtual_gic: enable bits, SGIs always enabled (gic_dist_writeb forces their value)")
{
    Gic g;
    g.write(D + 0x100, 0);  // a write of 0 to an SGI byte still "enables" all eight
    CHECK(g.read(D + 0x100) == 0xffff);
    g.write(D + 0x100, 0x00050000);
    g.write(D + 0x108, 0x80000001);
    CHECK(g.read(D + 0x100) == 0x0005ffff);
    CHECK(g.read(D + 0x188) == 0x80000001);
    g.write(D + 0x180, 0x00040004);
    g.write(D + 0x188, 1);
    CHECK(g.read(D + 0x100) == 0x0001ffff);
    CHECK(g.read(D + 0x108) == 0x80000000);
}

TEST_CASE("Virtual_gic: pending set and clear, edge and level lines (gic_set_irq_generic, gic_test_pending)")
{
    Gic g;
    // Software pending on an SPI, cleared by ICPENDR.
    g.raise(40);
    CHECK(g.read(D + 0x204) == 1u << 8);
    CHECK(g.read(D + 0x284) == 1u << 8);
    g.write(D + 0x284, 1u << 8);
    CHECK(g.read(D + 0x204) == 0);

    // A level-sensitive line is pending while high, whatever ICPENDR says; disabled or not.
    g.gic.set_level(34, true);
    CHECK(g.read(D + 0x204) == 1u << 2);
    g.write(D + 0x284, 1u << 2);
    CHECK(g.read(D + 0x204) == 1u << 2);
    g.gic.set_level(34, false);
    CHECK(g.read(D + 0x204) == 0);

    // ISPENDR latches a level-sensitive ID even with the line low.
    g.raise(34);
    CHECK(g.read(D + 0x204) == 1u << 2);
    g.write(D + 0x284, 1u << 2);

    // Edge-triggered: a rising edge latches pending; the line going low does not clear it.
    g.write(D + 0xc08, 0x20);  // ID 34 edge-triggered
    g.gic.set_level(34, true);
    g.gic.set_level(34, false);
    CHECK(g.read(D + 0x204) == 1u << 2);
    g.write(D + 0x284, 1u << 2);
    CHECK(g.read(D + 0x204) == 0);
    // A line already high that is made edge-triggered is not pending; back to level it is.
    g.write(D + 0xc08, 0);
    g.gic.set_level(34, true);
    g.write(D + 0xc08, 0x20);
    CHECK(g.read(D + 0x204) == 0);
    g.write(D + 0xc08, 0);
    CHECK(g.read(D + 0x204) == 1u << 2);

    // PPIs too (the A9's timers are PPIs 27, 29 and 30).
    g.gic.set_level(29, true);
    CHECK(g.read(D + 0x200) == 1u << 29);
    // SGIs are no lines, and nor are IDs past 95.
    g.gic.set_level(3, true);
    g.gic.set_level(96, true);
    CHECK(g.read(D + 0x200) == 1u << 29);
    // ISPENDR and ICPENDR leave SGIs alone.
    g.write(D + 0xf00, 0x02000001);
    g.write(D + 0x280, 0xffff);
    g.write(D + 0x200, 0xfffc);
    CHECK(g.read(D + 0x200) == (1u << 29 | 2));
}

TEST_CASE("Virtual_gic: a level line stays pending through acknowledge and returns after EOI")
{
    Gic g;
    g.open(34, 0x10);
    g.gic.set_level(34, true);
    CHECK(g.gic.irq());
    CHECK(g.hppir() == 34);
    CHECK(g.ack() == 34);
    CHECK(g.read(D + 0x204) == 1u << 2);  // still pending, and active
    CHECK(g.read(D + 0x304) == 1u << 2);
    CHECK(g.hppir() == 1023);  // gic_get_best_irq skips active IDs
    CHECK_FALSE(g.gic.irq());
    g.eoi(34);
    CHECK(g.hppir() == 34);
    CHECK(g.gic.irq());
    g.gic.set_level(34, false);
    CHECK(g.hppir() == 1023);
    CHECK_FALSE(g.gic.irq());
}

TEST_CASE("Virtual_gic: acknowledge and EOI nest by priority (gic_activate_irq, gic_drop_prio)")
{
    Gic g;
    g.open(41, 0x40);
    g.open(42, 0x20);
    g.open(43, 0x40);
    g.raise(41);
    CHECK(g.gic.irq());
    CHECK(g.ack() == 41);
    CHECK(g.rpr() == 0x40);
    CHECK_FALSE(g.gic.irq());
    g.raise(43);  // same priority: no preemption
    CHECK(g.hppir() == 43);
    CHECK_FALSE(g.gic.irq());
    CHECK(g.ack() == 1023);
    CHECK(g.read(D + 0x204) == 1u << 11);  // the refused acknowledge changed nothing
    g.raise(42);                           // higher priority preempts
    CHECK(g.hppir() == 42);
    CHECK(g.gic.irq());
    CHECK(g.ack() == 42);
    CHECK(g.rpr() == 0x20);
    CHECK(g.read(D + 0x304) == (1u << 9 | 1u << 10));
    CHECK_FALSE(g.gic.irq());
    g.eoi(42);
    CHECK(g.rpr() == 0x40);
    CHECK(g.read(D + 0x304) == 1u << 9);
    CHECK_FALSE(g.gic.irq());  // 43 is still not above 0x40
    g.eoi(41);
    CHECK(g.rpr() == 0xff);
    CHECK(g.gic.irq());
    CHECK(g.ack() == 43);
    g.eoi(43);
    CHECK(g.rpr() == 0xff);
    CHECK(g.read(D + 0x304) == 0);
    CHECK_FALSE(g.gic.irq());
    // EOI with nothing active, of a spurious or a nonexistent ID: ignored.
    g.eoi(43);
    g.eoi(1023);
    CHECK(g.rpr() == 0xff);
}

TEST_CASE("Virtual_gic: EOI drops the priority even of an ID that is not active (gic_complete_irq)")
{
    Gic g;
    g.open(41, 0x40);
    g.open(42, 0x20);
    g.raise(41);
    g.raise(42);
    CHECK(g.ack() == 42);
    CHECK(g.ack() == 1023);
    g.eoi(41);  // the wrong ID: priority 0x20 drops, 41 (inactive) stays pending
    CHECK(g.rpr() == 0xff);
    CHECK(g.read(D + 0x304) == 1u << 10);
    CHECK(g.ack() == 41);
    CHECK(g.rpr() == 0x40);
    g.eoi(1023);  // >= 96: ignored entirely
    CHECK(g.rpr() == 0x40);
    g.eoi(0x400 | 41);  // only [9:0] count
    CHECK(g.rpr() == 0xff);
    CHECK(g.read(D + 0x304) == 1u << 10);  // 42 never deactivated
}

TEST_CASE("Virtual_gic: the binary point groups priorities for preemption (gic_get_group_priority)")
{
    Gic g;
    g.write(C + 0x08, 3);  // group priority [7:4]
    g.open(41, 0x48);
    g.open(42, 0x40);
    g.raise(41);
    CHECK(g.ack() == 41);
    CHECK(g.rpr() == 0x40);  // the group priority runs
    g.raise(42);
    CHECK(g.hppir() == 42);
    CHECK_FALSE(g.gic.irq());
    CHECK(g.ack() == 1023);  // 0x40 is not above 0x40
    g.eoi(41);
    CHECK(g.rpr() == 0xff);
    CHECK(g.ack() == 42);
    CHECK(g.rpr() == 0x40);
    g.eoi(42);
    CHECK(g.rpr() == 0xff);
}

TEST_CASE("Virtual_gic: the priority mask and the enables gate HPPIR and the IRQ")
{
    Gic g;
    g.open(41, 0x48);
    g.raise(41);
    struct Case {
        uint32_t distributor, cpu, mask;
        uint32_t hppir;
        bool irq;
    };
    static const Case table[] = {
        {1, 1, 0xff, 41, true},     // group 0 on both
        {1, 1, 0x50, 41, true},     // 0x48 < 0x50
        {1, 1, 0x48, 1023, false},  // not below the mask
        {1, 1, 0x40, 1023, false},  //
        {1, 1, 0, 1023, false},     // the reset mask hides everything
        {0, 1, 0xff, 1023, false},  // distributor off
        {1, 0, 0xff, 1023, false},  // CPU interface off
        {2, 1, 0xff, 41, false},    // group 1 on in the distributor: signalling on, group 0 not
        {1, 2, 0xff, 41, false},    //
        {3, 3, 0xff, 41, true},     //
    };
    for (const Case& c : table) {
        INFO("GICD_CTLR " << c.distributor << " GICC_CTLR " << c.cpu << " PMR " << c.mask);
        g.write(D + 0x000, c.distributor);
        g.write(C + 0x00, c.cpu);
        g.write(C + 0x04, c.mask);
        CHECK(g.hppir() == c.hppir);
        CHECK(g.gic.irq() == c.irq);
    }
    // A disabled or an inactive-but-masked ID: nothing.
    g.write(D + 0x184, 1u << 9);
    CHECK(g.hppir() == 1023);
    CHECK(g.read(D + 0x204) == 1u << 9);
}

TEST_CASE("Virtual_gic: acknowledge takes the HPPIR ID even when its group cannot signal")
{
    Gic g;
    g.open(42, 0x40);
    g.raise(42);
    g.write(C + 0x00, 2);  // only group 1 on at the CPU interface; 42 is group 0
    CHECK_FALSE(g.gic.irq());
    CHECK(g.ack() == 42);
    CHECK(g.rpr() == 0x40);
}

TEST_CASE("Virtual_gic: lowest ID wins among equal priorities")
{
    Gic g;
    g.open(50, 0x80);
    g.open(45, 0x80);
    g.open(60, 0x88);
    g.raise(60);
    g.raise(50);
    g.raise(45);
    CHECK(g.ack() == 45);
    CHECK(g.ack() == 1023);
    g.eoi(45);
    CHECK(g.ack() == 50);
    g.eoi(50);
    CHECK(g.ack() == 60);
}

TEST_CASE("Virtual_gic: SGIs through GICD_SGIR and their source CPU in GICC_IAR")
{
    struct Case {
        uint32_t sgir;
        bool pending;
    };
    static const Case table[] = {
        {0x02000003, true},   // filter 2: this CPU
        {0x00010003, true},   // filter 0: target list with CPU 0
        {0x00020003, false},  // target list without CPU 0
        {0x00000003, false},  // empty list
        {0x01000003, false},  // filter 1: all other CPUs
        {0x03000003, true},   // filter 3 (reserved): QEMU targets all CPUs
        {0x0200800f, true},   // NSATT and the rest ignored
    };
    for (const Case& c : table) {
        INFO("GICD_SGIR " << std::hex << c.sgir);
        Gic g;
        g.write(D + 0xf00, c.sgir);
        const unsigned id = c.sgir & 15;
        CHECK(g.read(D + 0x200) == (c.pending ? 1u << id : 0));
        CHECK(g.read(D + 0xf10 + (id & ~3u)) == (c.pending ? 1u << 8 * (id & 3) : 0));
    }
    Gic g;
    g.open(5, 0x10);
    g.write(D + 0xf00, 0x02000005);
    CHECK(g.gic.irq());
    CHECK(g.ack() == 5);  // source CPU 0
    CHECK(g.read(D + 0x200) == 0);
    CHECK(g.read(D + 0xf14) == 0);
    g.eoi(5);
    // A halfword or a byte write to GICD_SGIR does nothing (gic_dist_writeb: bad_reg).
    g.write(D + 0xf00, 0x0005, 2);
    g.write(D + 0xf00, 0x05, 1);
    CHECK(g.read(D + 0x200) == 0);
}

TEST_CASE("Virtual_gic: GICD_SPENDSGIR and GICD_CPENDSGIR keep a source bitmap per SGI (QEMU, revision 1)")
{
    Gic g;
    g.open(5, 0x10);
    g.write(D + 0xf25, 0x06, 1);  // SGI 5 from CPUs 1 and 2
    CHECK(g.read(D + 0xf24) == 0x0600);
    CHECK(g.read(D + 0x200) == 1u << 5);
    CHECK(g.ack() == (1u << 10 | 5));
    CHECK(g.read(D + 0xf24) == 0x0400);
    CHECK(g.read(D + 0x200) == 1u << 5);  // still pending from CPU 2
    g.eoi(5);
    CHECK(g.ack() == (2u << 10 | 5));
    CHECK(g.read(D + 0x200) == 0);
    g.eoi(0x805);
    CHECK(g.rpr() == 0xff);
    g.write(D + 0xf25, 0x81, 1);
    g.write(D + 0xf15, 0x01, 1);  // clear one source: still pending
    CHECK(g.read(D + 0xf14) == 0x8000);
    CHECK(g.read(D + 0x200) == 1u << 5);
    g.write(D + 0xf15, 0x80, 1);  // clear the last: not pending
    CHECK(g.read(D + 0x200) == 0);
    CHECK_FALSE(g.gic.irq());
}

TEST_CASE("Virtual_gic: interrupt groups with Secure accesses: AckCtl, FIQEn, ABPR")
{
    Gic g;
    g.open(41, 0x40);
    g.write(D + 0x084, 1u << 9);  // 41 in group 1
    g.raise(41);
    // gic_get_current_pending_irq: a Secure read sees a group 1 ID as 1022 unless AckCtl is set,
    // and the acknowledge changes nothing; the IRQ is raised all the same.
    CHECK(g.hppir() == 1022);
    CHECK(g.gic.irq());
    CHECK(g.ack() == 1022);
    CHECK(g.rpr() == 0xff);
    g.write(C + 0x00, 7);  // AckCtl
    CHECK(g.hppir() == 41);
    // Group 1's group priority uses ABPR - 1 (SBPR clear): ABPR 4 groups on [7:4].
    g.write(C + 0x1c, 4);
    g.write(D + 0x429, 0x48, 1);
    CHECK(g.ack() == 41);
    CHECK(g.rpr() == 0x40);
    CHECK_FALSE(g.gic.irq());
    // A group 0 ID at 0x40 does not preempt 0x40.
    g.open(42, 0x40);
    g.write(C + 0x00, 7);
    g.raise(42);
    CHECK(g.hppir() == 42);
    CHECK(g.ack() == 1023);
    // EOI of 42 (group 0, inactive) drops group 0's priorities: none, so 0x40 keeps running.
    g.eoi(42);
    CHECK(g.rpr() == 0x40);
    CHECK(g.read(D + 0x304) == 1u << 9);
    g.eoi(41);
    CHECK(g.rpr() == 0xff);
    CHECK(g.read(D + 0x304) == 0);
    // FIQEn: a group 0 ID goes to FIQ instead of IRQ.
    g.write(C + 0x00, 0x0b);
    CHECK(g.gic.fiq());
    CHECK_FALSE(g.gic.irq());
    CHECK(g.ack() == 42);
    CHECK_FALSE(g.gic.fiq());
    g.eoi(42);
    // SBPR (CBPR): group 1 uses GICC_BPR (0: [7:1]), so 0x48 runs at 0x48.
    g.write(C + 0x00, 0x17);
    g.raise(41);
    CHECK(g.ack() == 41);
    CHECK(g.rpr() == 0x48);
    CHECK(g.read(D + 0x080) == 0);  // SGIs and PPIs group 0; banked, but one CPU
    CHECK(g.read(D + 0x084) == 1u << 9);
}

TEST_CASE("Virtual_gic: IDs the guest does not own read as zero and ignore writes")
{
    Gic g(~0u, ~(1u << 9), 0);  // owns everything but ID 41 and IDs 64-95
    g.write(D + 0x000, 3);
    g.write(C + 0x00, 0x1f);
    g.write(C + 0x04, 0xff);
    static const uint32_t registers[] = {0x084, 0x088, 0x104, 0x108, 0x204, 0x208, 0x304, 0x308, 0x428,
                                         0x42c, 0x448, 0x45c, 0x828, 0x848, 0xc08, 0xc10, 0xc14};
    for (uint32_t r : registers) g.write(D + r, ~0u);
    g.gic.set_level(41, true);
    g.gic.set_level(70, true);
    g.gic.set_level(80, true);
    CHECK(g.read(D + 0x084) == ~(1u << 9));
    CHECK(g.read(D + 0x088) == 0);
    CHECK(g.read(D + 0x104) == ~(1u << 9));
    CHECK(g.read(D + 0x108) == 0);
    CHECK(g.read(D + 0x204) == ~(1u << 9));
    CHECK(g.read(D + 0x208) == 0);
    CHECK(g.read(D + 0x428) == 0xf8f800f8);
    CHECK(g.read(D + 0x448) == 0);
    CHECK(g.read(D + 0x45c) == 0);
    CHECK(g.read(D + 0xc08) == 0xaaa2aaaa);
    CHECK(g.read(D + 0xc10) == 0);
    g.write(D + 0x284, ~0u);
    g.write(D + 0x184, ~0u);
    CHECK(g.read(D + 0x204) == 0);
    CHECK(g.read(D + 0x104) == 0);
    // An owned line still works beside them.
    g.write(D + 0x108, 0);
    g.write(D + 0xc08, 0);
    g.open(40, 0x80);
    g.gic.set_level(40, true);
    CHECK(g.hppir() == 1022);  // group 1 from the IGROUPR write above; AckCtl set next
    g.write(C + 0x00, 7);
    CHECK(g.hppir() == 40);
    CHECK(g.gic.irq());
}

TEST_CASE("Virtual_gic: byte and halfword accesses (gic_dist_readb and writeb; the CPU interface by offset)")
{
    Gic g;
    g.write(D + 0x421, 0xff, 1);
    CHECK(g.read(D + 0x420) == 0xf800);
    CHECK(g.read(D + 0x421, 1) == 0xf8);
    CHECK(g.read(D + 0x422, 2) == 0);
    g.write(D + 0x422, 0x1234, 2);
    CHECK(g.read(D + 0x420) == 0x1030f800);
    CHECK(g.read(D + 0x423, 1) == 0x10);
    g.write(D + 0x821, 0xff, 1);  // targets: RAZ/WI bytes too
    CHECK(g.read(D + 0x821, 1) == 0);
    CHECK(g.read(D + 0x81d, 1) == 0);
    CHECK(g.read(D + 0x004, 2) == 0x402);
    CHECK(g.read(D + 0x005, 1) == 0x04);
    CHECK(g.read(D + 0x00a, 2) == 0);
    CHECK(g.read(D + 0xfe1, 1) == 0);  // identification: byte 0 of each word only
    g.write(D + 0x101, 0, 1);          // an SGI byte: forced
    g.write(D + 0x102, 0x03, 1);
    CHECK(g.read(D + 0x100) == 0x0003ffff);
    g.write(D + 0x001, 0xff, 1);  // GICD_CTLR bytes 1-3 ignore writes
    CHECK(g.read(D + 0x000) == 0);

    g.write(C + 0x00, 0xffff, 2);
    CHECK(g.read(C + 0x00, 2) == 0x1f);
    g.write(C + 0x04, 0x88, 1);
    CHECK(g.read(C + 0x04) == 0x88);
    g.write(C + 0x05, 0x00, 1);  // not a register offset: ignored
    CHECK(g.read(C + 0x04) == 0x88);
    CHECK(g.read(C + 0x04, 1) == 0x88);
    CHECK(g.read(C + 0x05, 1) == 0);
    CHECK(g.read(C + 0xfe, 2) == 0);
    CHECK(g.read(C + 0xfc, 2) == 0x043b);
    // A byte read of GICC_IAR acknowledges and returns the low byte.
    g.write(D + 0x000, 1);
    g.write(C + 0x00, 1);
    g.write(C + 0x04, 0xff);
    g.write(D + 0x407, 0x30, 1);
    g.write(D + 0xf26, 0x04, 1);  // SGI 6 from CPU 2
    CHECK(g.read(C + 0x0d, 1) == 0);
    CHECK(g.read(C + 0x0c, 1) == 0x06);
    CHECK(g.rpr() == 0);
    // SGI 7 at 0x30 cannot preempt SGI 6 running at 0x00: a halfword read of GICC_IAR answers
    // 1023 (gic_acknowledge_irq: "insufficient priority"), and only SGI 6 is active. Once SGI 6
    // ends, the halfword read acknowledges SGI 7, and a halfword write of GICC_EOIR ends it.
    // Values as qemu-system-arm 7.2 -M vexpress-a9 returned them for these very accesses.
    g.write(D + 0xf00, 0x02000007);
    CHECK(g.read(C + 0x0c, 2) == 0x03ff);
    CHECK(g.read(D + 0x300, 2) == 0x40);
    CHECK(g.read(C + 0x18) == 7);
    g.write(C + 0x10, 0x806);  // SGI 6 from CPU 2
    CHECK(g.rpr() == 0xff);
    CHECK(g.read(C + 0x0c, 2) == 0x0007);
    CHECK(g.read(D + 0x300, 2) == 0x80);
    CHECK(g.rpr() == 0x30);
    g.write(C + 0x10, 7, 2);
    CHECK(g.read(D + 0x300, 2) == 0);
    CHECK(g.rpr() == 0xff);
}

TEST_CASE("Virtual_gic: the active registers (revision 1: ISACTIVER read-only, ICACTIVER RAZ/WI)")
{
    Gic g;
    g.open(40, 0x80);
    g.raise(40);
    CHECK(g.ack() == 40);
    CHECK(g.read(D + 0x304) == 1u << 8);
    CHECK(g.read(D + 0x384) == 0);
    g.write(D + 0x384, 1u << 8);
    g.write(D + 0x304, 1u << 9);
    CHECK(g.read(D + 0x304) == 1u << 8);
    g.raise(40);  // pending again while active: not signalled
    CHECK(g.read(D + 0x204) == 1u << 8);
    CHECK(g.hppir() == 1023);
    g.eoi(40);
    CHECK(g.read(D + 0x304) == 0);
    CHECK(g.hppir() == 40);
}

namespace {

// A step of a native session: write (W, W8, W16), read and compare (R, R8, R16), a device line's
// level (L: `at` the ID), or the CPU's pending IRQ/FIQ as CP15 ISR showed it (I: 0x80 IRQ, 0x40 FIQ).
enum Op {
    W,
    W8,
    W16,
    R,
    R8,
    R16,
    L,
    I
};
struct Step {
    Op op;
    uint32_t at, value;
};

void replay(const Step* steps, unsigned count)
{
    Gic g;
    for (unsigned n = 0; n < count; ++n) {
        const Step& s = steps[n];
        INFO("step " << n << ": offset " << std::hex << s.at << " value " << s.value);
        switch (s.op) {
        case W: g.write(s.at, s.value); break;
        case W8: g.write(s.at, s.value, 1); break;
        case W16: g.write(s.at, s.value, 2); break;
        case R: CHECK(g.read(s.at) == s.value); break;
        case R8: CHECK(g.read(s.at, 1) == s.value); break;
        case R16: CHECK(g.read(s.at, 2) == s.value); break;
        case L: g.gic.set_level(s.at, s.value != 0); break;
        case I: CHECK((g.gic.irq() ? 0x80u : 0) + (g.gic.fiq() ? 0x40u : 0) == s.value); break;
        }
    }
}

}  // namespace

TEST_CASE("Virtual_gic: native session 1 on qemu-system-arm 7.2 -M vexpress-a9 (a Secure guest)")
{
    static const Step steps[] = {
        {W, D + 0x400, ~0u},
        {R, D + 0x400, 0xf8f8f8f8},
        {W, D + 0x420, 0x01020304},
        {R, D + 0x420, 0},
        {W8, D + 0x421, 0xff},
        {R, D + 0x420, 0xf800},
        {R8, D + 0x421, 0xf8},
        {R16, D + 0x422, 0},
        {W, D + 0x820, ~0u},
        {R, D + 0x820, 0},
        {W, D + 0x000, ~0u},
        {R, D + 0x000, 3},
        {W, D + 0x004, ~0u},
        {R, D + 0x004, 0x402},
        {W, D + 0x080, ~0u},
        {R, D + 0x080, ~0u},
        {W, D + 0x180, ~0u},
        {R, D + 0x100, 0xffff},
        {W, D + 0x100, ~0u},
        {R, D + 0x100, ~0u},
        {W, D + 0x180, ~0u},
        {R, D + 0x100, 0xffff},
        {W, D + 0x104, 0x300},
        {R, D + 0x104, 0x300},
        {W, D + 0xc00, 0},
        {R, D + 0xc00, 0xaaaaaaaa},
        {W, D + 0xc04, ~0u},
        {R, D + 0xc04, 0xaaaaaaaa},
        {W, D + 0xc04, 0},
        {W, D + 0xc08, 0x55555555},
        {R, D + 0xc08, 0},
        {W, D + 0xc08, ~0u},
        {R, D + 0xc08, 0xaaaaaaaa},
        {W, D + 0xc08, 0},
        {W, C + 0x00, ~0u},
        {R, C + 0x00, 0x1f},
        {W, C + 0x04, ~0u},
        {R, C + 0x04, 0xf8},
        {W, C + 0x08, ~0u},
        {R, C + 0x08, 7},
        {W, C + 0x1c, ~0u},
        {R, C + 0x1c, 7},
        {W, C + 0x08, 0},
        // ID 40 (group 1, AckCtl set) at 0x80: pending, acknowledged, pending again while active.
        {W8, D + 0x428, 0x80},
        {W, D + 0x204, 1u << 8},
        {R, D + 0x204, 1u << 8},
        {R, C + 0x18, 40},
        {R, C + 0x0c, 40},
        {R, C + 0x14, 0x80},
        {R, D + 0x304, 1u << 8},
        {R, D + 0x384, 0},
        {R, D + 0x204, 0},
        {W, D + 0x204, 1u << 8},
        {R, D + 0x204, 1u << 8},
        {R, C + 0x18, 1023},
        {R, C + 0x0c, 1023},
        {W, D + 0x384, 1u << 8},
        {R, D + 0x304, 1u << 8},
        {W, D + 0x304, 1u << 9},
        {R, D + 0x304, 1u << 8},
        {W, C + 0x10, 40},
        {R, C + 0x14, 0xff},
        {R, D + 0x304, 0},
        {R, C + 0x18, 40},
        {R, C + 0x0c, 40},
        {R, C + 0x14, 0x80},
        {W, C + 0x10, 40},
        // SGIs: SGI 3 sits at priority 0xf8, not below the mask.
        {W, D + 0xf00, 0x02000003},
        {R, D + 0x200, 8},
        {R, D + 0xf10, 0x01000000},
        {R, C + 0x18, 1023},
        {R, C + 0x0c, 1023},
        {W, C + 0x10, 3},
        {W8, D + 0xf25, 0x06},
        {R, D + 0xf24, 0x0600},
        {R, C + 0x0c, 0x405},
        {R, D + 0xf24, 0x0400},
        {W, C + 0x10, 0x805},
        {R, C + 0x0c, 0x805},
        {W, C + 0x10, 0x1005},
        {R, C + 0x14, 0xff},
        {W, D + 0xf00, 0x01000004},
        {R, D + 0x200, 8},
        {W, D + 0xf00, 0x00020004},
        {R, D + 0x200, 8},
        {W, D + 0xf00, 0x03000004},
        {R, D + 0x200, 0x18},
        {R, C + 0x0c, 4},
        {W, C + 0x10, 4},
        {W16, D + 0xf00, 6},
        {R, D + 0x200, 8},
        {W, D + 0xf00, 0x02000007},
        {R8, C + 0x0c, 7},
        {R, C + 0x14, 0},
        {W, C + 0x10, 7},
        // Nesting: 41 at 0x40, then 42 at 0x20.
        {W8, D + 0x429, 0x40},
        {W8, D + 0x42a, 0x20},
        {W, D + 0x104, 3u << 9},
        {W, D + 0x204, 1u << 9},
        {R, C + 0x0c, 41},
        {R, C + 0x14, 0x40},
        {W, D + 0x204, 1u << 10},
        {R, C + 0x18, 42},
        {R, C + 0x0c, 42},
        {R, C + 0x14, 0x20},
        {W, C + 0x10, 42},
        {R, C + 0x14, 0x40},
        {W, C + 0x10, 41},
        {R, C + 0x14, 0xff},
        // GICC_BPR 3: 0x48 runs at 0x40 and 0x40 cannot preempt it.
        {W, C + 0x08, 3},
        {W8, D + 0x429, 0x48},
        {W8, D + 0x42a, 0x40},
        {W, D + 0x204, 1u << 9},
        {R, C + 0x0c, 41},
        {R, C + 0x14, 0x40},
        {W, D + 0x204, 1u << 10},
        {R, C + 0x18, 42},
        {R, C + 0x0c, 1023},
        {W, C + 0x10, 41},
        {R, C + 0x14, 0xff},
        {R, C + 0x0c, 42},
        {R, C + 0x14, 0x40},
        {W, C + 0x10, 42},
        {R, C + 0x14, 0xff},
        {W, C + 0x10, 42},
        {R, C + 0x14, 0xff},
        // Narrow accesses.
        {R8, C + 0x04, 0xf8},
        {R8, C + 0x05, 0},
        {R16, C + 0x00, 0x1f},
        {R16, C + 0xfe, 0},
        {W8, C + 0x04, 0x88},
        {R, C + 0x04, 0x88},
        {W8, C + 0x05, 0},
        {R, C + 0x04, 0x88},
        {R16, D + 0x004, 0x402},
        {R16, D + 0x00a, 0},
        {R8, D + 0xfe1, 0},
        // Gating of GICC_HPPIR.
        {W, D + 0x204, 1u << 9},
        {R, C + 0x18, 41},
        {W, D + 0x000, 0},
        {R, C + 0x18, 1023},
        {W, D + 0x000, 1},
        {W, C + 0x04, 0x40},
        {R, C + 0x18, 1023},
        {W, C + 0x04, 0x50},
        {R, C + 0x18, 41},
        {W, D + 0x284, ~0u},
        {R, D + 0x204, 0},
    };
    replay(steps, sizeof steps / sizeof *steps);
}

TEST_CASE("Virtual_gic: native session 2: groups, FIQ and a level line (SP804 on ID 34)")
{
    static const Step steps[] = {
        {I, 0, 0},
        {W, D + 0x000, 3},
        {W, C + 0x00, 3},
        {W, C + 0x04, 0xf8},
        {W8, D + 0x429, 0x40},
        {W, D + 0x104, 1u << 9},
        {W, D + 0x084, 1u << 9},
        {W, D + 0x204, 1u << 9},
        {R, C + 0x18, 1022},
        {I, 0, 0x80},
        {R, C + 0x0c, 1022},
        {R, C + 0x14, 0xff},
        {W, C + 0x00, 7},
        {R, C + 0x18, 41},
        {R, C + 0x0c, 41},
        {R, C + 0x14, 0x40},
        {I, 0, 0},
        {W, C + 0x10, 41},
        {R, C + 0x14, 0xff},
        {W, C + 0x1c, 4},
        {W, C + 0x08, 0},
        {W8, D + 0x429, 0x48},
        {W, D + 0x204, 1u << 9},
        {R, C + 0x0c, 41},
        {R, C + 0x14, 0x40},
        {W8, D + 0x42a, 0x40},
        {W, D + 0x104, 1u << 10},
        {W, D + 0x204, 1u << 10},
        {R, C + 0x18, 42},
        {R, C + 0x0c, 1023},
        {I, 0, 0},
        {W, C + 0x00, 0x17},
        {R, C + 0x14, 0x40},
        {W, C + 0x10, 42},
        {R, C + 0x14, 0x40},
        {R, D + 0x304, 1u << 9},
        {W, C + 0x10, 41},
        {R, C + 0x14, 0xff},
        {R, D + 0x304, 0},
        {W, C + 0x00, 0x0b},
        {I, 0, 0x40},
        {R, C + 0x18, 42},
        {R, C + 0x0c, 42},
        {I, 0, 0},
        {W, C + 0x10, 42},
        {W, D + 0x204, 1u << 10},
        {W, C + 0x00, 2},
        {R, C + 0x18, 42},
        {I, 0, 0},
        {R, C + 0x0c, 42},
        {R, C + 0x14, 0x40},
        {W, D + 0x284, 1u << 10},
        {W, C + 0x10, 42},
        {R, C + 0x14, 0xff},
        {R, D + 0x304, 0},
        {W, C + 0x00, 3},
        {W, D + 0x000, 2},
        {W, D + 0x204, 1u << 10},
        {R, C + 0x18, 42},
        {I, 0, 0},
        {W, D + 0x284, 1u << 10},
        {W, D + 0x000, 3},
        {R, D + 0x084, 1u << 9},
        {R, D + 0x088, 0},
        {R, D + 0x08c, 0},
        {W, D + 0x084, 0},
        // The SP804's level-sensitive line.
        {W8, D + 0x422, 0x10},
        {W, D + 0x104, 1u << 2},
        {L, 34, 1},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x18, 34},
        {I, 0, 0x80},
        {W, D + 0x284, 1u << 2},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x0c, 34},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x18, 1023},
        {W, C + 0x10, 34},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x18, 34},
        {W, D + 0xc08, 0x20},
        {R, D + 0x204, 0},
        {W, D + 0xc08, 0},
        {R, D + 0x204, 1u << 2},
        {W, D + 0x184, 1u << 2},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x18, 1023},
        {W, D + 0x104, 1u << 2},
        {L, 34, 0},
        {R, D + 0x204, 0},
        {W, D + 0x204, 1u << 2},
        {R, D + 0x204, 1u << 2},
        {R, C + 0x0c, 34},
        {R, D + 0x204, 0},
        {W, C + 0x10, 34},
    };
    replay(steps, sizeof steps / sizeof *steps);
}

TEST_CASE("Virtual_gic: signal() is kept until something it depends on changes")
{
    Gic g(0, 1u << 2);  // owns 34
    g.open(34, 0x40);
    CHECK(g.gic.signal() == 0);
    CHECK(g.gic.signal_known());
    // Reads other than GICC_IAR and lines that keep their level change nothing: no recomputation.
    g.gic.set_level(34, false);
    g.gic.set_level(35, true);  // not owned
    g.gic.set_level(7, true);   // an SGI: not a line
    for (uint32_t at : {D + 0x000, D + 0x104, D + 0x204, D + 0x304, D + 0x420, D + 0xc08, D + 0xf10, C + 0x00,
                        C + 0x04, C + 0x14, C + 0x18})
        g.read(at);
    CHECK(g.gic.signal_known());
    g.gic.set_level(34, true);  // a change of level
    CHECK_FALSE(g.gic.signal_known());
    CHECK(g.gic.signal() == 1);
    g.gic.set_level(34, true);
    CHECK(g.gic.signal_known());
    CHECK(g.ack() == 34);  // an acknowledge
    CHECK_FALSE(g.gic.signal_known());
    CHECK(g.gic.signal() == 0);
    g.eoi(34);  // a write
    CHECK_FALSE(g.gic.signal_known());
    CHECK(g.gic.signal() == 1);
    // An active ID's line (a timer's, cleared in its handler) or a disabled one's changes nothing.
    CHECK(g.ack() == 34);
    CHECK(g.gic.signal() == 0);
    g.gic.set_level(34, false);
    CHECK(g.gic.signal_known());
    g.write(D + 0x184, 1u << 2);  // GICD_ICENABLER1: 34 disabled
    CHECK(g.gic.signal() == 0);
    g.gic.set_level(34, true);
    CHECK(g.gic.signal_known());
    g.gic.set_level(34, false);
    CHECK(g.gic.signal_known());
    // An acknowledge that takes nothing changes nothing either.
    CHECK(g.ack() == 1023);
    CHECK(g.gic.signal_known());
}

TEST_CASE("Virtual_gic: the kept signal() equals one computed from scratch after random register traffic")
{
    // Random writes to every register that holds state, acknowledges, completions and line
    // changes, biased towards a GIC that signals (both interfaces on, the mask open); after each
    // step the kept value must equal a recomputation: a path that changes state without
    // forgetting it fails here.
    std::mt19937 random(20260315);
    const auto pick = [&](uint32_t n) { return uint32_t(random() % n); };
    unsigned steps = 0, signalled = 0, mismatches = 0;
    for (unsigned run = 0; run < 300; ++run) {
        Gic g{uint32_t(random()), uint32_t(random()), uint32_t(random())};
        for (unsigned step = 0; step < 300; ++step, ++steps) {
            switch (pick(16)) {
            case 0: g.write(D + 0x000, pick(8) ? 3 : pick(4)); break;                      // GICD_CTLR
            case 1: g.write(C + 0x00, pick(8) ? 3 | (pick(32) & 0x1c) : pick(32)); break;  // GICC_CTLR
            case 2: g.write(C + 0x04, pick(4) ? 0xff : pick(256)); break;                  // GICC_PMR
            case 3: g.write(C + 4 * (2 + 5 * pick(2)), pick(8)); break;           // GICC_BPR, GICC_ABPR
            case 4: g.write(D + 0x080 + 4 * pick(3), uint32_t(random())); break;  // GICD_IGROUPR
            case 5: g.write(D + 0x100 + 0x80 * pick(2) + 4 * pick(3), 1u << pick(32)); break;  // IS/ICENABLER
            case 6: g.write(D + 0x200 + 0x80 * pick(2) + 4 * pick(3), 1u << pick(32)); break;  // IS/ICPENDR
            case 7: g.write(D + 0x400 + pick(96), pick(256), 1); break;                     // GICD_IPRIORITYR
            case 8: g.write(D + 0xc00 + 4 * pick(6), uint32_t(random())); break;            // GICD_ICFGR
            case 9: g.write(D + 0xf00, pick(4) << 24 | pick(256) << 16 | pick(16)); break;  // GICD_SGIR
            case 10: g.write(D + 0xf10 + pick(32), pick(4), 1); break;  // GICD_CPENDSGIR, GICD_SPENDSGIR
            case 11: g.gic.set_level(pick(100), pick(2)); break;
            case 12:
            case 13: {
                const uint32_t id = g.ack() & 0x3ff;
                if (pick(4)) g.eoi(pick(8) ? id : pick(100));
                break;
            }
            case 14: g.eoi(pick(100)); break;
            default: g.read(pick(2) ? C + 4 * pick(8) : D + 4 * pick(1024)); break;
            }
            const unsigned kept = g.gic.signal();
            mismatches += kept != g.gic.compute_signal();
            signalled += kept != 0;
        }
    }
    CHECK(mismatches == 0);
    CHECK(signalled > steps / 10);  // the traffic reaches the states that matter
}
