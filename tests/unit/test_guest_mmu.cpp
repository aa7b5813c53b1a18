// The guest's table walk and permission checks: every descriptor type of both formats, domains,
// the AP x privilege matrix, TTBCR, and the fault status (with domain) the guest must see.
#include <catch2/catch.hpp>

#include <map>

#include "core/guest_mmu.hpp"

using namespace core;
using namespace core::mmu;

namespace {

struct Memory final : Table_reader {
    std::map<uint32_t, uint32_t> words;
    bool read(uint32_t physical, uint32_t& value) override
    {
        if (physical >= 0x10000000) return false;  // nothing there: an external abort
        const auto it = words.find(physical);
        value = it == words.end() ? 0 : it->second;
        return true;
    }
};

constexpr uint32_t l1 = 0x00004000;  // TTBR0
constexpr uint32_t l2 = 0x00008000;  // a second-level table
constexpr uint32_t client_all = 0x55555555;

struct Guest {
    Memory memory;
    Controls controls{sctlr_mmu, l1, 0, 0, client_all};
    Architecture architecture = Architecture::v7;
    void entry(uint32_t address, uint32_t descriptor) { memory.words[l1 + (address >> 20) * 4] = descriptor; }
    void page(uint32_t address, uint32_t descriptor)
    {
        memory.words[l2 + (address >> 12 & 0xff) * 4] = descriptor;
    }
    Result go(uint32_t address, Access access, bool privileged = true)
    {
        return translate(address, access, privileged, controls, architecture, memory);
    }
};

}  // namespace

TEST_CASE("guest MMU v7: a section maps 1 MiB; its AP decides per privilege")
{
    Guest g;
    g.entry(0x60000000, 0x60000000 | 1u << 10 | 3u << 5 | 0x2);  // AP 001: privileged RW, domain 3
    Result r = g.go(0x60012345, Access::write);
    REQUIRE_FALSE(r.fault());
    CHECK(r.physical == 0x60012345);
    CHECK(r.page_size == 0x100000);
    CHECK(r.executable());
    CHECK(r.domain == 3);  // the shadows carry it
    CHECK(r.global);
    g.entry(0x60100000, 0x60100000 | 1u << 17 | 1u << 10 | 0x2);  // nG: the ASID's, not global
    CHECK_FALSE(g.go(0x60100000, Access::read).global);
    r = g.go(0x60012345, Access::read, false);
    REQUIRE(r.fault());
    CHECK(r.status == (0xd | 3u << 4));  // section permission fault, domain 3
}

TEST_CASE("guest MMU: the AP x APX x privilege matrix under a client domain")
{
    struct Row {
        unsigned ap;  // APX:AP
        bool privileged_read, privileged_write, user_read, user_write;
    };
    const Row rows[] = {
        {0, false, false, false, false}, {1, true, true, false, false},   {2, true, true, true, false},
        {3, true, true, true, true},     {4, false, false, false, false}, {5, true, false, false, false},
        {6, true, false, true, false},   {7, true, false, true, false},
    };
    for (const Row& row : rows) {
        INFO("AP " << row.ap);
        Guest g;
        g.entry(0, (row.ap & 3) << 10 | (row.ap >> 2) << 15 | 0x2);
        CHECK(!g.go(0x100, Access::read, true).fault() == row.privileged_read);
        CHECK(!g.go(0x100, Access::write, true).fault() == row.privileged_write);
        CHECK(!g.go(0x100, Access::read, false).fault() == row.user_read);
        CHECK(!g.go(0x100, Access::write, false).fault() == row.user_write);
    }
}

TEST_CASE("guest MMU: domains: no access faults, manager skips AP and XN")
{
    Guest g;
    g.entry(0x00100000, 0x00100000 | 5u << 5 | 1u << 4 | 0x2);  // domain 5, AP 000, XN
    g.controls.dacr = 0;                                        // domain 5: no access
    CHECK(g.go(0x00100000, Access::read).status == (0x9 | 5u << 4));
    g.controls.dacr = 2u << 10;  // reserved: a domain fault too
    CHECK(g.go(0x00100000, Access::read).status == (0x9 | 5u << 4));
    g.controls.dacr = 3u << 10;  // manager
    const Result r = g.go(0x00100000, Access::execute, false);
    CHECK_FALSE(r.fault());
    CHECK(r.writable());
    g.controls.dacr = 1u << 10;  // client: AP 000 and XN apply
    CHECK(g.go(0x00100000, Access::execute).status == (0xd | 5u << 4));
}

TEST_CASE("guest MMU v7: small and large pages, XN per page, page domain faults skip level 2")
{
    Guest g;
    g.entry(0x00200000, l2 | 2u << 5 | 0x1);             // coarse table, domain 2
    g.page(0x00200000, 0x00345000 | 3u << 4 | 0x2 | 1);  // small page, AP 011, XN
    g.page(0x00201000, 0x00346000 | 2u << 4 | 0x2);      // small page, AP 010
    for (unsigned i = 0; i < 16; ++i) g.page(0x00210000 + i * 0x1000, 0x00370000 | 3u << 4 | 1u << 15 | 0x1);
    Result r = g.go(0x00200abc, Access::write, false);
    CHECK(r.physical == 0x00345abc);
    CHECK(r.page_size == 0x1000);
    CHECK(r.domain == 2);  // the first-level entry's
    CHECK(r.global);
    g.page(0x00203000, 0x00347000 | 1u << 11 | 3u << 4 | 0x2);  // nG
    CHECK_FALSE(g.go(0x00203000, Access::read).global);
    CHECK(g.go(0x00200abc, Access::execute).status == (0xf | 2u << 4));  // page permission (XN)
    CHECK(g.go(0x00201000, Access::write, false).status == (0xf | 2u << 4));
    r = g.go(0x0021abcd, Access::read);
    CHECK(r.physical == 0x0037abcd);  // large page: 64 KiB
    CHECK(r.page_size == 0x10000);
    CHECK_FALSE(r.executable());
    CHECK(g.go(0x00202000, Access::read).status == (0x7 | 2u << 4));  // page translation fault
    g.controls.dacr = 0;
    g.memory.words.erase(l2);
    CHECK(g.go(0x00200000, Access::read).status == (0xb | 2u << 4));  // page domain fault
}

TEST_CASE("guest MMU v7: supersections are domain 0; translation faults report domain 0")
{
    Guest g;
    for (uint32_t i = 0; i < 16; ++i)  // a supersection fills 16 consecutive entries; bits 8:5 ignored
        g.entry(0x80000000 + (i << 20), 0x12000000 | 1u << 18 | 3u << 10 | 7u << 5 | 0x2);
    Result r = g.go(0x80abcdef, Access::write);
    CHECK(r.physical == 0x12abcdef);
    CHECK(r.page_size == 0x1000000);
    CHECK(r.domain == 0);
    g.controls.dacr = 1;  // only domain 0 accessible
    CHECK_FALSE(g.go(0x80abcdef, Access::read).fault());
    g.entry(0x00300000, 9u << 5);  // invalid, whatever bits 8:5 hold
    CHECK(g.go(0x00300000, Access::read).status == 0x5);
    g.entry(0x00400000, 0x3);  // the PXN-table form: reserved without PXN
    CHECK(g.go(0x00400000, Access::read).status == 0x5);
}

TEST_CASE("guest MMU: TTBCR.N splits between TTBR0 and TTBR1; PD0 and PD1 disable walks")
{
    Guest g;
    g.controls.ttbcr = 1;  // N = 1: TTBR1 above 2 GiB, an 8 KiB TTBR0 table
    g.controls.ttbr1 = 0x0000c000;
    g.memory.words[0x0000c000 + (0x90000000 >> 20) * 4] = 0x01000000 | 3u << 10 | 0x2;
    CHECK(g.go(0x90000004, Access::read).physical == 0x01000004);
    g.entry(0x10000000, 0x02000000 | 3u << 10 | 0x2);
    CHECK(g.go(0x10000004, Access::read).physical == 0x02000004);
    g.controls.ttbcr = 1 | 1u << 5;  // PD1
    CHECK(g.go(0x90000004, Access::read).status == 0x5);
    g.controls.ttbcr = 1 | 1u << 4;  // PD0
    CHECK(g.go(0x10000004, Access::read).status == 0x5);
}

TEST_CASE("guest MMU: a table outside guest memory is an external abort on the walk")
{
    Guest g;
    g.controls.ttbr0 = 0x20000000;
    CHECK(g.go(0, Access::read).status == 0xc);
    Guest h;
    h.entry(0, 0x20000000 | 4u << 5 | 0x1);
    CHECK(h.go(0, Access::read).status == (0xe | 4u << 4));
}

TEST_CASE("guest MMU v5: subpage APs, tiny pages, the S and R bits, the domain of an invalid entry")
{
    Guest g;
    g.architecture = Architecture::v5;
    g.entry(0x00000000, l2 | 1u << 4 | 0x1);  // coarse, domain 0
    g.page(0x00000000,
           0x00500000 | 0x3u << 4 | 0x1u << 6 | 0x2u << 8 | 0x0u << 10 | 0x2);  // AP3..0 = 0,2,1,3
    CHECK_FALSE(g.go(0x00000000, Access::write, false).fault());                // subpage 0: AP 3
    CHECK(g.go(0x00000400, Access::read, false).status == 0xf);                 // subpage 1: AP 1
    CHECK(g.go(0x00000800, Access::write, false).status == 0xf);                // subpage 2: AP 2
    CHECK(g.go(0x00000c00, Access::read, true).status == 0xf);                  // subpage 3: AP 0, no S/R
    g.controls.sctlr |= sctlr_system;
    CHECK_FALSE(g.go(0x00000c00, Access::read, true).fault());  // S: privileged read-only
    CHECK(g.go(0x00000c00, Access::read, false).status == 0xf);
    g.controls.sctlr ^= sctlr_system | sctlr_rom;
    CHECK_FALSE(g.go(0x00000c00, Access::read, false).fault());  // R: read-only for all
    // Fine table with a tiny page; the extended small page in a coarse table is ARMv6 only.
    g.entry(0x00100000, 0x0000a000 | 0x3);
    g.memory.words[0x0000a000 + (0x00100400 >> 10 & 0x3ff) * 4] = 0x00600400 | 3u << 4 | 0x3;
    const Result tiny = g.go(0x00100456, Access::write, false);
    CHECK(tiny.physical == 0x00600456);
    CHECK(tiny.page_size == 0x400);
    g.page(0x00001000, 0x00700000 | 3u << 4 | 0x3);
    CHECK(g.go(0x00001000, Access::read).status == 0x7);
    g.architecture = Architecture::v6;  // SCTLR.XP clear: the ARMv5 format, extended pages allowed
    CHECK(g.go(0x00001000, Access::read).physical == 0x00700000);
    g.architecture = Architecture::v5;
    g.entry(0x00200000, 6u << 5);  // invalid: ARMv5 reports bits 8:5 as the domain
    CHECK(g.go(0x00200000, Access::read).status == (0x5 | 6u << 4));
}
