/* The operations psr-fuzz draws from (main.c): each takes r0 (a value: flags, masks, the current
 * mode) and r1 (a condition's seed), changes the CPSR one way and returns it as MRS reads it
 * afterwards. No stack is touched while a mode other than the caller's is in force. */
    .syntax unified
    .arm
    .text
    .global psr_op_count, psr_ops
#if __ARM_ARCH >= 6
#define CPS(...) __VA_ARGS__
#define OP_COUNT 27
#define SPSR_BITS 0xf80f01c0       /* N Z C V Q, GE, A I F: E (data endianness), T, J, IT left alone */
#else
#define CPS(...)
#define OP_COUNT 19
#define SPSR_BITS 0xf80000c0       /* N Z C V Q, I F */
#endif

psr_ops:
    .word op_mrs, op_msr_c, op_msr_f, op_msr_fc, op_msr_c_if, op_msr_c_imm, op_sys_round_trip, op_msr_c_twice
    .word op_spsr_fsxc, op_spsr_f, op_spsr_c, op_spsr_sx, op_movs_same, op_subs_same, op_from_irq, op_to_irq
    .word op_spsr_if, op_spsr_any, op_msr_x
    CPS(.word op_cpsid_i, op_cpsie_i, op_cpsid_if, op_cpsie_if, op_cpsid_aif, op_cpsie_aif, op_cpsid_a, op_cpsie_a)
psr_op_count:
    .word OP_COUNT

op_mrs:
    mrs r0, cpsr
    bx lr

/* The SPSR and the exception returns (MOVS pc, lr and SUBS pc, lr): the caller's mode (SVC) has
 * an SPSR. r1 & SPSR_BITS: a random value of the bits a program may set. */
op_spsr_fsxc:
    ldr r2, =SPSR_BITS
    and r1, r1, r2
    and r0, r0, #0x1f
    orr r0, r0, r1
    msr spsr_fsxc, r0
    mrs r0, spsr
    bx lr
op_spsr_any:                       @ any bits at all: those the core lacks read back as natively
    msr spsr_fsxc, r1
    mrs r0, spsr
    bx lr
op_msr_x:                          @ A (E left alone: the data's endianness)
    bic r1, r1, #0x200
    msr cpsr_x, r1
    mrs r0, cpsr
    bx lr
op_spsr_f:                         @ the flags over r0's
    msr spsr_fsxc, r0
    ldr r2, =SPSR_BITS
    and r1, r1, r2
    msr spsr_f, r1
    mrs r0, spsr
    bx lr
op_spsr_c:                         @ r0's masks and mode over random bits
    ldr r2, =SPSR_BITS
    and r1, r1, r2
    msr spsr_fsxc, r1
    msr spsr_c, r0
    mrs r0, spsr
    eor r0, r0, r1, ror #16        @ and the bits before, in one word
    bx lr
op_spsr_sx:                        @ GE and A over r0's
    msr spsr_fsxc, r0
    ldr r2, =SPSR_BITS
    and r1, r1, r2
    msr spsr_sx, r1
    mrs r0, spsr
    bx lr
op_spsr_if:                        @ conditional on Z as r1's bit 0 sets it
    msr spsr_fsxc, r0
    mrs r2, cpsr
    bic r2, r2, #0x40000000
    tst r1, #1
    orrne r2, r2, #0x40000000
    msr cpsr_f, r2
    mvneq r3, r0
    msreq spsr_f, r3
    mrs r0, spsr
    bx lr
op_movs_same:                      @ flags and masks by an exception return into the same mode
    mov r12, lr
    msr spsr_fsxc, r0
    adr lr, 1f
    movs pc, lr
1:  mrs r0, cpsr
    bx r12
op_subs_same:
    mov r12, lr
    msr spsr_fsxc, r0
    adr lr, 1f + 8
    subs pc, lr, #8
1:  mrs r0, cpsr
    bx r12
op_from_irq:                       @ into IRQ mode, then back by an exception return: the caller's
    mrs r2, cpsr                   @ sp and lr must come back with it
    orr r3, r2, #0xc0
    bic r3, r3, #0x1f
    orr r3, r3, #0x12
    msr cpsr_c, r3
    msr spsr_fsxc, r0              @ r0: the caller's mode, random flags and masks
    adr lr, 1f
    movs pc, lr
1:  mrs r0, cpsr
    bx lr
op_to_irq:                         @ into IRQ mode by an exception return, back by MSR
    mov r12, lr
    mrs r2, cpsr
    bic r3, r0, #0x1f
    orr r3, r3, #0x12
    msr spsr_fsxc, r3
    adr lr, 1f
    movs pc, lr
1:  mrs r0, cpsr
    msr cpsr_fsxc, r2
    bx r12
op_msr_c:                          @ the masks (and the same mode)
    msr cpsr_c, r0
    mrs r0, cpsr
    bx lr
op_msr_f:                          @ N Z C V Q
    msr cpsr_f, r0
    mrs r0, cpsr
    bx lr
op_msr_fc:
    msr cpsr_fc, r0
    mrs r0, cpsr
    bx lr
op_msr_c_if:                       @ conditional on Z as r1's bit 0 sets it
    mrs r2, cpsr
    bic r2, r2, #0x40000000
    tst r1, #1
    orrne r2, r2, #0x40000000
    msr cpsr_f, r2
    msreq cpsr_c, r0
    mrs r0, cpsr
    bx lr
op_msr_c_imm:                      @ an immediate: SVC with I set, then back to r0's masks
    msr cpsr_c, #0x93
    mrs r2, cpsr
    msr cpsr_c, r0
    mrs r0, cpsr
    eor r0, r0, r2, lsl #24        @ both, in one word
    bx lr
op_sys_round_trip:                 @ into SYS and back by MSR, the CPSR SYS read returned
    mrs r2, cpsr
    orr r3, r2, #0x1f
    msr cpsr_c, r3
    mrs r0, cpsr
    msr cpsr_c, r2
    bx lr
op_msr_c_twice:                    @ an OS's save, mask, restore
    mrs r2, cpsr
    orr r3, r2, #0xc0
    msr cpsr_c, r3
    mrs r0, cpsr
    msr cpsr_c, r2
    bx lr
#if __ARM_ARCH >= 6
op_cpsid_i:
    cpsid i
    mrs r0, cpsr
    bx lr
op_cpsie_i:
    cpsie i
    mrs r0, cpsr
    bx lr
op_cpsid_if:
    cpsid if
    mrs r0, cpsr
    bx lr
op_cpsie_if:
    cpsie if
    mrs r0, cpsr
    bx lr
op_cpsid_aif:
    cpsid aif
    mrs r0, cpsr
    bx lr
op_cpsie_aif:
    cpsie aif
    mrs r0, cpsr
    bx lr
op_cpsid_a:
    cpsid a
    mrs r0, cpsr
    bx lr
op_cpsie_a:
    cpsie a
    mrs r0, cpsr
    bx lr
#endif
    .ltorg
