/* ARMv5 boot preparation: invalidate both caches and the TLBs before the MMU goes on.
 * ARM926EJ-S TRM 2.3.8 (c7), 2.3.9 (c8). Clobbers r0; no stack. */
    .syntax unified
    .arm
    .section .boot, "ax"
    .global arch_boot_prepare
arch_boot_prepare:
    mov r0, #0
    mcr p15, 0, r0, c7, c7, 0    @ invalidate instruction and data caches
    mcr p15, 0, r0, c8, c7, 0    @ invalidate TLBs
    mcr p15, 0, r0, c7, c10, 4   @ drain write buffer
    bx lr

#include "variant.h"
#include "arch/arm/cp15_probe.inc"
/* arch_probe_cp15: the ARM926's writable CP15 registers keep what is written (variant.hpp). */
    .global arch_probe_cp15
arch_probe_cp15:
    bx lr
    cp15_probe_results ARM_PROBED_COUNT
