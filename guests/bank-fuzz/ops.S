/* The operations bank-fuzz draws from (main.c): each takes r0 and r1 (random values) and r2 (a
 * 64-byte scratch area the digest covers), works in SVC mode (the caller's) and other modes,
 * and returns to the caller in SVC mode with its sp and lr, r4-r11 kept; its result in r0.
 * No stack is touched in a mode other than SVC; I and F stay masked wherever a mode is entered
 * by MSR (an exception return may unmask them: no interrupt source is enabled). */
    .syntax unified
    .arm
    .text
    .global bank_op_count, bank_ops, bank_gather
#if __ARM_ARCH >= 6
#define V6(...) __VA_ARGS__
#define OP_COUNT 20
#define SPSR_BITS 0xf80f01c0       /* N Z C V Q, GE, A I F */
#else
#define V6(...)
#define OP_COUNT 12
#define SPSR_BITS 0xf80000c0       /* N Z C V Q, I F */
#endif

/* Into IRQ mode by MSR, I and F masked (r3 clobbered). */
.macro enter_irq
    mrs r3, cpsr
    orr r3, r3, #0xc0
    bic r3, r3, #0x1f
    orr r3, r3, #0x12
    msr cpsr_c, r3
.endm
/* The SPSR: the bits of \value a program may set, and \mode (r3 clobbered). */
.macro set_spsr value, mode
    ldr r3, =SPSR_BITS
    and r3, \value, r3
    orr r3, r3, #\mode
    msr spsr_fsxc, r3
.endm

bank_ops:
    .word op_set_bank, op_stm_user, op_stm_user_fiq, op_ldm_user, op_ldm_user_fiq, op_ldrt
    .word op_ldm_return, op_ldm_return_irq, op_ldm_user_if, op_movs_from_irq, op_subs_from_irq, op_movs_to_irq
    V6(.word op_rfe, op_rfe_writeback, op_srs_irq, op_srs_fiq, op_srs_abt, op_srs_und, op_srs_sys)
    V6(.word op_cps_mode)
bank_op_count:
    .word OP_COUNT
modes:                             @ by r0's low three bits: every mode but SVC (the caller's)
    .byte 0x11, 0x12, 0x17, 0x1b, 0x1f, 0x12, 0x17, 0x1b
    .balign 4

/* void bank_gather(uint32_t state[21]): FIQ's r8-r12, sp, lr, SPSR; IRQ's, ABT's and UND's sp,
 * lr and SPSR; SYS's (User's) sp and lr; SVC's SPSR; the CPSR. */
.macro gather mode, spsr=1
    msr cpsr_c, #(\mode | 0xc0)
    str sp, [r0], #4
    str lr, [r0], #4
    .if \spsr
    mrs r2, spsr
    str r2, [r0], #4
    .endif
.endm
bank_gather:
    mrs r3, cpsr
    mrs r2, spsr
    str r2, [r0], #4
    str r3, [r0], #4
    msr cpsr_c, #0xd1
    stmia r0!, {r8-r12}
    gather 0x11
    gather 0x12
    gather 0x17
    gather 0x1b
    gather 0x1f, 0
    msr cpsr_fsxc, r3
    bx lr

/* A random mode's sp, lr and SPSR (FIQ's r8-r12 too) set by moving into it with MSR. */
op_set_bank:
    push {r4, r5}
    mrs r4, cpsr
    and r3, r0, #7
    adr r5, modes
    ldrb r3, [r5, r3]
    orr r3, r3, #0xc0
    ldr r5, =SPSR_BITS
    and r5, r1, r5
    orr r5, r5, #0x10              @ a User-mode SPSR, random flags and masks
    msr cpsr_c, r3
    mov sp, r1
    eor lr, r1, r0
    cmp r3, #0xdf                  @ SYS has no SPSR
    msrne spsr_fsxc, r5
    cmp r3, #0xd1
    moveq r8, r0
    moveq r9, r1
    eoreq r10, r0, r1
    addeq r11, r0, r1
    subeq r12, r0, r1
    msr cpsr_fsxc, r4
    mov r0, r3
    pop {r4, r5}
    bx lr

op_stm_user:                       @ the User registers r8-r14 from SVC mode
    stmia r2, {r8-r14}^
    mov r0, #1
    bx lr

op_stm_user_fiq:                   @ from FIQ mode: User's r8-r12, not FIQ's
    mrs r3, cpsr
    msr cpsr_c, #0xd1
    stmib r2, {r8-r14}^
    msr cpsr_fsxc, r3
    mov r0, #2
    bx lr

op_ldm_user:                       @ User's sp and lr from SVC mode
    stmia r2, {r0, r1}
    ldmia r2, {r13, r14}^
    mov r0, #3
    bx lr

op_ldm_user_if:                    @ the same, conditional on Z as r1's bit 0 sets it
    stmia r2, {r0, r1}
    mrs r3, cpsr
    bic r3, r3, #0x40000000
    tst r1, #1
    orrne r3, r3, #0x40000000
    msr cpsr_f, r3
    ldmdbeq r2, {r13, r14}^
    ldmibne r2, {r13, r14}^
    mov r0, #4
    bx lr

op_ldm_user_fiq:                   @ User's r8-r14 from FIQ mode (SVC mode shares r8-r12)
    push {r4-r11}
    eor r3, r0, r1
    stmia r2, {r0, r1, r3}
    add r3, r0, r1
    str r3, [r2, #12]
    sub r3, r0, r1
    str r3, [r2, #16]
    mvn r3, r0
    str r3, [r2, #20]
    mvn r3, r1
    str r3, [r2, #24]
    mrs r3, cpsr
    msr cpsr_c, #0xd1
    ldmia r2, {r8-r14}^
    msr cpsr_fsxc, r3
    add r3, r2, #32
    stmia r3, {r8-r12}             @ as SVC mode sees them now
    pop {r4-r11}
    mov r0, #5
    bx lr

op_ldrt:                           @ LDRT, STRT, LDRBT, STRBT, post-indexed
    mov r3, r2
    strt r0, [r3], #4
    strbt r1, [r3], #1
    ldrt r12, [r2], #4
    ldrbt r0, [r2], #-3
    eor r0, r0, r12
    sub r3, r3, r2
    eor r0, r0, r3, lsl #16
    bx lr

op_ldm_return_irq:                 @ from IRQ mode into SVC mode: SVC's sp and lr come back
    enter_irq
op_ldm_return:                     @ LDM with pc ^ in SVC mode: the CPSR from the SPSR
    set_spsr r1, 0x13
    adr r3, 1f
    stmia r2, {r0, r3}
    ldmia r2, {r12, pc}^
1:  mrs r0, cpsr
    eor r0, r0, r12
    bx lr

op_movs_from_irq:                  @ MOVS pc, lr from IRQ mode (its sp and lr set) into SVC mode
    enter_irq
    mov sp, r0
    set_spsr r1, 0x13
    adr lr, 1f
    movs pc, lr
1:  mrs r0, cpsr
    bx lr

op_subs_from_irq:                  @ SUBS pc, lr, #4, as an IRQ handler returns
    enter_irq
    mov sp, r1
    set_spsr r0, 0x13
    adr lr, 1f + 4
    subs pc, lr, #4
1:  mrs r0, cpsr
    bx lr

op_movs_to_irq:                    @ MOVS pc, lr from SVC mode into IRQ mode, back by MSR
    mov r12, lr
    mrs r2, cpsr
    set_spsr r0, 0x12
    adr lr, 1f
    movs pc, lr
1:  mov lr, r1                     @ IRQ's lr
    mrs r0, cpsr
    msr cpsr_fsxc, r2
    bx r12

#if __ARM_ARCH >= 6
op_rfe:                            @ RFE into SVC mode, random flags and masks
    ldr r12, =SPSR_BITS
    and r12, r1, r12
    orr r12, r12, #0x13
    adr r3, 1f
    stmia r2, {r3, r12}            @ pc, CPSR
    rfeia r2
1:  mrs r0, cpsr
    bx lr

op_rfe_writeback:
    ldr r12, =SPSR_BITS
    and r12, r0, r12
    orr r12, r12, #0x13
    adr r3, 1f
    stmib r2, {r3, r12}            @ pc, CPSR
    add r3, r2, #12
    rfedb r3!
1:  mrs r0, cpsr
    sub r3, r3, r2
    eor r0, r0, r3
    bx lr

/* SRS: SVC's lr and SPSR onto another mode's stack (set to the scratch's second half). */
.macro srs_op name, mode, form
op_srs_\name:
    push {r4, lr}
    mrs r4, cpsr
    msr cpsr_c, #(\mode | 0xc0)
    add sp, r2, #40
    msr cpsr_fsxc, r4
    ldr r12, =SPSR_BITS
    and r12, r1, r12
    orr r12, r12, #0x10
    msr spsr_fsxc, r12
    mov lr, r0
    srs\form sp!, #\mode
    pop {r4, lr}
    mov r0, #\mode
    bx lr
.endm
    srs_op irq, 0x12, db
    srs_op fiq, 0x11, ia
    srs_op abt, 0x17, da
    srs_op und, 0x1b, ib
    srs_op sys, 0x1f, db

op_cps_mode:                       @ CPS with a mode: into SYS and IRQ and back by MSR
    mrs r3, cpsr
    cps #0x1f
    mov r0, sp
    eor r0, r0, lr
    cpsid if, #0x12
    eor r0, r0, sp, ror #8
    mrs r12, cpsr
    eor r0, r0, r12
    msr cpsr_fsxc, r3
    bx lr
#endif
    .ltorg
