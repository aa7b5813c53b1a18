/* The VFP as a bare-metal program uses it (guests/vfp/main.c): enabled the usual way, its
 * identification read, its registers filled, dumped and computed with. ARMv6 (VFPv2, 16 D
 * registers) and ARMv7 (VFPv3, 16 or 32; MVFR0 says). */
    .syntax unified
    .arm
#if __ARM_ARCH >= 7
    .fpu neon
#define D32(...) __VA_ARGS__
#else
    .fpu vfpv2
#define D32(...)
#endif
    .text

/* vfp_enable(): CPACR grants coprocessors 10 and 11, then FPEXC.EN. */
    .global vfp_enable
vfp_enable:
    mrc p15, 0, r0, c1, c0, 2
    orr r0, r0, #0xf00000
    mcr p15, 0, r0, c1, c0, 2
    mov r0, #0
    mcr p15, 0, r0, c7, c5, 4      @ ISB (CP15 form: ARMv6 and ARMv7)
    vmrs r0, fpexc
    orr r0, r0, #0x40000000
    vmsr fpexc, r0
    bx lr

/* vfp_ids(r0 = uint32_t[4]): FPSID, MVFR0, MVFR1, FPEXC. */
    .global vfp_ids
vfp_ids:
    vmrs r1, fpsid
    vmrs r2, mvfr0
    vmrs r3, mvfr1
    stmia r0!, {r1-r3}
    vmrs r1, fpexc
    str r1, [r0]
    bx lr

/* vfp_write_ids(r0): VMSR of FPSID, MVFR0 and MVFR1 (ignored on QEMU's cores, which the IDs read
 * afterwards show). */
    .global vfp_write_ids
vfp_write_ids:
    vmsr fpsid, r0
    vmsr mvfr0, r0
    vmsr mvfr1, r0
    bx lr

/* vfp_fill(r0 = uint64_t[32]): D0-D15 (and D16-D31 with 32) from memory. */
    .global vfp_fill
vfp_fill:
    vldmia r0!, {d0-d15}
    D32(vmrs r1, mvfr0)
    D32(tst r1, #2)
    D32(vldmiane r0!, {d16-d31})
    bx lr

/* vfp_dump(r0 = uint64_t[32], r1 = how many D registers: 16 or 32): D0-D15 (and D16-D31 with
 * 32) to memory. On ARMv7 it is Thumb-2 code, as Linux's user space is: it is where the program
 * first uses the VFP after the other partition ran, so its first instruction traps in Thumb
 * state while the VFP holds the other's registers (the monitor does not decode Thumb). The
 * count is an argument: VMRS of MVFR0 is privileged, and Thumb's is not emulated. */
    .global vfp_dump
#if __ARM_ARCH >= 7
    .thumb
    .type vfp_dump, %function
    .thumb_func
vfp_dump:
    vstmia r0!, {d0-d15}
    cmp r1, #32
    it eq
    vstmiaeq r0!, {d16-d31}
    bx lr
    .arm
#else
vfp_dump:
    vstmia r0!, {d0-d15}
    bx lr
#endif

/* vfp_compute(r0:r1 = a, r2:r3 = b as doubles' bits): sqrt(a / b) * b + a, its bits. */
    .global vfp_compute
vfp_compute:
    vmov d0, r0, r1
    vmov d1, r2, r3
    vdiv.f64 d2, d0, d1
    vsqrt.f64 d3, d2
    vmul.f64 d3, d3, d1
    vadd.f64 d3, d3, d0
    vmov r0, r1, d3
    bx lr

/* vfp_divide_by_zero(): FPSCR after 1.0 / 0.0 (DZC, bit 1, set), with its flags cleared first. */
    .global vfp_divide_by_zero
vfp_divide_by_zero:
    mov r0, #0
    vmsr fpscr, r0
    ldr r1, =0x3ff00000            @ 1.0
    vmov d0, r0, r1
    vsub.f64 d1, d0, d0
    vdiv.f64 d2, d0, d1
    vmrs r0, fpscr
    bx lr
    .ltorg
