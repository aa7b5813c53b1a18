/* Input for the rewriter tests: every sensitive class, look-alikes that must stay, and a
 * literal that encodes MRS inside data. The comment on each line says what must happen. */
    .syntax unified
    .arch armv7-a
    .arm
    .text
    .global _start
_start:
    mrs r0, cpsr              @ rewrite 0
    msr cpsr_c, #0xd3         @ rewrite 1
    msr cpsr_f, r1            @ keep: flags land natively
    msr cpsr_x, r1            @ rewrite 2: A is dropped in USR
    msr spsr_fsxc, r1         @ keep: traps
    cpsid i                   @ rewrite 3
    wfi                       @ rewrite 4
    wfe                       @ keep: does not wait in QEMU
    mcr p15, 0, r0, c1, c0, 0 @ keep: traps
    subs pc, lr, #4           @ keep: traps
    ldr r0, literal
    b after
literal:
    .word 0xe10f0000          @ data that looks like MRS: keep
after:
    mrsne r2, cpsr            @ rewrite 5: conditional
    ldrt r1, [r0], #4         @ rewrite 6: User rights in any mode
    strbt r1, [r0]            @ rewrite 7
    ldrht r1, [r0], #2        @ rewrite 8: ARMv7 only
    ldr r1, [r0], #4          @ keep: post-indexed, not unprivileged
    b .
