// ARMv6 (ARM1176JZF-S): barriers, idle and vectors. ARM1176 TRM 3.2.22 (c7 operations).
#pragma once
#include "arch/arm/cp15.hpp"
#include "arch/arm/pte_v6.hpp"
#include "arch/arm/traits.hpp"
#include "core/cp15.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 6;

/// What the generic units ask of this architecture (arch/arm/traits.hpp).
inline constexpr Architecture_traits traits{
    .emulated_core = core::Cpu_core::arm1176,
    .has_asids = true,
    .reports_write_not_read = true,
    .has_thread_id_registers = true,
    .has_unaligned_control = true,
    .physically_tagged_caches = true,
    .has_feature_id_registers = true,
    .has_cache_id_registers = false,
    .alignment_status_3 = false,
    .has_vfp = true,
    .has_thumbee = false,
    .has_thumb_vfp = false,
};

/// CP15 registers probed at boot for what the core keeps of a write and its reset value
/// (boot.S arch_probe_cp15, in this order; arch/arm/cp15_probe.inc).
inline constexpr core::Cp15_field probed_fields[] = {core::field_cpacr, core::field_ttbcr, core::field_wfar};
inline constexpr unsigned probed_count = sizeof probed_fields / sizeof probed_fields[0];
static_assert(probed_count == ARM_PROBED_COUNT, "boot.S probes these registers, in this order");
namespace pte = arm::v6;

/// CLREX (ARMv6K, which the ARM1176 is): another partition's LDREX must not meet this one's STREX.
ARM_STATE inline void clear_exclusive() { asm volatile("clrex" ::: "memory"); }
ARM_STATE inline void data_sync() { asm volatile("mcr p15, 0, %0, c7, c10, 4" ::"r"(0) : "memory"); }
ARM_STATE inline void instruction_sync() { asm volatile("mcr p15, 0, %0, c7, c5, 4" ::"r"(0) : "memory"); }
ARM_STATE inline void wait_for_interrupt() { asm volatile("mcr p15, 0, %0, c7, c0, 4" ::"r"(0) : "memory"); }
/// ARM1176 has a VBAR only as part of its Security Extensions, which not every ARMv6 core
/// implements: the vectors stay at 0xffff0000 (SCTLR.V), as on ARMv5.
inline constexpr bool high_vectors = true;
ARM_STATE inline void set_vector_base(uint32_t) {}

/// Installs a partition's translation table and its ASID: its TLB entries are tagged (all but
/// the monitor's global ones), so nothing is flushed. Through the reserved ASID 0, which no
/// entry carries. The ARM1176 caches are physically tagged: only the TLBs and the branch
/// predictor hold translations (ARM1176 TRM 3.2.22, 3.2.23).
ARM_STATE inline void switch_address_space(uint32_t table, uint32_t asid)
{
    asm volatile("mcr p15, 0, %0, c7, c10, 4\n\t"  // data synchronization barrier
                 "mcr p15, 0, %0, c13, c0, 1\n\t"  // CONTEXTIDR: ASID 0
                 "mcr p15, 0, %0, c7, c5, 4\n\t"   // flush the prefetch buffer
                 "mcr p15, 0, %1, c2, c0, 0\n\t"   // TTBR0
                 "mcr p15, 0, %0, c7, c5, 4\n\t"
                 "mcr p15, 0, %2, c13, c0, 1\n\t"  // CONTEXTIDR: the table's ASID
                 "mcr p15, 0, %0, c7, c5, 6\n\t"   // invalidate the branch predictor
                 "mcr p15, 0, %0, c7, c10, 4\n\t"
                 "mcr p15, 0, %0, c7, c5, 4" ::"r"(0),
                 "r"(table), "r"(asid)
                 : "memory");
}

/// Drops the TLB entries of two ASIDs, `first` and the next (c8, c7, 2: invalidate unified TLB
/// on ASID match): a partition's shadows.
ARM_STATE inline void invalidate_asids(uint32_t first)
{
    asm volatile("mcr p15, 0, %0, c8, c7, 2\n\t"
                 "mcr p15, 0, %1, c8, c7, 2\n\t"
                 "mcr p15, 0, %2, c7, c10, 4\n\t"
                 "mcr p15, 0, %2, c7, c5, 4" ::"r"(first),
                 "r"(first + 1), "r"(0)
                 : "memory");
}

/// Physically tagged data caches: an alias of guest memory is coherent with the guest's view.
inline void clean_data_cache() {}

ARM_STATE inline void write_sctlr(uint32_t value)
{
    asm volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(value) : "memory");
    instruction_sync();
}

/// Another table of the same partition: the same as any switch here (physically tagged caches).
ARM_STATE inline void switch_table(uint32_t table, uint32_t asid) { switch_address_space(table, asid); }

}  // namespace arm::variant
