#include <catch2/catch.hpp>

#include "core/trap.hpp"

using namespace core;

namespace {

struct No_memory final : Guest_memory {
    bool access(uint32_t, bool, uint32_t&) override { return false; }
};

struct Guest {
    Vcpu cpu{Architecture::v7};
    Virtual_cp15 cp15{Cpu_core::cortex_a9, Cp15_ids{}};
    No_memory memory;
    rewrite::Entry entries[2] = {{0x60001000, 0xe10f3000}, {0x60001008, 0xe320f003}};  // mrs r3, cpsr; wfi
    Rewrite_table table{entries, 2};
    Guest_context context{cpu, cp15, memory, table};
    Guest()
    {
        cp15.set_field(field_vbar, 0x60000000);
        cpu.r[15] = 0x60001000;
    }
};

}  // namespace

TEST_CASE("trap: a rewritten instruction is emulated from the table")
{
    Guest g;
    CHECK(handle_undefined(g.context, rewrite::encode(0), 0x60001000) == Guest_event::resume);
    CHECK(g.cpu.r[3] == Vcpu::entry_cpsr);
    CHECK(g.cpu.r[15] == 0x60001004);
    g.cpu.r[15] = 0x60001008;
    CHECK(handle_undefined(g.context, rewrite::encode(1), 0x60001008) == Guest_event::wait_for_interrupt);
    CHECK(g.cpu.r[15] == 0x6000100c);
}

TEST_CASE("trap: a UDF the rewriter did not place there is the guest's own undefined instruction")
{
    Guest g;
    g.cpu.write_cpsr(0x60000013, ~0u);
    // Right index, wrong address (a copy of the code, or the guest's own UDF that happens to match).
    CHECK(handle_undefined(g.context, rewrite::encode(0), 0x60002000) == Guest_event::resume);
    CHECK(g.cpu.mode() == Mode::und);
    CHECK(g.cpu.r[14] == 0x60001004);
    CHECK(*g.cpu.spsr() == 0x60000013);
    CHECK(g.cpu.r[15] == 0x60000004);  // VBAR + 4
    Guest h;
    CHECK(handle_undefined(h.context, rewrite::encode(7), 0x60001000) ==
          Guest_event::resume);  // out of range
    CHECK(h.cpu.mode() == Mode::und);
    Guest k;
    CHECK(handle_undefined(k.context, 0xe7f001f2, 0x60001000) == Guest_event::resume);  // Linux's BUG()
    CHECK(k.cpu.mode() == Mode::und);
}

TEST_CASE("trap: BKPT becomes a prefetch abort with IFSR debug event and SVC is reflected")
{
    Guest g;
    CHECK(handle_undefined(g.context, 0xe1200070, 0x60001000) == Guest_event::resume);
    CHECK(g.cpu.mode() == Mode::abt);
    CHECK(g.cp15.field(field_ifsr) == 0x2);
    CHECK(g.cpu.r[14] == 0x60001004);
    CHECK(g.cpu.r[15] == 0x6000000c);
    Guest s;
    s.cpu.write_cpsr(0x10, psr::mode);
    s.cpu.r[15] = 0x60001004;  // the return address: the SVC was at 0x60001000
    CHECK(handle_supervisor_call(s.context) == Guest_event::resume);
    CHECK(s.cpu.mode() == Mode::svc);
    CHECK(s.cpu.r[14] == 0x60001004);
    CHECK((*s.cpu.spsr() & psr::mode) == 0x10);
    CHECK(s.cpu.r[15] == 0x60000008);
}

TEST_CASE("trap: a faulting emulated access becomes a data abort at the instruction")
{
    Guest g;
    g.cpu.r[13] = 0x60100000;
    CHECK(handle_undefined(g.context, 0xe8fd800f, 0x60001000) == Guest_event::resume);  // ldmfd sp!, {..pc}^
    CHECK(g.cpu.mode() == Mode::abt);
    CHECK(g.cpu.r[14] == 0x60001008);
    CHECK(g.cpu.r[15] == 0x60000010);
}

TEST_CASE("trap: copied code's rewrite is found where it runs, by its virtual address, and only there")
{
    // Entry 0: Linux's vector stub `mrs r0, cpsr`, loaded at 0x61200094 and run from its copy at
    // 0xffff1034 (the rewriter marks such an entry's virtual address with bit 0); entry 1 in place.
    const rewrite::Entry entries[2] = {{0xffff1034 | 1, 0xe10f0000}, {0x60001000, 0xe10f3000}};
    const Rewrite_table table{entries, 2};
    uint32_t instruction = 0;
    CHECK(
        table.original(rewrite::encode(0), 0x6abc1034, 0xffff1034, instruction));  // the copy, wherever it is
    CHECK(instruction == 0xe10f0000);
    CHECK_FALSE(table.original(rewrite::encode(0), 0x61200094, 0x61200094, instruction));  // never run there
    CHECK_FALSE(table.original(rewrite::encode(0), 0x6abc1038, 0xffff1038, instruction));
    CHECK(table.original(rewrite::encode(1), 0x60001000, 0xc0001000,
                         instruction));  // in place: its physical address
    CHECK(instruction == 0xe10f3000);
    CHECK_FALSE(table.original(rewrite::encode(1), 0x60002000, 0x60001000,
                               instruction));  // no mark: pc never matches
}

TEST_CASE("trap: MRC and MCR of p15 with opc1 7 are undefined on the fast way too, not the VFP's registers")
{
    for (const uint32_t word : {0xeef00f10u, 0xeee00f10u}) {  // mrc / mcr p15, 7, r0, c0, c0, 0 (FPSID's key)
        Guest g;
        g.cpu.r[0] = 0x1234;
        CHECK(execute(g.context, word) == Guest_event::resume);
        CHECK((g.cpu.cpsr() & 0x1f) == 0x1b);  // the guest's undefined-instruction exception
        CHECK(g.cpu.r[15] == 0x60000004);      // its vector
        CHECK(g.cpu.r[0] == 0x1234);           // nothing read
        CHECK(g.cp15.shortcut.word == 0);      // nor remembered for entry.S
    }
}
