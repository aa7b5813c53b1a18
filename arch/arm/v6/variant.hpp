// ARMv6 (ARM1176JZF-S): barriers, idle and vectors. ARM1176 TRM 3.2.22 (c7 operations).
#pragma once
#include "arch/arm/pte_v6.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 6;
namespace pte = arm::v6;

inline void data_sync() { asm volatile("mcr p15, 0, %0, c7, c10, 4" ::"r"(0) : "memory"); }
inline void instruction_sync() { asm volatile("mcr p15, 0, %0, c7, c5, 4" ::"r"(0) : "memory"); }
inline void wait_for_interrupt() { asm volatile("mcr p15, 0, %0, c7, c0, 4" ::"r"(0) : "memory"); }
/// ARM1176 has a VBAR only as part of its Security Extensions, which not every ARMv6 core
/// implements: the vectors stay at 0xffff0000 (SCTLR.V), as on ARMv5.
inline constexpr bool high_vectors = true;
inline void set_vector_base(uint32_t) {}

}  // namespace arm::variant
