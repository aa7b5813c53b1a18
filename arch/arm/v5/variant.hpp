// ARMv5 (ARM926EJ-S): barriers, idle and vectors. ARMv5 ARM B2.6 and B6; ARM926EJ-S TRM 2.3.
#pragma once
#include "arch/arm/pte_v5.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 5;
namespace pte = arm::v5;

/// Drain the write buffer: the ARMv5 way to complete earlier stores.
inline void data_sync() { asm volatile("mcr p15, 0, %0, c7, c10, 4" ::"r"(0) : "memory"); }
inline void instruction_sync() {}
/// The CP15 wait-for-interrupt operation; ARMv5 has no WFI instruction.
inline void wait_for_interrupt() { asm volatile("mcr p15, 0, %0, c7, c0, 4" ::"r"(0) : "memory"); }
/// No VBAR: the vectors are the page at 0xffff0000 (SCTLR.V).
inline constexpr bool high_vectors = true;
inline void set_vector_base(uint32_t) {}

}  // namespace arm::variant
