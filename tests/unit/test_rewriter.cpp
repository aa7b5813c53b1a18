// The rewriter on real ELF files assembled by arm-none-eabi-gcc (tests/data, built into
// samples/ beside the test binary, which runs in that directory).
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>

#include "tools/rewriter/rewriter.hpp"

namespace {

std::vector<uint8_t> load(const char* name)
{
    std::ifstream in(std::string("samples/") + name, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

uint32_t word_at(const std::vector<uint8_t>& elf, uint32_t file_offset)
{
    uint32_t word;
    std::memcpy(&word, elf.data() + file_offset, 4);
    return word;
}

}  // namespace

TEST_CASE("rewriter: every sensitive class is replaced and every look-alike kept")
{
    std::vector<uint8_t> elf = load("rewrite_sample.elf");
    const std::vector<uint8_t> original = elf;
    const rewriter::Result result = rewriter::rewrite(elf, core::Architecture::v7);
    REQUIRE(result.ok);
    // _start is at 0x10000; see the comments in tests/data/rewrite_sample.S.
    const uint32_t expected_offsets[] = {0x00, 0x04, 0x0c, 0x14, 0x18, 0x34, 0x38, 0x3c, 0x40};
    REQUIRE(result.rewritten.size() == 9);
    for (unsigned i = 0; i < 9; ++i) {
        CAPTURE(i);
        CHECK(result.rewritten[i].virtual_address == 0x10000 + expected_offsets[i]);
        CHECK(result.rewritten[i].entry.address == 0x10000 + expected_offsets[i]);
        CHECK(result.rewritten[i].section == ".text");
    }
    CHECK(result.rewritten[0].entry.original == 0xe10f0000);
    CHECK(result.rewritten[4].entry.original == 0xe320f003);
    CHECK(result.rewritten[5].entry.original == 0x110f2000);
    CHECK(result.rewritten[6].entry.original == 0xe4b01004);  // ldrt r1, [r0], #4
    CHECK(result.rewritten[8].entry.original == 0xe0f010b2);  // ldrht r1, [r0], #2
    // The bytes: exactly the rewritten words changed, each to its index's encoding.
    size_t changed = 0;
    for (size_t offset = 0; offset + 4 <= elf.size(); offset += 4)
        if (word_at(elf, uint32_t(offset)) != word_at(original, uint32_t(offset))) {
            const uint32_t word = word_at(elf, uint32_t(offset));
            REQUIRE(core::rewrite::is_udf(word));
            CHECK(result.rewritten[core::rewrite::index_of(word)].entry.original ==
                  word_at(original, uint32_t(offset)));
            ++changed;
        }
    CHECK(changed == 9);
    const std::vector<uint8_t> table = rewriter::table_bytes(result.rewritten);
    CHECK(table.size() == 8 + 9 * 8);
    CHECK(word_at(table, 0) == core::rewrite::table_magic);
    CHECK(word_at(table, 4) == 9);
}

TEST_CASE("rewriter: Thumb code without sensitive instructions is left as it is")
{
    std::vector<uint8_t> elf = load("thumb_clean_sample.elf");
    const std::vector<uint8_t> before = elf;
    const rewriter::Result result = rewriter::rewrite(elf, core::Architecture::v7);
    REQUIRE(result.ok);
    REQUIRE(result.rewritten.size() == 1);
    CHECK(result.rewritten[0].entry.original == 0xe10f0000);
}

TEST_CASE("rewriter: the Thumb encodings of MRS and MSR and CPS and WFI are recognised")
{
    using rewriter::is_sensitive_thumb;
    CHECK(is_sensitive_thumb(0xb672, 0));             // cpsid i
    CHECK(is_sensitive_thumb(0xbf30, 0));             // wfi
    CHECK_FALSE(is_sensitive_thumb(0xbf20, 0));       // wfe: does not wait in QEMU
    CHECK(is_sensitive_thumb(0xf3ef, 0x8300));        // mrs r3, cpsr
    CHECK_FALSE(is_sensitive_thumb(0xf3ff, 0x8300));  // mrs r3, spsr: traps
    CHECK(is_sensitive_thumb(0xf381, 0x8100));        // msr cpsr_c, r1
    CHECK_FALSE(is_sensitive_thumb(0xf381, 0x8800));  // msr apsr_nzcvq, r1: flags land natively
    CHECK_FALSE(is_sensitive_thumb(0xf391, 0x8100));  // msr spsr_c, r1: traps
    CHECK(is_sensitive_thumb(0xf3af, 0x8003));        // wfi.w
    CHECK(is_sensitive_thumb(0xf3af, 0x8753));        // cpsid i, #0x13 (T2, from GNU as)
    CHECK_FALSE(is_sensitive_thumb(0xf3af, 0x8000));  // nop.w
}

TEST_CASE("rewriter: ARMv5 has no CPS so it is not rewritten there")
{
    std::vector<uint8_t> elf = load("rewrite_sample.elf");
    const rewriter::Result result = rewriter::rewrite(elf, core::Architecture::v5);
    REQUIRE(result.ok);
    // cpsid i is undefined on ARMv5: it traps by itself; ldrht is not an ARMv5 instruction.
    CHECK(result.rewritten.size() == 7);
}

TEST_CASE("rewriter: images it cannot read correctly are refused with the reason")
{
    std::vector<uint8_t> stripped = load("stripped_sample.elf");
    const std::vector<uint8_t> before = stripped;
    rewriter::Result result = rewriter::rewrite(stripped, core::Architecture::v7);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find(".text: executable section without mapping symbols") == 0);
    CHECK(stripped == before);

    std::vector<uint8_t> thumb = load("thumb_sample.elf");
    result = rewriter::rewrite(thumb, core::Architecture::v7);
    CHECK_FALSE(result.ok);
    CHECK(result.error.find(".text: sensitive Thumb instruction f3ef 8000 at 0x") == 0);  // mrs r0, apsr

    std::vector<uint8_t> junk = {1, 2, 3};
    CHECK(rewriter::rewrite(junk, core::Architecture::v7).error == "not an ELF file");
    std::vector<uint8_t> truncated = load("rewrite_sample.elf");
    truncated.resize(200);
    result = rewriter::rewrite(truncated, core::Architecture::v7);
    CHECK_FALSE(result.ok);
    CHECK_FALSE(result.error.empty());
}
