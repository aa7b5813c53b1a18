// Every instruction class through decode + emulate against fake memory and coprocessors.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "core/emulate.hpp"

using namespace core;

namespace {

struct Fake_memory final : Guest_memory {
    std::map<uint32_t, uint32_t> words;
    std::set<uint32_t> faulting;
    std::vector<uint32_t> stores;  // addresses in order
    bool access(uint32_t address, bool write, uint32_t& value) override
    {
        if (faulting.count(address)) return false;
        if (!write) {
            value = words[address];
            return true;
        }
        words[address] = value;
        stores.push_back(address);
        return true;
    }
};

struct Fake_coprocessors final : Coprocessors {
    using Key = std::tuple<int, int, int, int, int>;  // coprocessor opc1 CRn CRm opc2
    std::map<Key, uint32_t> registers;
    std::set<Key> user_readable;
    static Key key(const Instruction& in)
    {
        return {in.coprocessor(), in.opc1(), in.crn(), in.crm(), in.opc2()};
    }
    bool move(const Instruction& in, bool privileged, uint32_t& value) override
    {
        auto it = registers.find(key(in));
        if (it == registers.end()) return false;
        if (!in.to_core()) {
            if (!privileged) return false;
            it->second = value;
            return true;
        }
        if (!privileged && !user_readable.count(key(in))) return false;
        value = it->second;
        return true;
    }
};

struct Harness {
    Vcpu cpu;
    Fake_memory memory;
    Fake_coprocessors coprocessors;
    explicit Harness(Architecture a = Architecture::v7) : cpu(a) { cpu.r[15] = 0x8000; }
    Outcome run(uint32_t word)
    {
        return emulate(cpu, decode(word, cpu.architecture()), memory, coprocessors);
    }
    void enter_usr() { cpu.write_cpsr(0x10, psr::mode); }
};

}  // namespace

TEST_CASE("emulate MRS: CPSR without execution-state bits and SPSR only where one exists")
{
    Harness h;
    h.cpu.write_cpsr(0x600001d3, ~0u);
    CHECK(h.run(0xe10f3000) == Outcome::next);  // mrs r3, cpsr
    CHECK(h.cpu.r[3] == 0x600001d3);
    CHECK(h.cpu.r[15] == 0x8004);
    *h.cpu.spsr() = 0x8000001f;
    CHECK(h.run(0xe14f4000) == Outcome::next);  // mrs r4, spsr
    CHECK(h.cpu.r[4] == 0x8000001f);
    h.cpu.set_mode(0x1f);
    CHECK(h.run(0xe14f4000) == Outcome::undefined);  // SYS has no SPSR
    CHECK(h.cpu.r[15] == 0x8008);                    // not advanced
}

TEST_CASE("emulate MSR: privilege decides the writable CPSR bits and every field mask counts")
{
    Harness h;
    h.cpu.r[5] = 0xf00f03df;
    CHECK(h.run(0xe121f005) == Outcome::next);  // msr cpsr_c, r5: mode SYS, I F set
    CHECK(h.cpu.mode() == Mode::sys);
    CHECK((h.cpu.cpsr() & 0xf0000000) == 0x40000000);  // flags field not selected: Z from entry
    CHECK(h.run(0xe328f20f) == Outcome::next);         // msr cpsr_f, #0xf0000000
    CHECK((h.cpu.cpsr() & 0xf0000000) == 0xf0000000);
    h.cpu.write_cpsr(0x00000010, ~0u);  // USR, flags clear
    h.cpu.r[6] = 0x80000013;
    CHECK(h.run(0xe12ff006) == Outcome::next);  // msr cpsr_fsxc, r6 in USR: only the flags land
    CHECK(h.cpu.cpsr() == 0x80000010);
    Harness s;
    s.cpu.r[6] = 0x12345678;
    CHECK(s.run(0xe16ff006) == Outcome::next);  // msr spsr_fsxc, r6: every bit
    CHECK(*s.cpu.spsr() == 0x12345678);
    CHECK(s.run(0xe164f006) == Outcome::next);  // msr spsr_s (fields 0100): one byte
    s.cpu.r[6] = 0xffffffff;
    CHECK(s.run(0xe164f006) == Outcome::next);
    CHECK(*s.cpu.spsr() == 0x12ff5678);
    // Only the bits the core has (Vcpu::implemented, probed at boot), as natively: QEMU's
    // ARM926 keeps N Z C V Q J, bit 20, A I F T and M of an SPSR written with all ones.
    const uint32_t every = Vcpu::implemented;
    Vcpu::implemented = 0xf91001ff;
    *s.cpu.spsr() = 0;
    CHECK(s.run(0xe16ff006) == Outcome::next);
    Vcpu::implemented = every;
    CHECK(*s.cpu.spsr() == 0xf91001ff);
    Harness v5(Architecture::v5);
    v5.cpu.r[1] = 0x1ff;
    CHECK(v5.run(0xe122f001) == Outcome::next);  // msr cpsr_x: ARMv5 has no A or E bit
    CHECK(v5.cpu.cpsr() == Vcpu::entry_cpsr);
}

TEST_CASE("emulate CPS: masks and mode in privileged modes and a NOP in USR")
{
    Harness h;
    CHECK(h.run(0xf1080080) == Outcome::next);  // cpsie i
    CHECK(h.cpu.cpsr() == 0x40000153);
    CHECK(h.run(0xf10e01d3) == Outcome::next);  // cpsid aif, #0x13
    CHECK(h.cpu.cpsr() == 0x400001d3);
    CHECK(h.run(0xf102001f) == Outcome::next);  // cps #0x1f
    CHECK(h.cpu.mode() == Mode::sys);
    CHECK(h.run(0xf1020016) == Outcome::next);  // cps #0x16 (monitor): not a guest mode
    CHECK(h.cpu.mode() == Mode::sys);
    h.enter_usr();
    CHECK(h.run(0xf1080080) == Outcome::next);
    CHECK(h.cpu.cpsr() == 0x400001d0);
}

TEST_CASE("emulate SRS and RFE: the full exception-stack round trip")
{
    Harness h;
    h.cpu.set_mode(0x1f);
    h.cpu.r[13] = 0x9000;  // SYS stack
    h.cpu.set_mode(0x12);  // IRQ
    h.cpu.r[14] = 0x4444;
    *h.cpu.spsr() = 0x60000010;
    CHECK(h.run(0xf96d051f) == Outcome::next);  // srsdb sp!, #0x1f
    CHECK(h.memory.words[0x8ff8] == 0x4444);
    CHECK(h.memory.words[0x8ffc] == 0x60000010);
    CHECK(h.cpu.banked_sp(0x1f) == 0x8ff8);
    h.cpu.set_mode(0x1f);
    CHECK(h.cpu.r[13] == 0x8ff8);
    CHECK(h.run(0xf8bd0a00) == Outcome::next);  // rfeia sp!
    CHECK(h.cpu.r[15] == 0x4444);
    CHECK(h.cpu.cpsr() == 0x60000010);
    CHECK(h.cpu.r[13] == 0x9000);
}

TEST_CASE("emulate SRS, RFE and LDM/STM ^ with CPSR.E set: big-endian words in memory")
{
    Harness h;
    h.cpu.set_mode(0x13);  // SVC
    h.cpu.write_cpsr(psr::big_endian, psr::big_endian);
    h.cpu.r[13] = 0x9000;
    h.cpu.r[14] = 0x00008124;
    *h.cpu.spsr() = 0x600001d3;
    CHECK(h.run(0xf8cd0513) == Outcome::next);  // srsia sp, #0x13
    CHECK(h.memory.words[0x9000] == 0x24810000);
    CHECK(h.memory.words[0x9004] == 0xd3010060);
    h.cpu.r[1] = 0x11223344;
    h.cpu.r[0] = 0x200;
    CHECK(h.run(0xe8c00002) == Outcome::next);  // stmia r0, {r1}^
    CHECK(h.memory.words[0x200] == 0x44332211);
    CHECK(h.run(0xe8d00004) == Outcome::next);  // ldmia r0, {r2}^: the word stored above
    CHECK(h.cpu.r[2] == 0x11223344);
    h.memory.words[0x300] = 0x00900000;  // 0x9000, big-endian
    h.memory.words[0x304] = 0x10000000;  // USR, E clear
    h.cpu.r[3] = 0x300;
    CHECK(h.run(0xf8930a00) == Outcome::next);  // rfeia r3
    CHECK(h.cpu.r[15] == 0x9000);
    CHECK(h.cpu.cpsr() == 0x10);
    Harness v5(Architecture::v5);  // no E bit before ARMv6: words stay as they are
    v5.cpu.set_mode(0x13);
    v5.cpu.r[0] = 0x200;
    v5.cpu.r[1] = 0x11223344;
    CHECK(v5.run(0xe8c00002) == Outcome::next);
    CHECK(v5.memory.words[0x200] == 0x11223344);
}

TEST_CASE("emulate RFE: a faulting load changes nothing")
{
    Harness h;
    h.cpu.r[2] = 0x100;
    h.memory.faulting.insert(0x104);
    const uint32_t before = h.cpu.cpsr();
    CHECK(h.run(0xf8b20a00) == Outcome::data_abort);  // rfeia r2!
    CHECK(h.cpu.r[2] == 0x100);
    CHECK(h.cpu.cpsr() == before);
    CHECK(h.cpu.r[15] == 0x8000);
    h.enter_usr();
    CHECK(h.run(0xf8b20a00) == Outcome::undefined);
}

TEST_CASE("emulate LDM and STM with ^: the User bank and exception return")
{
    Harness h;
    h.cpu.set_mode(0x10);
    h.cpu.r[13] = 0x1313;
    h.cpu.r[14] = 0x1414;
    h.cpu.set_mode(0x13);  // SVC
    h.cpu.r[0] = 0x200;
    h.cpu.r[13] = 0xaaaa;
    CHECK(h.run(0xe9406000) == Outcome::next);  // stmdb r0, {sp, lr}^
    CHECK(h.memory.words[0x1f8] == 0x1313);
    CHECK(h.memory.words[0x1fc] == 0x1414);
    h.memory.words[0x200] = 0x5555;
    h.memory.words[0x204] = 0x6666;
    CHECK(h.run(0xe8d06000) == Outcome::next);  // ldmia r0, {sp, lr}^
    CHECK(h.cpu.r[13] == 0xaaaa);               // SVC's sp untouched
    CHECK(h.cpu.user_register(13) == 0x5555);
    CHECK(h.cpu.user_register(14) == 0x6666);
    // Exception return: ldmfd sp!, {r0-r3, pc}^
    h.cpu.r[13] = 0x300;
    for (uint32_t i = 0; i < 5; ++i) h.memory.words[0x300 + 4 * i] = 0x10 + i;
    h.memory.words[0x310] = 0x7000;
    *h.cpu.spsr() = 0x20000010;
    CHECK(h.run(0xe8fd800f) == Outcome::next);
    CHECK(h.cpu.r[0] == 0x10);
    CHECK(h.cpu.r[3] == 0x13);
    CHECK(h.cpu.r[15] == 0x7000);
    CHECK(h.cpu.cpsr() == 0x20000010);
    CHECK(h.cpu.r[13] == 0x5555);  // now the USR bank
    h.cpu.set_mode(0x13);
    CHECK(h.cpu.r[13] == 0x314);  // SVC's sp was written back
}

TEST_CASE("emulate LDM ^: faults and USR and SYS leave everything as it was")
{
    Harness h;
    h.cpu.r[13] = 0x300;
    h.memory.faulting.insert(0x308);
    CHECK(h.run(0xe8fd800f) == Outcome::data_abort);
    CHECK(h.cpu.r[13] == 0x300);
    CHECK(h.cpu.r[0] == 0);
    h.cpu.set_mode(0x1f);
    CHECK(h.run(0xe8fd8000) == Outcome::undefined);  // SYS: no SPSR
    h.enter_usr();
    CHECK(h.run(0xe8d00006) == Outcome::undefined);
    CHECK(h.run(0xe9416000) == Outcome::undefined);
}

TEST_CASE("emulate data-processing returns: every shifter form and ALU opcode used for returns")
{
    Harness h;
    *h.cpu.spsr() = 0x10;
    h.cpu.r[14] = 0x1004;
    CHECK(h.run(0xe25ef004) == Outcome::next);  // subs pc, lr, #4
    CHECK(h.cpu.r[15] == 0x1000);
    CHECK(h.cpu.mode() == Mode::usr);

    struct Case {
        uint32_t word;
        uint32_t expected;
    };
    const Case cases[] = {
        {0xe1b0f00e, 0x1004},               // movs pc, lr
        {0xe0b1f182, 0x100 + (0x40 << 3)},  // adds pc, r1, r2, lsl #3
        {0xe1b0f433, 0x800u >> 4},          // movs pc, r3, lsr r4
        {0xe1b0f0a3, 0x800u >> 1},          // movs pc, r3, lsr #1
        {0xe1b0f023, 0},                    // movs pc, r3, lsr #32
        {0xe1b0f0c5, 0xc0000000},           // movs pc, r5, asr #1 (r5 = 0x80000000)
        {0xe1b0f065, 0x40000000},           // movs pc, r5, rrx (C clear)
        {0xe1f0f001, ~0x100u & ~3u},        // mvns pc, r1
        {0xe3d1f0ff, 0x100},                // bics pc, r1, #0xff
        {0xe271f000, 0xffffff00},           // rsbs pc, r1, #0
        {0xe2b1f000, 0x100},                // adcs pc, r1, #0 (C clear)
        {0xe0d1f001, 0xfffffffc},           // sbcs pc, r1, r1 (C clear): -1, aligned
        {0xe021f002, 0x140},                // eor (without S: not a return) -> never decodes
    };
    for (const Case& c : cases) {
        Harness k;
        *k.cpu.spsr() = 0x10;
        k.cpu.r[1] = 0x100;
        k.cpu.r[2] = 0x40;
        k.cpu.r[3] = 0x800;
        k.cpu.r[4] = 4;
        k.cpu.r[5] = 0x80000000;
        k.cpu.r[14] = 0x1004;
        CAPTURE(c.word);
        const Instruction in = decode(c.word, Architecture::v7);
        if (in.operation != Operation::data_processing_return) {
            CHECK(c.word == 0xe021f002);
            continue;
        }
        CHECK(emulate(k.cpu, in, k.memory, k.coprocessors) == Outcome::next);
        CHECK(k.cpu.r[15] == (c.expected & ~3u));
    }
    h.cpu.set_mode(0x1f);
    CHECK(h.run(0xe1b0f00e) == Outcome::undefined);  // SYS: no SPSR
}

TEST_CASE("emulate coprocessor moves: privileged access and the APSR_nzcv form")
{
    Harness h;
    h.coprocessors.registers[{15, 0, 0, 0, 0}] = 0x410fc090;
    h.coprocessors.registers[{15, 0, 1, 0, 0}] = 0x00c50078;
    h.coprocessors.registers[{15, 0, 13, 0, 3}] = 0x77;
    h.coprocessors.user_readable.insert({15, 0, 13, 0, 3});
    h.cpu.r[0] = 0x00c50079;
    CHECK(h.run(0xee010f10) == Outcome::next);  // mcr p15, 0, r0, c1, c0, 0
    CHECK((h.coprocessors.registers[{15, 0, 1, 0, 0}]) == 0x00c50079);
    CHECK(h.run(0xee101f10) == Outcome::next);  // mrc p15, 0, r1, c0, c0, 0
    CHECK(h.cpu.r[1] == 0x410fc090);
    h.coprocessors.registers[{15, 0, 7, 10, 3}] = 0x40000000;  // "test and clean": Z set
    CHECK(h.run(0xee17ff7a) == Outcome::next);                 // mrc p15, 0, APSR_nzcv, c7, c10, 3
    CHECK((h.cpu.cpsr() & 0xf0000000) == 0x40000000);
    CHECK(h.run(0x0e101f10) == Outcome::next);  // mrceq: Z set, so it runs
    CHECK(h.run(0x1e102f10) == Outcome::next);  // mrcne: skipped, r2 untouched
    CHECK(h.cpu.r[2] == 0);
    CHECK(h.run(0xee102f30) == Outcome::undefined);  // an unknown register
    h.enter_usr();
    CHECK(h.run(0xee101f10) == Outcome::undefined);  // MIDR from USR
    CHECK(h.run(0xee1d3f70) == Outcome::next);       // TPIDRURO from USR
    CHECK(h.cpu.r[3] == 0x77);
}

TEST_CASE("emulate MCRR and MRRC: undefined, as no coprocessor offered has a 64-bit register")
{
    Harness h;
    h.cpu.r[0] = 0x11111111;
    h.cpu.r[1] = 0x22222222;
    h.cpu.r[2] = h.cpu.r[3] = 0x33333333;
    CHECK(h.run(0xec410f02) == Outcome::undefined);  // mcrr p15, 0, r0, r1, c2
    CHECK(h.run(0xec532f1e) == Outcome::undefined);  // mrrc p15, 1, r2, r3, c14
    CHECK(h.run(0xec522f1e) == Outcome::undefined);  // mrrc with Rt = Rt2
    CHECK(h.cpu.r[2] == 0x33333333);
    CHECK(h.cpu.r[3] == 0x33333333);
    CHECK(h.cpu.r[15] == 0x8000);
}

TEST_CASE("emulate waits and hints and breakpoints and the rest")
{
    Harness h;
    CHECK(h.run(0xe320f003) == Outcome::wait_for_interrupt);
    CHECK(h.cpu.r[15] == 0x8004);
    CHECK(h.run(0xe320f002) == Outcome::wait_for_event);
    CHECK(h.run(0xe320f004) == Outcome::next);
    CHECK(h.run(0xe1212374) == Outcome::breakpoint);
    CHECK(h.cpu.r[15] == 0x800c);
    CHECK(h.run(0xe1600075) == Outcome::undefined);  // SMC: no secure world offered
    CHECK(h.run(0xe7f000f0) == Outcome::undefined);
    h.cpu.write_cpsr(0, psr::flags);
    CHECK(h.run(0x07f000f0) == Outcome::next);  // UDF with EQ while Z is clear: skipped
    Harness v5(Architecture::v5);
    CHECK(v5.run(0xee070f90) == Outcome::wait_for_interrupt);
    v5.enter_usr();
    CHECK(v5.run(0xee070f90) == Outcome::undefined);  // the CP15 form is privileged
}
