// ARMv5 (ARM926EJ-S): barriers, idle and vectors. ARMv5 ARM B2.6 and B6; ARM926EJ-S TRM 2.3.
#pragma once
#include "arch/arm/cp15.hpp"
#include "arch/arm/pte_v5.hpp"
#include "arch/arm/traits.hpp"
#include "core/cp15.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 5;

/// What the generic units ask of this architecture (arch/arm/traits.hpp).
inline constexpr Architecture_traits traits{
    .emulated_core = core::Cpu_core::arm926,
    .has_asids = false,
    .reports_write_not_read = false,
    .has_thread_id_registers = false,
    .has_unaligned_control = false,
    .physically_tagged_caches = false,
    .has_feature_id_registers = false,
    .has_cache_id_registers = false,
    .alignment_status_3 = true,
    .has_vfp = false,
    .has_thumbee = false,
    .has_thumb_vfp = false,
};

/// CP15 registers probed at boot (vN/boot.S arch_probe_cp15, in this order): none, the ARM926's
/// writable registers keep what is written.
inline constexpr core::Cp15_field probed_fields[] = {core::field_count};
inline constexpr unsigned probed_count = 0;
static_assert(probed_count == ARM_PROBED_COUNT, "boot.S probes none");
namespace pte = arm::v5;

/// Drain the write buffer: the ARMv5 way to complete earlier stores.
/// No exclusive monitor to clear: ARMv5 has no LDREX.
inline void clear_exclusive() {}
ARM_STATE inline void data_sync() { asm volatile("mcr p15, 0, %0, c7, c10, 4" ::"r"(0) : "memory"); }
ARM_STATE inline void instruction_sync() {}
/// The CP15 wait-for-interrupt operation; ARMv5 has no WFI instruction.
ARM_STATE inline void wait_for_interrupt() { asm volatile("mcr p15, 0, %0, c7, c0, 4" ::"r"(0) : "memory"); }
/// No VBAR: the vectors are the page at 0xffff0000 (SCTLR.V).
inline constexpr bool high_vectors = true;
ARM_STATE inline void set_vector_base(uint32_t) {}

/// Installs a partition's translation table. The ARM926EJ-S caches are virtually indexed
/// and tagged, and every partition uses the same guest addresses: clean and invalidate both
/// before the switch (ARM926EJ-S TRM 2.3.8), then drop the TLBs.
ARM_STATE inline void switch_address_space(uint32_t table, uint32_t /* no ASIDs */)
{
    asm volatile("1: mrc p15, 0, r15, c7, c14, 3\n\t"  // test, clean and invalidate the D-cache
                 "bne 1b\n\t"
                 "mcr p15, 0, %0, c7, c5, 0\n\t"   // invalidate the I-cache
                 "mcr p15, 0, %0, c7, c10, 4\n\t"  // drain the write buffer
                 "mcr p15, 0, %1, c2, c0, 0\n\t"   // TTBR0
                 "mcr p15, 0, %0, c8, c7, 0"       // invalidate the TLBs
                 ::"r"(0),
                 "r"(table)
                 : "memory", "cc");
}

/// Cleans and invalidates the whole D-cache: before the monitor reaches guest memory through an
/// alias of its own (the caches are virtually tagged; ARM926EJ-S TRM 2.3.8).
ARM_STATE inline void clean_data_cache()
{
    asm volatile("1: mrc p15, 0, r15, c7, c14, 3\n\t"
                 "bne 1b" ::
                     : "memory", "cc");
}

/// No ASIDs: a switch to another partition flushes the TLB.
inline void invalidate_asids(uint32_t) {}

ARM_STATE inline void write_sctlr(uint32_t value)
{
    asm volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(value) : "memory");
    instruction_sync();
}

/// Another table of the same partition (its virtual privilege changed): the same addresses map
/// the same memory, so the caches stay.
ARM_STATE inline void switch_table(uint32_t table, uint32_t /* no ASIDs */)
{
    asm volatile("mcr p15, 0, %1, c2, c0, 0\n\t"
                 "mcr p15, 0, %0, c8, c7, 0" ::"r"(0),
                 "r"(table)
                 : "memory");
}

}  // namespace arm::variant
