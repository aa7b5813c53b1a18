// The one definition of a rewritten sensitive instruction, shared by the image tool that
// rewrites a guest and the monitor that emulates it.
//
// A sensitive instruction that does not trap in User mode (MRS/MSR CPSR, CPS, WFI, ...) is
// replaced by a permanently undefined encoding, UDF-space with cond = 1110:
//   1110 0111 1111 iiii iiii iiii 1111 iiii
// undefined on ARMv5, ARMv6 and ARMv7 alike (ARMv7-A ARM A8.8.247; ARMv5 ARM A3.16.5), whose
// 16-bit immediate indexes the table of original instructions carried with the image. The
// monitor trusts an index only when the table's entry names the very address that trapped: a
// guest's own UDF (Linux's BUG(), a breakpoint) stays the guest's undefined instruction.
// Code linked to run elsewhere than it is loaded (a segment whose virtual address is not its
// load address: Linux's vector stubs, loaded after its init text and copied by the kernel to
// 0xffff1000) is found where it runs: its entry names that virtual address, with bit 0 set.
#pragma once
#include <stdint.h>

namespace core::rewrite {

inline constexpr uint32_t udf_pattern = 0xe7f000f0;
inline constexpr uint32_t udf_mask = 0xfff000f0;
inline constexpr uint32_t max_entries = 0x10000;

struct Entry {
    uint32_t address;   // guest-physical address of the instruction; virtual | 1: where copied code runs
    uint32_t original;  // the instruction it replaced
};

/// The table as it is stored: this header, then `count` entries sorted by index.
struct Table_header {
    uint32_t magic;  // table_magic
    uint32_t count;
};
inline constexpr uint32_t table_magic = 0x57525643;  // "CVRW" little-endian

constexpr bool is_udf(uint32_t word) { return (word & udf_mask) == udf_pattern; }
constexpr uint32_t encode(uint32_t index) { return udf_pattern | (index >> 4 & 0xfff) << 8 | (index & 0xf); }
constexpr uint32_t index_of(uint32_t word) { return (word >> 8 & 0xfff) << 4 | (word & 0xf); }

static_assert(encode(0) == 0xe7f000f0 && encode(0xffff) == 0xe7ffffff);
static_assert(index_of(encode(0x1234)) == 0x1234 && is_udf(encode(0xabcd)));

}  // namespace core::rewrite
