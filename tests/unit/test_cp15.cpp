#include <catch2/catch.hpp>
#include <utility>

#include "core/cp15.hpp"

using namespace core;

namespace {

Cp15_ids ids_for(uint32_t midr)
{
    Cp15_ids ids{};
    for (unsigned crm = 0; crm < 3; ++crm)
        for (unsigned opc2 = 0; opc2 < 8; ++opc2) ids.c0[crm][opc2] = 0x1000 * crm + opc2;
    ids.c0[0][0] = midr;
    ids.ccsidr[0] = 0xd;
    ids.ccsidr[1] = 0x1;
    ids.id[core::id_clidr] = 0x09200003;
    ids.id[core::id_cbar] = 0x1e000000;
    ids.reset[field_sctlr] = 0x00c50078;
    ids.fixed[field_ttbcr] = ~0x37u;  // as the Cortex-A9 in QEMU keeps them
    return ids;
}

struct Cp15_harness {
    Vcpu cpu;
    Virtual_cp15 cp15;
    struct No_memory final : Guest_memory {
        bool access(uint32_t, bool, uint32_t&) override { return false; }
    } memory;
    Cp15_harness(Architecture a, Cpu_core core, uint32_t midr) : cpu(a), cp15(core, ids_for(midr)) {}
    Outcome run(uint32_t word)
    {
        cpu.r[15] = 0x8000;
        return emulate(cpu, decode(word, cpu.architecture()), memory, cp15);
    }
};

}  // namespace

TEST_CASE("CP15: identification registers come from the captured block")
{
    Cp15_harness a9(Architecture::v7, Cpu_core::cortex_a9, 0x410fc090);
    CHECK(a9.run(0xee101f10) == Outcome::next);  // mrc p15, 0, r1, c0, c0, 0
    CHECK(a9.cpu.r[1] == 0x410fc090);
    CHECK(a9.run(0xee101fb0) == Outcome::next);  // c0, c0, 5 (MPIDR)
    CHECK(a9.cpu.r[1] == 5);
    CHECK(a9.run(0xee101f31) == Outcome::next);  // c0, c1, 1 (ID_PFR1)
    CHECK(a9.cpu.r[1] == 0x1001);
    CHECK(a9.run(0xee101f53) == Outcome::next);  // c0, c3, 2: RAZ on ARMv7
    CHECK(a9.cpu.r[1] == 0);
    CHECK(a9.run(0xee301f30) == Outcome::next);  // mrc p15, 1, r1, c0, c0, 1 (CLIDR)
    CHECK(a9.cpu.r[1] == 0x09200003);
    CHECK(a9.run(0xee9f1f10) == Outcome::next);  // mrc p15, 4, r1, c15, c0, 0 (CBAR)
    CHECK(a9.cpu.r[1] == 0x1e000000);
    a9.cpu.r[2] = 1;
    CHECK(a9.run(0xee402f10) == Outcome::next);  // mcr p15, 2, r2, c0, c0, 0 (CSSELR = I-cache)
    CHECK(a9.run(0xee301f10) == Outcome::next);  // mrc p15, 1, r1, c0, c0, 0 (CCSIDR)
    CHECK(a9.cpu.r[1] == 0x1);
    CHECK(a9.run(0xee001f10) == Outcome::undefined);  // MIDR is read-only: UNDEFINED, as in QEMU
    Cp15_harness v5(Architecture::v5, Cpu_core::arm926, 0x41069265);
    CHECK(v5.run(0xee101f31) == Outcome::undefined);  // ARMv5 has no c0, c1 feature registers
    CHECK(v5.run(0xee301f30) == Outcome::undefined);  // nor CLIDR
}

TEST_CASE("CP15: SCTLR and translation registers raise effects and reset from the capture")
{
    Cp15_harness h(Architecture::v7, Cpu_core::cortex_a9, 0x410fc090);
    CHECK(h.run(0xee111f10) == Outcome::next);  // mrc SCTLR
    CHECK(h.cpu.r[1] == 0x00c50078);
    h.cpu.r[0] = 0x00c52079;  // M and V
    CHECK(h.run(0xee010f10) == Outcome::next);
    CHECK(h.cp15.effects == effect_tlb_all);  // the MMU on: every shadow entry goes
    CHECK(h.cp15.effect_address == 0x00c50078);
    CHECK(h.cp15.vector_base() == 0xffff0000);
    h.cp15.effects = 0;
    h.cpu.r[0] = 0xffffffff;
    CHECK(h.run(0xee020f50) == Outcome::next);  // mcr TTBCR
    CHECK(h.cp15.field(field_ttbcr) == 0x37);
    CHECK(h.cp15.effects == effect_address_space);
    h.cp15.effects = 0;
    h.cpu.r[0] = 0x55555555;
    CHECK(h.run(0xee030f10) == Outcome::next);  // mcr DACR
    CHECK(h.cp15.effects == effect_domains);
    h.cpu.r[0] = 1;
    CHECK(h.run(0xee030f10) == Outcome::next);
    CHECK(h.cp15.effect_address == 0x55555555);  // the value it replaced
    h.cp15.effects = 0;
    h.cpu.r[0] = 0x60000123;
    CHECK(h.run(0xee0c0f10) == Outcome::next);      // mcr VBAR
    CHECK(h.cp15.field(field_vbar) == 0x60000120);  // bits 4:0 are RES0
    h.cpu.r[0] = 0x00c50078;
    CHECK(h.run(0xee010f10) == Outcome::next);
    CHECK(h.cp15.vector_base() == 0x60000120);
}

TEST_CASE("CP15: TLB maintenance reports what to drop")
{
    Cp15_harness h(Architecture::v6, Cpu_core::arm1176, 0x410fb767);
    h.cpu.r[0] = 0x12345000;
    CHECK(h.run(0xee080f37) == Outcome::next);  // TLBIMVA
    CHECK(h.cp15.effects == effect_tlb_address);
    CHECK(h.cp15.effect_address == 0x12345000);
    h.cpu.r[0] = 0x42;
    CHECK(h.run(0xee080f57) == Outcome::next);  // TLBIASID
    CHECK((h.cp15.effects & effect_tlb_asid));
    CHECK(h.cp15.effect_address == 0x42);
    CHECK(h.run(0xee080f17) == Outcome::next);  // TLBIALL
    CHECK((h.cp15.effects & effect_tlb_all));
    CHECK(h.run(0xee080f77) == Outcome::undefined);  // TLBIMVAA is ARMv7's
    CHECK(h.run(0xee180f17) == Outcome::undefined);  // operations cannot be read
}

TEST_CASE("CP15: user access only where the architecture grants it")
{
    Cp15_harness h(Architecture::v7, Cpu_core::cortex_a9, 0x410fc090);
    h.cpu.r[0] = 0xabc;
    CHECK(h.run(0xee0d0f70) == Outcome::next);  // TPIDRURO write, privileged
    h.cpu.write_cpsr(0x10, psr::mode);
    CHECK(h.run(0xee1d1f70) == Outcome::next);  // TPIDRURO read in USR
    CHECK(h.cpu.r[1] == 0xabc);
    CHECK(h.run(0xee0d0f70) == Outcome::undefined);  // TPIDRURO write in USR
    CHECK(h.run(0xee0d0f50) == Outcome::next);       // TPIDRURW write in USR
    CHECK(h.run(0xee070f9a) == Outcome::next);       // CP15DSB in USR
    CHECK(h.run(0xee111f10) == Outcome::undefined);  // SCTLR in USR
    CHECK(h.run(0xee101f10) == Outcome::undefined);  // MIDR in USR
}

TEST_CASE("CP15: the ARM926's drain write buffer is privileged; ARMv6's CP15DSB is not")
{
    Cp15_harness v5(Architecture::v5, Cpu_core::arm926, 0x41069265);
    CHECK(v5.run(0xee070f9a) == Outcome::next);  // mcr p15, 0, r0, c7, c10, 4 in SVC
    v5.cpu.write_cpsr(0x10, psr::mode);
    CHECK(v5.run(0xee070f9a) == Outcome::undefined);  // in USR, as on the ARM926
    Cp15_harness v6(Architecture::v6, Cpu_core::arm1176, 0x410fb767);
    v6.cpu.write_cpsr(0x10, psr::mode);
    CHECK(v6.run(0xee070f9a) == Outcome::next);
}

TEST_CASE("CP15: reset values and the bits a write keeps come from the probed core")
{
    Cp15_ids ids = ids_for(0x410fb767);
    ids.reset[field_cpacr] = 0xc0000000;    // QEMU's ARM1176: cp14 access bits read as one
    ids.fixed[field_cpacr] = ~0x00f00000u;  // cp10 and cp11 access only
    ids.fixed[field_wfar] = ~0u;            // QEMU's ARM1176 keeps nothing
    ids.fixed[field_ttbcr] = ~0x7u;         // nor PD0/PD1
    Vcpu cpu(Architecture::v6);
    Virtual_cp15 cp15(Cpu_core::arm1176, ids);
    struct No_memory final : Guest_memory {
        bool access(uint32_t, bool, uint32_t&) override { return false; }
    } memory;
    const auto run = [&](uint32_t word) {
        cpu.r[15] = 0x8000;
        return emulate(cpu, decode(word, cpu.architecture()), memory, cp15);
    };
    CHECK(cp15.field(field_cpacr) == 0xc0000000);
    cpu.r[0] = ~0u;
    CHECK(run(0xee010f50) == Outcome::next);  // mcr CPACR
    CHECK(cp15.field(field_cpacr) == 0xc0f00000);
    cpu.r[0] = 0;
    CHECK(run(0xee010f50) == Outcome::next);
    CHECK(cp15.field(field_cpacr) == 0xc0000000);  // what does not change stays as it was
    cpu.r[0] = ~0u;
    CHECK(run(0xee060f30) == Outcome::next);  // mcr WFAR
    CHECK(cp15.field(field_wfar) == 0);
    cpu.r[0] = 0x37;
    CHECK(run(0xee020f50) == Outcome::next);  // mcr TTBCR
    CHECK(cp15.field(field_ttbcr) == 0x7);
}

TEST_CASE("CP15: per-core registers and the ARM926 test-and-clean loop")
{
    Cp15_harness v5(Architecture::v5, Cpu_core::arm926, 0x41069265);
    CHECK(v5.run(0xee17ff7a) == Outcome::next);  // mrc p15, 0, APSR_nzcv, c7, c10, 3
    CHECK((v5.cpu.cpsr() & psr::flags) == 0x40000000);
    CHECK(v5.run(0xee0c0f10) == Outcome::undefined);  // no VBAR on the ARM926
    CHECK(v5.run(0xee110f30) == Outcome::undefined);  // no ACTLR
    CHECK(v5.run(0xee1d0f30) == Outcome::next);       // Context ID
    Cp15_harness v6(Architecture::v6, Cpu_core::arm1176, 0x410fb767);
    CHECK(v6.run(0xee160f30) == Outcome::next);       // WFAR
    CHECK(v6.run(0xee17ff7a) == Outcome::undefined);  // test and clean is the ARM926's
    CHECK(v6.run(0xee1e0f10) == Outcome::undefined);  // c14: nothing there
    // c15 on the ARM926 and ARM1176: QEMU reads every register as zero and ignores writes.
    v6.cpu.r[1] = 0x1234;
    CHECK(v6.run(0xee1f1ff7) == Outcome::next);  // mrc p15, 0, r1, c15, c15, 7
    CHECK(v6.cpu.r[1] == 0);
    CHECK(v5.run(0xee0f1ff7) == Outcome::next);  // mcr
    Cp15_harness a9(Architecture::v7, Cpu_core::cortex_a9, 0x410fc090);
    CHECK(a9.run(0xee1f1ff7) == Outcome::undefined);  // the Cortex-A9 traps it
    CHECK(v6.run(0xee100e10) == Outcome::undefined);  // mrc p14: not CP15
}

TEST_CASE("CP15: a privileged read of a plain register becomes the trap path's shortcut")
{
    Virtual_cp15 cp15(Cpu_core::cortex_a9, ids_for(0x410fc090));
    const uint32_t read_tpidrprw = 0xee1d3f90;  // mrc p15, 0, r3, c13, c0, 4
    const uint32_t write_tpidrprw = 0xee0d3f90;
    uint32_t value = 0x1234;
    REQUIRE(cp15.move(write_tpidrprw, true, value));
    CHECK(cp15.shortcut.word == 0);  // writes never: they may have effects
    value = 0;
    REQUIRE(cp15.move(read_tpidrprw, true, value));
    CHECK(value == 0x1234);
    CHECK(cp15.shortcut.word == read_tpidrprw);
    REQUIRE(cp15.shortcut.place != nullptr);
    CHECK(*cp15.shortcut.place == 0x1234);  // the register itself: later writes show through
    value = 0x5678;
    REQUIRE(cp15.move(write_tpidrprw, true, value));
    CHECK(*cp15.shortcut.place == 0x5678);

    const uint32_t read_midr = 0xee104f10;  // mrc p15, 0, r4, c0, c0, 0
    REQUIRE(cp15.move(read_midr, true, value));
    CHECK(cp15.shortcut.word == read_midr);
    CHECK(*cp15.shortcut.place == 0x410fc090);

    // Not from User mode (it may be refused there), nor a register computed on reading (CCSIDR
    // follows CSSELR), nor one the ID space reads as zero: the shortcut stays as it was.
    const uint32_t read_tpidrurw = 0xee1d3f50;  // mrc p15, 0, r3, c13, c0, 2 (User may read it)
    REQUIRE(cp15.move(read_tpidrurw, false, value));
    CHECK(cp15.shortcut.word == read_midr);
    const uint32_t read_ccsidr = 0xee301f10;  // mrc p15, 1, r1, c0, c0, 0
    REQUIRE(cp15.move(read_ccsidr, true, value));
    CHECK(cp15.shortcut.word == read_midr);
    const uint32_t read_c0_c7 = 0xee101f17;  // mrc p15, 0, r1, c0, c7, 0: reads as zero
    REQUIRE(cp15.move(read_c0_c7, true, value));
    CHECK(value == 0);
    CHECK(cp15.shortcut.word == read_midr);
}

TEST_CASE("CP15: the VFP's FPSID, MVFR0, MVFR1 and FPEXC are rows on opc1 7, reached by VMRS and VMSR")
{
    for (const auto& [architecture, core] :
         {std::pair{Architecture::v6, Cpu_core::arm1176}, std::pair{Architecture::v7, Cpu_core::cortex_a9}}) {
        Cp15_ids ids = ids_for(0x410fc090);
        ids.id[id_fpsid] = 0x41033090;
        ids.id[id_mvfr1] = 0x01111111;
        ids.id[id_mvfr0] = 0x11110222;
        ids.fixed[field_fpexc] = ~0xe0000000u;  // EX, EN, DEX: what QEMU's Cortex-A9 keeps
        Cp15_harness h(architecture, core, 0x410fc090);
        h.cp15.reset(core, ids);
        CAPTURE(unsigned(core));
        CHECK(h.run(0xeef01a10) == Outcome::undefined);  // vmrs r1, fpsid: CPACR denies coprocessor 10
        h.cpu.r[2] = 0x00f00000;
        CHECK(h.run(0xee012f50) == Outcome::next);  // mcr p15, 0, r2, c1, c0, 2 (CPACR: cp10, cp11 full)
        CHECK(h.cp15.effects & effect_coprocessor_access);
        h.cp15.effects = 0;
        CHECK(h.run(0xeef01a10) == Outcome::next);
        CHECK(h.cpu.r[1] == 0x41033090);
        CHECK(h.run(0xeef71a10) == Outcome::next);  // vmrs r1, mvfr0
        CHECK(h.cpu.r[1] == 0x11110222);
        CHECK(h.run(0xeef61a10) == Outcome::next);  // vmrs r1, mvfr1
        CHECK(h.cpu.r[1] == 0x01111111);
        CHECK(h.run(0xeef81a10) == Outcome::next);  // vmrs r1, fpexc: 0 out of reset
        CHECK(h.cpu.r[1] == 0);
        h.cpu.r[3] = ~0u;
        CHECK(h.run(0xeee83a10) == Outcome::next);  // vmsr fpexc, r3: the bits the core keeps
        CHECK(h.cp15.field(field_fpexc) == 0xe0000000);
        CHECK(h.cp15.effects & effect_coprocessor_access);  // the monitor follows FPEXC.EN
        CHECK(h.run(0xeee73a10) == Outcome::next);          // vmsr mvfr0, r3: ignored, as QEMU does
        CHECK(h.run(0xeee03a10) == Outcome::next);          // vmsr fpsid, r3: likewise
        CHECK(h.run(0xeef71a10) == Outcome::next);
        CHECK(h.cpu.r[1] == 0x11110222);
        CHECK(h.run(0xeef11a10) == Outcome::undefined);  // FPSCR is not the CP15's: it runs natively
        CHECK(h.run(0xee101f10 | 7u << 21) == Outcome::undefined);  // mrc p15, 7, ...: not CP15's
        h.cpu.set_mode(0x10);
        CHECK(h.run(0xeef81a10) == Outcome::undefined);  // User mode: privileged registers
    }
    Cp15_harness arm926(Architecture::v5, Cpu_core::arm926, 0x41069265);
    arm926.cpu.r[2] = 0x00f00000;
    CHECK(arm926.run(0xeef01a10) == Outcome::undefined);  // no VFP offered on ARMv5
}
