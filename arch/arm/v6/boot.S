/* ARMv6 boot preparation: invalidate both caches and the TLBs, short descriptors with
 * TTBR0 only. ARM1176 TRM 3.2.22 (c7), 3.2.15 (TTBCR). Clobbers r0; no stack. */
    .syntax unified
    .arm
    .section .boot, "ax"
    .global arch_boot_prepare
arch_boot_prepare:
    mov r0, #0
    mcr p15, 0, r0, c7, c7, 0    @ invalidate both caches
    mcr p15, 0, r0, c8, c7, 0    @ invalidate TLBs
    mcr p15, 0, r0, c2, c0, 2    @ TTBCR = 0: every address through TTBR0
    mcr p15, 0, r0, c7, c10, 4   @ data synchronization barrier
    mcr p15, 0, r0, c7, c5, 4    @ flush prefetch buffer
    bx lr

#include "variant.h"
#include "arch/arm/cp15_probe.inc"
/* arch_probe_cp15(r0 = physical address of cp15_probed): variant.hpp's probed_fields. */
    .global arch_probe_cp15
arch_probe_cp15:
    cp15_probe 0, c1, c0, 2        @ CPACR
    cp15_probe 0, c2, c0, 2        @ TTBCR
    cp15_probe 0, c6, c0, 1        @ WFAR
    bx lr
    cp15_probe_results ARM_PROBED_COUNT

/* The VFP (arch/arm/vfp.inc): VFPv2, 16 D registers. */
    .fpu vfpv2
#define VFP_D32(...)
#include "arch/arm/vfp.inc"
