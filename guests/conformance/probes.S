/* The conformance guest's probes: each runs one piece of privileged behaviour and stores
 * what it observed for main.cpp to judge. Called from SVC mode with IRQ and FIQ masked;
 * AAPCS (r4-r11 and sp preserved). Only r0-r7 are shared by every mode, so values that
 * cross a mode switch travel in them. */
#include "trap.h"

    .syntax unified
    .arm
    .text

#define SVC_MASKED (PSR_MODE_SVC | PSR_I | PSR_F)
#define IRQ_MASKED (PSR_MODE_IRQ | PSR_I | PSR_F)
#define ABT_MASKED (PSR_MODE_ABT | PSR_I | PSR_F)
#define UND_MASKED (PSR_MODE_UND | PSR_I | PSR_F)
#define FIQ_MASKED (PSR_MODE_FIQ | PSR_I | PSR_F)
#define SYS_MASKED (PSR_MODE_SYS | PSR_I | PSR_F)

.macro function name
    .global \name
    .type \name, %function
\name:
.endm

/* Barrier after a CP15 write that changes how later instructions behave (SCTLR.A). */
.macro context_barrier scratch
#if __ARM_ARCH >= 7
    isb
#elif __ARM_ARCH == 6
    mov \scratch, #0
    mcr p15, 0, \scratch, c7, c5, 4
#endif
.endm

function read_cpsr
    mrs r0, cpsr
    bx lr

function read_midr
    mrc p15, 0, r0, c0, c0, 0
    bx lr

/* probe_banked_sp_lr(out[12]): gives sp and lr a distinct value (0x5a0000MM, 0x5b0000MM,
 * MM the mode) in SVC, IRQ, ABT, UND, FIQ and SYS, then reads them back in the reverse
 * order: out[2i], out[2i+1] = sp, lr of the i-th mode. The real values are restored. */
.macro set_sp_lr mode
    msr cpsr_c, #(\mode | PSR_I | PSR_F)
    ldr r1, =0x5a000000 + \mode
    mov sp, r1
    ldr r1, =0x5b000000 + \mode
    mov lr, r1
.endm
.macro get_sp_lr mode, offset
    msr cpsr_c, #(\mode | PSR_I | PSR_F)
    str sp, [r0, #\offset]
    str lr, [r0, #\offset + 4]
.endm
.macro save_sp_lr mode, offset
    msr cpsr_c, #(\mode | PSR_I | PSR_F)
    str sp, [r4, #\offset]
    str lr, [r4, #\offset + 4]
.endm
.macro restore_sp_lr mode, offset
    msr cpsr_c, #(\mode | PSR_I | PSR_F)
    ldr sp, [r4, #\offset]
    ldr lr, [r4, #\offset + 4]
.endm
function probe_banked_sp_lr
    push {r4, r5, r6, lr}
    sub sp, sp, #40
    mov r4, sp
    mov r5, sp
    save_sp_lr PSR_MODE_IRQ, 0
    save_sp_lr PSR_MODE_ABT, 8
    save_sp_lr PSR_MODE_UND, 16
    save_sp_lr PSR_MODE_FIQ, 24
    save_sp_lr PSR_MODE_SYS, 32
    set_sp_lr PSR_MODE_SVC
    set_sp_lr PSR_MODE_IRQ
    set_sp_lr PSR_MODE_ABT
    set_sp_lr PSR_MODE_UND
    set_sp_lr PSR_MODE_FIQ
    set_sp_lr PSR_MODE_SYS
    get_sp_lr PSR_MODE_SYS, 40
    get_sp_lr PSR_MODE_FIQ, 32
    get_sp_lr PSR_MODE_UND, 24
    get_sp_lr PSR_MODE_ABT, 16
    get_sp_lr PSR_MODE_IRQ, 8
    get_sp_lr PSR_MODE_SVC, 0
    restore_sp_lr PSR_MODE_IRQ, 0
    restore_sp_lr PSR_MODE_ABT, 8
    restore_sp_lr PSR_MODE_UND, 16
    restore_sp_lr PSR_MODE_FIQ, 24
    restore_sp_lr PSR_MODE_SYS, 32
    msr cpsr_c, #SVC_MASKED
    mov sp, r5
    add sp, sp, #40
    pop {r4, r5, r6, pc}
    .ltorg

/* probe_fiq_r8_r12(out[10]): r8-r12 = 0x80000008.. in SVC and 0xf1000008.. in FIQ mode;
 * out[0..4] = r8-r12 read back in SVC, out[5..9] = read back in FIQ mode. */
function probe_fiq_r8_r12
    push {r4-r11, lr}
    ldr r8, =0x80000008
    ldr r9, =0x80000009
    ldr r10, =0x8000000a
    ldr r11, =0x8000000b
    ldr r12, =0x8000000c
    msr cpsr_c, #FIQ_MASKED
    ldr r8, =0xf1000008
    ldr r9, =0xf1000009
    ldr r10, =0xf100000a
    ldr r11, =0xf100000b
    ldr r12, =0xf100000c
    msr cpsr_c, #SVC_MASKED
    stmia r0, {r8-r12}
    msr cpsr_c, #FIQ_MASKED
    add r1, r0, #20
    stmia r1, {r8-r12}
    msr cpsr_c, #SVC_MASKED
    pop {r4-r11, pc}
    .ltorg

/* probe_flags_across_modes(out[2]): NZCV = 1010 set in SVC; out[0] = CPSR in IRQ mode,
 * out[1] = CPSR back in SVC. */
function probe_flags_across_modes
    msr cpsr_f, #0xa0000000
    msr cpsr_c, #IRQ_MASKED
    mrs r1, cpsr
    msr cpsr_c, #SVC_MASKED
    mrs r2, cpsr
    stmia r0, {r1, r2}
    msr cpsr_f, #0
    bx lr

/* CPSR after msr cpsr_f, #0xf0000000. */
function probe_msr_cpsr_flags
    msr cpsr_f, #0xf0000000
    mrs r0, cpsr
    msr cpsr_f, #0
    bx lr

/* SPSR after msr spsr_fsxc, r0. */
function probe_spsr_round_trip
    msr spsr_fsxc, r0
    mrs r0, spsr
    bx lr

/* SPSR after msr spsr_fsxc, r0 then msr spsr_f, r1. */
function probe_spsr_flags_field
    msr spsr_fsxc, r0
    msr spsr_f, r1
    mrs r0, spsr
    bx lr

/* CPSR after msr cpsr_c, #0xc0 (mode 0b00000, not a mode) from SVC; then back to SVC. */
function probe_illegal_mode
    msr cpsr_c, #(PSR_I | PSR_F)
    mrs r0, cpsr
    msr cpsr_c, #SVC_MASKED
    bx lr

#if __ARM_ARCH >= 6
/* probe_cps(out[6]): CPSR after cpsie i, cpsid i, cps #0x1f, cps #0x13, cpsie a, cpsid a. */
function probe_cps
    cpsie i
    mrs r1, cpsr
    cpsid i
    mrs r2, cpsr
    cps #PSR_MODE_SYS
    mrs r3, cpsr
    cps #PSR_MODE_SVC
    mrs r12, cpsr
    stmia r0!, {r1, r2, r3, r12}
    cpsie a
    mrs r1, cpsr
    cpsid a
    mrs r2, cpsr
    stmia r0, {r1, r2}
    bx lr
#endif

/* probe_svc(out[3]): out[0] = CPSR before `svc #0xc0ffee` (Z and C set), out[1] = the
 * address after it, out[2] = CPSR after the return. Not 0x123456: with semihosting enabled
 * (tests/system/qemu-test enables it) QEMU takes that one for a semihosting call. */
function probe_svc
    push {r4, lr}
    msr cpsr_f, #0x60000000
    mrs r1, cpsr
    adr r2, 1f
    stmia r0, {r1, r2}
    svc #0xc0ffee
1:  mrs r1, cpsr
    str r1, [r0, #8]
    pop {r4, pc}

/* probe_undefined(out[3]): out[0] = CPSR before udf #0 (N and V set), out[1] = the udf's
 * address, out[2] = CPSR after the handler returned. */
function probe_undefined
    msr cpsr_f, #0x90000000
    mrs r1, cpsr
    adr r2, 1f
    stmia r0, {r1, r2}
1:  .word 0xe7f000f0               @ udf #0: assembled by hand, ARMv5 assemblers reject udf
    mrs r1, cpsr
    str r1, [r0, #8]
    bx lr

/* A udf with condition NE while Z is set: the condition fails, nothing traps. */
function probe_undefined_condition_fails
    msr cpsr_f, #0x40000000
    .word 0x17f000f0               @ udfne #0
    msr cpsr_f, #0
    bx lr

/* probe_bkpt(out[3]): as probe_undefined, for bkpt #0 (C and V set before). */
function probe_bkpt
    msr cpsr_f, #0x30000000
    mrs r1, cpsr
    adr r2, 1f
    stmia r0, {r1, r2}
1:  bkpt #0
    mrs r1, cpsr
    str r1, [r0, #8]
    bx lr

/* probe_alignment_fault(out[5], address): SCTLR.A set, then ldr r3, [address] (unaligned).
 * out[0] = CPSR before (N and Z set), out[1] = the ldr's address, out[2] = CPSR after the
 * handler returned, out[3] = r3 afterwards (0x5a5a5a5a before), out[4] = SCTLR after A is
 * cleared again. */
function probe_alignment_fault
    push {r4, lr}
    mrc p15, 0, r4, c1, c0, 0
    orr r2, r4, #2                 @ SCTLR.A: alignment checking
    mcr p15, 0, r2, c1, c0, 0
    context_barrier r2
    msr cpsr_f, #0xc0000000
    mrs r2, cpsr
    str r2, [r0, #0]
    adr r2, 1f
    str r2, [r0, #4]
    ldr r3, =0x5a5a5a5a
1:  ldr r3, [r1]
    mrs r2, cpsr
    str r2, [r0, #8]
    str r3, [r0, #12]
    mcr p15, 0, r4, c1, c0, 0
    context_barrier r2
    mrc p15, 0, r2, c1, c0, 0
    str r2, [r0, #16]
    pop {r4, pc}
    .ltorg

/* probe_prefetch_abort(out[2], address): calls address (blx) through prefetch_abort_resume, so
 * a fetch there that aborts resumes after the call rather than at lr, where it would abort
 * again. out[0] = the call's return address; out[1] = IFAR afterwards (ARMv6+; the ARM926 has
 * none: 0). A call that does not abort returns to the same place, the resume address cleared. */
function probe_prefetch_abort
    push {r4, lr}
    mov r4, r0
    adr r2, 1f
    str r2, [r4, #0]
    ldr r3, =prefetch_abort_resume
    str r2, [r3]
    blx r1
1:  ldr r2, =prefetch_abort_resume
    mov r3, #0
    str r3, [r2]
#if __ARM_ARCH >= 6
    mrc p15, 0, r3, c6, c0, 2      @ IFAR
#endif
    str r3, [r4, #4]
    pop {r4, pc}
    .ltorg

#if __ARM_ARCH >= 6
/* probe_srs_rfe(out[5]): `svc #SVC_SRS_RFE`, whose handler returns through srsdb/rfeia.
 * out[0] = CPSR before (Z and V set), out[1] = sp before, out[2] = the address after the
 * svc, out[3] = CPSR after, out[4] = sp after. */
function probe_srs_rfe
    push {r4, lr}
    msr cpsr_f, #0x50000000
    mrs r1, cpsr
    mov r2, sp
    adr r3, 1f
    stmia r0, {r1, r2, r3}
    svc #SVC_SRS_RFE
1:  mrs r1, cpsr
    mov r2, sp
    str r1, [r0, #12]
    str r2, [r0, #16]
    pop {r4, pc}
#endif

/* probe_user_bank(out[6]): SYS-mode sp, lr = 0x5c00001f, 0x5d00001f; from SVC,
 * stmia {sp, lr}^ stores them to out[0..1]; out[2..3] = 0x5e000010, 0x5f000010 are loaded
 * with ldmia {sp, lr}^ and read back in SYS mode into out[4..5]. The USR bank is restored. */
function probe_user_bank
    msr cpsr_c, #SYS_MASKED
    mov r2, sp
    mov r3, lr
    ldr r1, =0x5c00001f
    mov sp, r1
    ldr r1, =0x5d00001f
    mov lr, r1
    msr cpsr_c, #SVC_MASKED
    stmia r0, {sp, lr}^
    nop                            @ ARMv5: no banked register right after STM^ (A4.1.97)
    ldr r1, =0x5e000010
    str r1, [r0, #8]
    ldr r1, =0x5f000010
    str r1, [r0, #12]
    add r1, r0, #8
    ldmia r1, {sp, lr}^
    nop                            @ ARMv5: no banked register right after LDM^ (A4.1.22)
    msr cpsr_c, #SYS_MASKED
    str sp, [r0, #16]
    str lr, [r0, #20]
    mov sp, r2
    mov lr, r3
    msr cpsr_c, #SVC_MASKED
    bx lr
    .ltorg

/* probe_user_mode(out[4]): enters USR mode through SPSR and movs pc, and there stores
 * out[0] = CPSR, out[1] = CPSR after msr cpsr_c, #0x13, out[2] = the address of an mrc of
 * SCTLR (undefined in USR), out[3] = its destination afterwards (0x5a5a5a5a before); then
 * `svc #SVC_BACK_TO_SUPERVISOR`, whose handler resumes this function's caller in SVC mode. */
/* enter_user: saves the caller's registers and sp (the SVC_BACK_TO_SUPERVISOR handler returns
 * to the caller with them), keeps r0 in r4 and continues at the next instruction in USR mode. */
.macro enter_user
    push {r4-r11, lr}
    ldr r1, =user_mode_saved_sp
    str sp, [r1]
    mov r4, r0
    mov r1, #(PSR_MODE_USR | PSR_I | PSR_F)
    msr spsr_cxsf, r1
    adr lr, 1f
    movs pc, lr
1:
.endm

function probe_user_mode
    enter_user
    mrs r1, cpsr
    str r1, [r4, #0]
    msr cpsr_c, #PSR_MODE_SVC      @ ignored in USR mode
    mrs r1, cpsr
    str r1, [r4, #4]
    adr r1, 2f
    str r1, [r4, #8]
    ldr r2, =0x5a5a5a5a
2:  mrc p15, 0, r2, c1, c0, 0
    str r2, [r4, #12]
    svc #SVC_BACK_TO_SUPERVISOR
3:  b 3b                           @ not reached: the handler returns to our caller
    .ltorg

/* cp15_round_trip name: returns what reads back after writing r0; the old value is put back. */
.macro cp15_round_trip name, crn, crm, opc2, opc1=0
function round_trip_\name
    mrc p15, \opc1, r1, \crn, \crm, \opc2
    mcr p15, \opc1, r0, \crn, \crm, \opc2
    mrc p15, \opc1, r0, \crn, \crm, \opc2
    mcr p15, \opc1, r1, \crn, \crm, \opc2
    bx lr
.endm
    cp15_round_trip dacr, c3, c0, 0
    cp15_round_trip ttbr0, c2, c0, 0
    cp15_round_trip contextidr, c13, c0, 1
#if __ARM_ARCH >= 6
    cp15_round_trip tpidrurw, c13, c0, 2
    cp15_round_trip tpidruro, c13, c0, 3
    cp15_round_trip tpidrprw, c13, c0, 4
#endif
#if __ARM_ARCH >= 7
function round_trip_vbar
    mrc p15, 0, r1, c12, c0, 0
    mcr p15, 0, r0, c12, c0, 0
    mrc p15, 0, r0, c12, c0, 0
    mcr p15, 0, r1, c12, c0, 0
    isb                            @ the vectors are back before anything can trap
    bx lr
#endif

/* mrceq of SCTLR with Z clear: returns the destination, 0x5a5a5a5a before. */
function probe_mrc_condition_fails
    ldr r0, =0x5a5a5a5a
    msr cpsr_f, #0
    mrceq p15, 0, r0, c1, c0, 0
    bx lr

/* mrc p15, 7, r0, c0, c0, 0 (opc1 7: no CP15 register on these cores, where the VFP's FPSID
 * would be on coprocessor 10): returns the destination, 0x5a5a5a5a before. */
function probe_mrc_opc1_7
    ldr r0, =0x5a5a5a5a
    mrc p15, 7, r0, c0, c0, 0
    bx lr
    .ltorg

/* mrc p15, 0, r0, c15, c15, 7 (no such register on these cores): returns the destination,
 * 0x5a5a5a5a before. */
function probe_mrc_unimplemented
    ldr r0, =0x5a5a5a5a
    mrc p15, 0, r0, c15, c15, 7
    bx lr
    .ltorg

/* probe_unmask_irq(out[1]): clears CPSR.I (cpsie i; ARMv5: msr cpsr_c) and sets it again at
 * once; out[0] = the unmasking instruction's address. A pending IRQ is taken between the two:
 * its LR is the unmasking instruction + 8. */
function probe_unmask_irq
    mrs r1, cpsr
    bic r2, r1, #PSR_I
    adr r3, 1f
    str r3, [r0]
#if __ARM_ARCH >= 6
1:  cpsie i
    cpsid i
#else
1:  msr cpsr_c, r2
    msr cpsr_c, r1
#endif
    bx lr

/* What the core keeps of a CP15 write (the virtual CP15 probes the real core for it). */
    cp15_round_trip ttbr0_ones, c2, c0, 0
#if __ARM_ARCH >= 6
    cp15_round_trip cpacr, c1, c0, 2
    cp15_round_trip ttbcr, c2, c0, 2
function read_cpacr
    mrc p15, 0, r0, c1, c0, 2
    bx lr
#endif
#if __ARM_ARCH == 6
    cp15_round_trip wfar, c6, c0, 1
#endif
#if __ARM_ARCH >= 7
    cp15_round_trip csselr, c0, c0, 0, 2
#endif

/* probe_user_barrier(out[1]): in USR mode, mcr p15, 0, rX, c7, c10, 4 (drain write buffer /
 * CP15DSB), whose address goes to out[0]: User mode may issue it on ARMv6 and later, not on
 * the ARM926 (an undefined instruction there). Then back to the caller in SVC mode, as
 * probe_user_mode. */
function probe_user_barrier
    enter_user
    adr r1, 2f
    str r1, [r4, #0]
    mov r2, #0
2:  mcr p15, 0, r2, c7, c10, 4
    svc #SVC_BACK_TO_SUPERVISOR
3:  b 3b                           @ not reached: the handler returns to our caller
    .ltorg

#if __ARM_ARCH >= 6
/* probe_big_endian(out[8]), ARMv6+: with CPSR.E set (setend be), the transfers the monitor
 * carries out for the guest. out[0..1] = r1, r2 = 0x11223344, 0x55667788 stored by stmia {..}^,
 * read back little-endian; out[2..3] = the same words loaded by ldmia {..}^; out[4..5] = lr =
 * 0x0a0b0c0d and SPSR stored by srsia (SVC's sp pointed at out + 16), read back little-endian;
 * out[6..7] = the return address and CPSR (E clear) stored big-endian for rfeia, which must
 * resume at the label after it. Returns with E clear. */
function probe_big_endian
    push {r4-r6, lr}
    mov r4, r0
    ldr r1, =0x11223344
    ldr r2, =0x55667788
    setend be
    stmia r4, {r1, r2}^
    nop
    ldmia r4, {r1, r2}^
    nop
    setend le
    str r1, [r4, #8]
    str r2, [r4, #12]
    mov r5, sp
    add sp, r4, #16
    ldr lr, =0x0a0b0c0d
    setend be
    srsia sp, #PSR_MODE_SVC
    setend le
    mov sp, r5
    adr r1, 1f
    mrs r2, cpsr
    setend be
    add r6, r4, #24
    stmia r6, {r1, r2}             @ big-endian, as rfeia reads them
    rfeia r6
1:  pop {r4-r6, pc}
    .ltorg
#endif
