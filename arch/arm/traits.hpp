// What the generic units ask of an architecture, by name: each vN/variant.hpp gives its values
// (variant::traits), and arch/arm/*.cpp test these, never the architecture's number.
#pragma once
#include "core/cp15.hpp"

namespace arm {

struct Architecture_traits {
    /// The core the guests' virtual CPUs are (core/cp15.hpp).
    core::Cpu_core emulated_core;
    /// Hardware ASIDs tag TLB entries (ARMv6+): a partition's tables switch without a TLB flush.
    bool has_asids;
    /// The DFSR reports WnR, whether a data abort was a write (ARMv6+; ARMv5 leaves it to the
    /// instruction).
    bool reports_write_not_read;
    /// TPIDRURW and TPIDRURO, the thread-ID registers User mode reaches without a trap (ARMv6+).
    bool has_thread_id_registers;
    /// SCTLR.U selects unaligned access and is the guest's to set (ARMv6; RES1 on ARMv7).
    bool has_unaligned_control;
    /// The data cache is physically tagged: the monitor may alias guest memory cacheable
    /// (ARMv6+; the ARM926's is virtually tagged, so its alias is uncached, its cache cleaned first).
    bool physically_tagged_caches;
    /// CP15 c0, CRm 1 and 2 hold the feature ID registers, and ACTLR exists (ARMv6+).
    bool has_feature_id_registers;
    /// CCSIDR, CLIDR, AIDR, CSSELR and the Cortex-A9's CBAR (ARMv7).
    bool has_cache_id_registers;
    /// DFSR status 0x3 is an alignment fault too (ARMv5; ARMv6+ use it for the access flag).
    bool alignment_status_3;
    /// The monitor offers the guests the core's VFP when CPACR shows one (ARMv6+: vfp.cpp).
    bool has_vfp;
    /// ThumbEE's TEEHBR, which User mode reaches without a trap (the Cortex-A9).
    bool has_thumbee;
    /// Thumb code reaches the VFP (Thumb-2, ARMv7; ARMv6's Thumb has no coprocessor
    /// instructions): an undefined instruction in Thumb state may be a VFP one (trap.cpp).
    bool has_thumb_vfp;
};

}  // namespace arm
