// ARMv7-A (Cortex-A9): barriers, idle and vectors. ARMv7-A ARM A8.8.43 (DSB), B4.1.156 (VBAR).
#pragma once
#include "arch/arm/cp15.hpp"
#include "arch/arm/pte_v6.hpp"
#include "arch/arm/traits.hpp"
#include "core/cp15.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 7;

/// What the generic units ask of this architecture (arch/arm/traits.hpp).
inline constexpr Architecture_traits traits{
    .emulated_core = core::Cpu_core::cortex_a9,
    .has_asids = true,
    .reports_write_not_read = true,
    .has_thread_id_registers = true,
    .has_unaligned_control = false,
    .physically_tagged_caches = true,
    .has_feature_id_registers = true,
    .has_cache_id_registers = true,
    .alignment_status_3 = false,
    .has_vfp = true,
    .has_thumbee = true,
    .has_thumb_vfp = true,
};

/// CP15 registers probed at boot for what the core keeps of a write and its reset value
/// (boot.S arch_probe_cp15, in this order; arch/arm/cp15_probe.inc).
inline constexpr core::Cp15_field probed_fields[] = {core::field_cpacr, core::field_ttbcr};
inline constexpr unsigned probed_count = sizeof probed_fields / sizeof probed_fields[0];
static_assert(probed_count == ARM_PROBED_COUNT, "boot.S probes these registers, in this order");
namespace pte = arm::v6;

/// CLREX: another partition's LDREX must not meet this one's STREX.
ARM_STATE inline void clear_exclusive() { asm volatile("clrex" ::: "memory"); }
ARM_STATE inline void data_sync() { asm volatile("dsb" ::: "memory"); }
ARM_STATE inline void instruction_sync() { asm volatile("isb" ::: "memory"); }
ARM_STATE inline void wait_for_interrupt() { asm volatile("dsb\n\twfi" ::: "memory"); }
/// VBAR points at the vectors in the monitor's window; the guest keeps 0xffff0000.
inline constexpr bool high_vectors = false;
ARM_STATE inline void set_vector_base(uint32_t address)
{
    asm volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(address));
}

/// Installs a partition's translation table and its ASID: its TLB entries are tagged (all but
/// the monitor's global ones), so nothing is flushed. Through the reserved ASID 0, which no
/// entry carries (ARMv7-A ARM B3.10.4); the Cortex-A9's data cache is physically tagged.
ARM_STATE inline void switch_address_space(uint32_t table, uint32_t asid)
{
    asm volatile("dsb\n\t"
                 "mcr p15, 0, %0, c13, c0, 1\n\t"  // CONTEXTIDR: ASID 0
                 "isb\n\t"
                 "mcr p15, 0, %1, c2, c0, 0\n\t"  // TTBR0
                 "isb\n\t"
                 "mcr p15, 0, %2, c13, c0, 1\n\t"  // CONTEXTIDR: the table's ASID
                 "mcr p15, 0, %0, c7, c5, 6\n\t"   // BPIALL
                 "dsb\n\t"
                 "isb" ::"r"(0),
                 "r"(table), "r"(asid)
                 : "memory");
}

/// Drops the TLB entries of two ASIDs, `first` and the next (TLBIASID): a partition's shadows.
ARM_STATE inline void invalidate_asids(uint32_t first)
{
    asm volatile("mcr p15, 0, %0, c8, c7, 2\n\t"
                 "mcr p15, 0, %1, c8, c7, 2\n\t"
                 "dsb\n\t"
                 "isb" ::"r"(first),
                 "r"(first + 1)
                 : "memory");
}

/// Writes SCTLR, and mirrors its A bit into the Non-secure copy: QEMU 7.2 checks the alignment
/// of PL0 accesses against the Non-secure SCTLR even in the Secure state the monitor runs in
/// on vexpress-a9 (target/arm arm_sctlr() for EL0). The Non-secure copy is reached from
/// Monitor mode with SCR.NS set (ARMv7-A ARM B1.5.1); nothing runs Non-secure, so the copy is
/// otherwise unused.
/// Physically tagged data caches: an alias of guest memory is coherent with the guest's view.
inline void clean_data_cache() {}

ARM_STATE inline void write_sctlr(uint32_t value)
{
    uint32_t cpsr, scr, ns_sctlr, alignment;
    asm volatile("mrs %0, cpsr\n\t"
                 "cps #0x16\n\t"                  // Monitor mode
                 "mrc p15, 0, %1, c1, c1, 0\n\t"  // SCR
                 "orr %2, %1, #1\n\t"
                 "mcr p15, 0, %2, c1, c1, 0\n\t"  // SCR.NS = 1
                 "isb\n\t"
                 "mrc p15, 0, %2, c1, c0, 0\n\t"  // Non-secure SCTLR
                 "bic %2, %2, #2\n\t"
                 "and %3, %4, #2\n\t"
                 "orr %2, %2, %3\n\t"
                 "mcr p15, 0, %2, c1, c0, 0\n\t"
                 "mcr p15, 0, %1, c1, c1, 0\n\t"  // SCR.NS = 0
                 "isb\n\t"
                 "msr cpsr_c, %0\n\t"
                 "mcr p15, 0, %4, c1, c0, 0\n\t"  // Secure SCTLR
                 "isb"
                 : "=&r"(cpsr), "=&r"(scr), "=&r"(ns_sctlr), "=&r"(alignment)
                 : "r"(value)
                 : "memory");
}

/// Another table of the same partition: the same as any switch here (physically tagged caches).
ARM_STATE inline void switch_table(uint32_t table, uint32_t asid) { switch_address_space(table, asid); }

}  // namespace arm::variant
