/* ARMv7-A boot preparation. The Cortex-A9 does not invalidate its L1 data cache at reset,
 * so walk it by set and way (ARMv7-A ARM B4.2.1 DCISW, B4.1.19 CCSIDR); then the
 * instruction cache and the TLBs; short descriptors through TTBR0 only.
 * Clobbers r0-r7; no stack.
 *
 * Thumb-2, as the monitor's C++ on this core (smaller than ARM code): it runs once, at boot.
 * entry.S's BL reaches it by interworking (the symbols are typed functions). The VFP's code
 * below stays ARM: it runs at partition switches, and its conditional transfers would need an IT
 * each in Thumb-2. */
    .syntax unified
    .thumb
    .section .boot, "ax"
    .global arch_boot_prepare
    .type arch_boot_prepare, %function
arch_boot_prepare:
    movs r0, #0
    mcr p15, 2, r0, c0, c0, 0    @ CSSELR: level 1 data cache
    isb
    mrc p15, 1, r1, c0, c0, 0    @ CCSIDR
    and r2, r1, #7
    adds r2, r2, #4              @ r2 = log2(line bytes): the set field's shift
    ubfx r3, r1, #3, #10         @ r3 = ways - 1
    clz r4, r3                   @ r4 = the way field's shift (32 when one way: lsl gives 0)
    ubfx r5, r1, #13, #15        @ r5 = sets - 1
1:  lsl r1, r5, r2               @ the set's bits (Thumb-2 shifts by a register apart)
    mov r6, r3
2:  lsl r7, r6, r4
    orrs r7, r7, r1
    mcr p15, 0, r7, c7, c6, 2    @ DCISW
    subs r6, r6, #1
    bge 2b
    subs r5, r5, #1
    bge 1b
    dsb
    mcr p15, 0, r0, c7, c5, 0    @ ICIALLU
    mcr p15, 0, r0, c7, c5, 6    @ BPIALL
    mcr p15, 0, r0, c8, c7, 0    @ TLBIALL
    mcr p15, 0, r0, c2, c0, 2    @ TTBCR = 0
    dsb
    isb
    bx lr
    .ltorg

#include "variant.h"
#include "arch/arm/cp15_probe.inc"
/* arch_probe_cp15(r0 = physical address of cp15_probed): variant.hpp's probed_fields. */
    .global arch_probe_cp15
    .type arch_probe_cp15, %function
arch_probe_cp15:
    cp15_probe 0, c1, c0, 2        @ CPACR
    cp15_probe 0, c2, c0, 2        @ TTBCR
    bx lr
    cp15_probe_results ARM_PROBED_COUNT

/* The VFP (arch/arm/vfp.inc): VFPv3 with Advanced SIMD, 16 or 32 D registers. */
    .fpu neon
    .arm                           @ the VFP's ARM code: no IT before its conditional transfers
#define VFP_D32(...) __VA_ARGS__
#include "arch/arm/vfp.inc"
