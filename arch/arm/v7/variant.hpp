// ARMv7-A (Cortex-A9): barriers, idle and vectors. ARMv7-A ARM A8.8.43 (DSB), B4.1.156 (VBAR).
#pragma once
#include "arch/arm/pte_v6.hpp"
#include "variant.h"

namespace arm::variant {

inline constexpr unsigned architecture = 7;
namespace pte = arm::v6;

inline void data_sync() { asm volatile("dsb" ::: "memory"); }
inline void instruction_sync() { asm volatile("isb" ::: "memory"); }
inline void wait_for_interrupt() { asm volatile("dsb\n\twfi" ::: "memory"); }
/// VBAR points at the vectors in the monitor's window; the guest keeps 0xffff0000.
inline constexpr bool high_vectors = false;
inline void set_vector_base(uint32_t address) { asm volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(address)); }

}  // namespace arm::variant
