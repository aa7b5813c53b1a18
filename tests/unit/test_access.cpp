// The MMIO load/store decoder and executor, table-driven over every ARM-state form a driver uses.
#include <catch2/catch.hpp>

#include <vector>

#include "core/access.hpp"

using namespace core;

namespace {

/// Records every transfer; a read returns 0x8000a000 | offset, cut to the access size.
struct Recording_device final : Mmio_device {
    struct Transfer {
        bool write;
        uint32_t address;
        unsigned size;
        uint32_t value;
    };
    std::vector<Transfer> log;
    bool refuse = false;
    bool read(uint32_t address, unsigned size, uint32_t& value) override
    {
        if (refuse) return false;
        value = (0x8000a000 | (address & 0xfff)) & (size == 4 ? ~0u : (1u << 8 * size) - 1);
        log.push_back({false, address, size, value});
        return true;
    }
    bool write(uint32_t address, unsigned size, uint32_t value) override
    {
        if (refuse) return false;
        log.push_back({true, address, size, value});
        return true;
    }
};

struct Cpu {
    Vcpu cpu{Architecture::v7};
    Cpu()
    {
        for (unsigned i = 0; i < 15; ++i) cpu.r[i] = 0x100 * i;
        cpu.r[1] = 0x10009000;  // the base register of most cases
        cpu.r[2] = 8;
        cpu.r[15] = 0x60000100;
    }
};

struct Single_case {
    uint32_t word;
    const char* text;
    bool load;
    unsigned size;
    uint32_t address;
    bool writeback;
    uint32_t new_base;
};

}  // namespace

TEST_CASE("access: single loads and stores decode with every addressing mode")
{
    const Single_case cases[] = {
        {0xe5910018, "ldr r0, [r1, #0x18]", true, 4, 0x10009018, false, 0},
        {0xe5810000, "str r0, [r1]", false, 4, 0x10009000, false, 0},
        {0xe5b10004, "ldr r0, [r1, #4]!", true, 4, 0x10009004, true, 0x10009004},
        {0xe4910004, "ldr r0, [r1], #4", true, 4, 0x10009000, true, 0x10009004},
        {0xe5110004, "ldr r0, [r1, #-4]", true, 4, 0x10008ffc, false, 0},
        {0xe7910002, "ldr r0, [r1, r2]", true, 4, 0x10009008, false, 0},
        {0xe7910102, "ldr r0, [r1, r2, lsl #2]", true, 4, 0x10009020, false, 0},
        {0xe7110122, "ldr r0, [r1, -r2, lsr #2]", true, 4, 0x10008ffe, false, 0},
        {0xe5c10000, "strb r0, [r1]", false, 1, 0x10009000, false, 0},
        {0xe5d10018, "ldrb r0, [r1, #0x18]", true, 1, 0x10009018, false, 0},
        {0xe1d101b8, "ldrh r0, [r1, #0x18]", true, 2, 0x10009018, false, 0},
        {0xe1c100b0, "strh r0, [r1]", false, 2, 0x10009000, false, 0},
        {0xe19100d2, "ldrsb r0, [r1, r2]", true, 1, 0x10009008, false, 0},
        {0xe1f100f2, "ldrsh r0, [r1, #2]!", true, 2, 0x10009002, true, 0x10009002},
        {0xe0d100f2, "ldrsh r0, [r1], #2", true, 2, 0x10009000, true, 0x10009002},
        {0xe4b10004, "ldrt r0, [r1], #4", true, 4, 0x10009000, true, 0x10009004},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        Cpu t;
        const Access a = decode_access(c.word, t.cpu);
        REQUIRE(a.kind == Access::Kind::single);
        CHECK(a.load == c.load);
        CHECK(a.size == c.size);
        CHECK(a.address == c.address);
        CHECK(a.writeback == c.writeback);
        if (c.writeback) CHECK(a.new_base == c.new_base);
    }
}

TEST_CASE("access: what is not an emulated load or store decodes as none")
{
    const uint32_t words[] = {
        0xe7f000f0,  // udf
        0xe1a00000,  // mov r0, r0
        0xe6910010,  // media space (register form with bit 4)
        0xf5d1f000,  // pld: unconditional space
        0xe5bf0004,  // ldr r0, [pc, #4]!: writeback to pc
        0xe1c130f0,  // strd r3, [r1]: odd first register
        0xe8d10003,  // ldmia r1, {r0, r1}^: the ^ form
        0xe8910000,  // ldmia r1, {}: empty list
        0xe1910f9f,  // ldrex
    };
    Cpu t;
    for (uint32_t word : words) {
        INFO(std::hex << word);
        CHECK(decode_access(word, t.cpu).kind == Access::Kind::none);
    }
}

TEST_CASE("access: an RRX offset shifts the carry flag in")
{
    Cpu t;
    t.cpu.r[1] = 0x10000000;
    t.cpu.r[2] = 4;
    t.cpu.write_cpsr(0, psr::carry);
    CHECK(decode_access(0xe7910062, t.cpu).address == 0x10000002);  // ldr r0, [r1, r2, rrx]
    t.cpu.write_cpsr(psr::carry, psr::carry);
    CHECK(decode_access(0xe7910062, t.cpu).address == 0x90000002);
    CHECK(decode_access(0xe7110062, t.cpu).address == 0x8ffffffe);  // ldr r0, [r1, -r2, rrx]
}

TEST_CASE("access: loads write the register, sign-extend, and advance pc")
{
    Cpu t;
    Recording_device d;
    REQUIRE(perform_access(t.cpu, decode_access(0xe5910018, t.cpu), d));  // ldr r0, [r1, #0x18]
    CHECK(t.cpu.r[0] == 0x8000a018);
    CHECK(t.cpu.r[15] == 0x60000104);
    REQUIRE(perform_access(t.cpu, decode_access(0xe1d138d0, t.cpu), d));  // ldrsb r3, [r1, #0x80]
    CHECK(t.cpu.r[3] == 0xffffff80);
    REQUIRE(perform_access(t.cpu, decode_access(0xe1d140f2, t.cpu), d));  // ldrsh r4, [r1, #2]
    CHECK(t.cpu.r[4] == 0xffffa002);
    REQUIRE(perform_access(t.cpu, decode_access(0xe1d150b2, t.cpu), d));  // ldrh r5, [r1, #2]
    CHECK(t.cpu.r[5] == 0xa002);
    REQUIRE(perform_access(t.cpu, decode_access(0xe5d16001, t.cpu), d));  // ldrb r6, [r1, #1]
    CHECK(t.cpu.r[6] == 0x01);
    CHECK(t.cpu.r[15] == 0x60000114);  // five loads
}

TEST_CASE("access: stores send the register's low bytes, pc reads as the instruction + 8")
{
    Cpu t;
    Recording_device d;
    t.cpu.r[0] = 0x12345678;
    REQUIRE(perform_access(t.cpu, decode_access(0xe5c10000, t.cpu), d));  // strb r0, [r1]
    REQUIRE(perform_access(t.cpu, decode_access(0xe1c100b4, t.cpu), d));  // strh r0, [r1, #4]
    REQUIRE(perform_access(t.cpu, decode_access(0xe581f008, t.cpu), d));  // str pc, [r1, #8]
    REQUIRE(d.log.size() == 3);
    CHECK(d.log[0].value == 0x78);
    CHECK(d.log[1].value == 0x5678);
    CHECK(d.log[2].value == 0x60000108 + 8);  // the third instruction's address + 8
}

TEST_CASE("access: writeback and a loaded base register")
{
    Cpu t;
    Recording_device d;
    REQUIRE(perform_access(t.cpu, decode_access(0xe4910004, t.cpu), d));  // ldr r0, [r1], #4
    CHECK(t.cpu.r[1] == 0x10009004);
    REQUIRE(perform_access(t.cpu, decode_access(0xe5b11004, t.cpu), d));  // ldr r1, [r1, #4]!
    CHECK(t.cpu.r[1] == 0x8000a008);  // UNPREDICTABLE; the loaded value wins (docs/vcpu.md)
}

TEST_CASE("access: LDRD, STRD, LDM and STM transfer consecutive words")
{
    Cpu t;
    Recording_device d;
    REQUIRE(perform_access(t.cpu, decode_access(0xe1c140d8, t.cpu), d));  // ldrd r4, r5, [r1, #8]
    CHECK(t.cpu.r[4] == 0x8000a008);
    CHECK(t.cpu.r[5] == 0x8000a00c);
    d.log.clear();
    t.cpu.r[6] = 6;
    t.cpu.r[7] = 7;
    REQUIRE(perform_access(t.cpu, decode_access(0xe1c160f0, t.cpu), d));  // strd r6, r7, [r1]
    REQUIRE(d.log.size() == 2);
    CHECK(d.log[1].address == 0x10009004);
    CHECK(d.log[1].value == 7);
    d.log.clear();
    REQUIRE(perform_access(t.cpu, decode_access(0xe9310003, t.cpu), d));  // ldmdb r1!, {r0, r1}
    CHECK(d.log[0].address == 0x10008ff8);
    CHECK(t.cpu.r[0] == 0x8000aff8);
    CHECK(t.cpu.r[1] == 0x8000affc);  // loaded over the written-back base
    Cpu u;
    d.log.clear();
    REQUIRE(perform_access(u.cpu, decode_access(0xe9a1000c, u.cpu), d));  // stmib r1!, {r2, r3}
    CHECK(d.log[0].address == 0x10009004);
    CHECK(d.log[1].value == 0x300);
    CHECK(u.cpu.r[1] == 0x10009008);
}

TEST_CASE("access: a refused transfer changes nothing; a load into pc branches")
{
    Cpu t;
    Recording_device d;
    d.refuse = true;
    CHECK_FALSE(perform_access(t.cpu, decode_access(0xe4910004, t.cpu), d));
    CHECK(t.cpu.r[1] == 0x10009000);
    CHECK(t.cpu.r[15] == 0x60000100);
    d.refuse = false;
    REQUIRE(perform_access(t.cpu, decode_access(0xe591f001, t.cpu), d));  // ldr pc, [r1, #1]
    CHECK(t.cpu.r[15] == 0x8000a000);                                     // bit 0 set: Thumb
    CHECK(t.cpu.cpsr() & psr::thumb);
}

TEST_CASE("access: CPSR.E swaps the bytes of halfwords and words")
{
    Cpu t;
    Recording_device d;
    t.cpu.write_cpsr(psr::big_endian, psr::big_endian);
    t.cpu.r[0] = 0x11223344;
    REQUIRE(perform_access(t.cpu, decode_access(0xe5810000, t.cpu), d));  // str r0, [r1]
    CHECK(d.log[0].value == 0x44332211);
    REQUIRE(perform_access(t.cpu, decode_access(0xe1d100b0, t.cpu), d));  // ldrh r0, [r1]
    CHECK(t.cpu.r[0] == 0x00a0);                                          // 0xa000 with its bytes swapped
}

TEST_CASE("access: an access's last byte counts every transfer (what decides whether it stays on a page)")
{
    Vcpu cpu{Architecture::v7};
    uint32_t(&r)[16] = cpu.r;
    r[0] = 0x101e2ff8;
    CHECK(decode_access(0xe8900006, cpu).last() == 0x101e2fff);  // ldm r0, {r1, r2}: ends at the page's end
    CHECK(decode_access(0xe8900002, cpu).last() == 0x101e2ffb);  // ldm r0, {r1}
    CHECK(decode_access(0xe9100006, cpu).last() == 0x101e2ff7);  // ldmdb r0, {r1, r2}
    r[0] = 0x101e2ffc;
    CHECK(decode_access(0xe1c020d0, cpu).last() ==
          0x101e3003);  // ldrd r2, r3, [r0]: the next page's first word
    CHECK(decode_access(0xe1c020f0, cpu).last() == 0x101e3003);  // strd r2, r3, [r0]
    CHECK(decode_access(0xe5901000, cpu).last() == 0x101e2fff);  // ldr r1, [r0]
    CHECK(decode_access(0xe1d010b2, cpu).last() == 0x101e2fff);  // ldrh r1, [r0, #2]: at 0xffe
    CHECK(decode_access(0xe5d01003, cpu).last() == 0x101e2fff);  // ldrb r1, [r0, #3]
}
