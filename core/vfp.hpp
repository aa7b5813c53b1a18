// A guest's VFP and Advanced SIMD (docs/vcpu.md, "VFP"): which of its trapped instructions are
// VFP ones. The registers themselves run on the hardware, switched lazily between partitions by
// the monitor (arch/arm/vfp.cpp); the system registers are the virtual CP15's. Pure logic.
// Encodings: ARMv7-A ARM (DDI 0406C) A7.1 (Advanced SIMD and VFP), A8.8.348-349 (VMRS, VMSR),
// B4.1.56 (FPEXC); ARM1176JZF-S TRM 20 (VFP11).
#pragma once
#include <stdint.h>

namespace core::vfp {

/// Whether the ARM-state `word` is a VFP or Advanced SIMD instruction: coprocessor 10 or 11's
/// data processing, register moves and loads and stores, or the unconditional Advanced SIMD
/// data processing and element and structure loads and stores.
constexpr bool instruction(uint32_t word)
{
    if (word >> 28 == 0xf) return (word & 0xfe000000) == 0xf2000000 || (word & 0xff100000) == 0xf4000000;
    const bool coprocessor = (word & 0x0e000000) == 0x0c000000 || (word & 0x0f000000) == 0x0e000000;
    return coprocessor && (word & 0xe00) == 0xa00;
}
static_assert(instruction(0xee300b01) && instruction(0xed900b00) &&
              instruction(0xeef10a10));  // vadd.f64, vldr, vmrs fpscr
static_assert(instruction(0xf2000d00) && instruction(0xf4200a0f) &&
              instruction(0xec410b10));  // vadd.f32 q, vld1, vmov d0, r1, r1
static_assert(!instruction(0xee110f10) && !instruction(0xef000000) &&
              !instruction(0xf5d0f000));  // mrc p15, svc, pld

/// VMRS or VMSR of a VFP system register but FPSCR (FPSID, MVFR0, MVFR1, FPEXC): privileged,
/// so they always trap, and the virtual CP15 serves them (its opc1 7 rows, core/cp15.cpp).
constexpr bool system_register(uint32_t word)
{
    return (word & 0x0fe00fff) == 0x0ee00a10 && word >> 28 != 0xf && (word >> 16 & 15) != 1;
}
static_assert(system_register(0xeef81a10) && system_register(0xeee82a10) && !system_register(0xeef10a10));

/// A VFP instruction (CDP to coprocessor 10) that stands for a Thumb instruction, which the
/// monitor does not decode (arch/arm/trap.cpp): on ARMv7 any may be a VFP one.
inline constexpr uint32_t any_instruction = 0xee000a00;
static_assert(instruction(any_instruction) && !system_register(any_instruction));

inline constexpr uint32_t fpexc_enable = 1u << 30;  // FPEXC.EN
inline constexpr uint32_t cpacr_cp10 = 3u << 20;    // CPACR's access to coprocessor 10 (and 11 follows)

}  // namespace core::vfp
