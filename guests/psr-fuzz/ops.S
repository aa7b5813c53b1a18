/* The operations psr-fuzz draws from (main.c): each takes r0 (a value: flags, masks, the current
 * mode) and r1 (a condition's seed), changes the CPSR one way and returns it as MRS reads it
 * afterwards. No stack is touched while a mode other than the caller's is in force. */
    .syntax unified
    .arm
    .text
    .global psr_op_count, psr_ops
#if __ARM_ARCH >= 6
#define CPS(...) __VA_ARGS__
#define OP_COUNT 16
#else
#define CPS(...)
#define OP_COUNT 8
#endif

psr_ops:
    .word op_mrs, op_msr_c, op_msr_f, op_msr_fc, op_msr_c_if, op_msr_c_imm, op_sys_round_trip, op_msr_c_twice
    CPS(.word op_cpsid_i, op_cpsie_i, op_cpsid_if, op_cpsie_if, op_cpsid_aif, op_cpsie_aif, op_cpsid_a, op_cpsie_a)
psr_op_count:
    .word OP_COUNT

op_mrs:
    mrs r0, cpsr
    bx lr
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
