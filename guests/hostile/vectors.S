/* The hostile guest's vectors: every abort is counted and skipped, so it can write everywhere
 * and carry on (guests/hostile/main.c); guests/unowned probes with them too. lib/start.S points
 * VBAR here on ARMv7. */
    .syntax unified
    .arm
    .section .vectors, "ax"
    .global guest_vectors
guest_vectors:
    b .                          @ reset
    movs pc, lr                  @ undefined instruction: skip it
    movs pc, lr                  @ SVC
    subs pc, lr, #0              @ prefetch abort: skip the instruction (lr = it + 4)
    b data_abort                 @ data abort
    b .
    subs pc, lr, #4              @ IRQ
    subs pc, lr, #4              @ FIQ
data_abort:
    ldr sp, =aborts
    ldr sp, [sp]
    add sp, sp, #1
    str sp, [pc, #(aborts - . - 8)]
    subs pc, lr, #4              @ skip the faulting store
    .global aborts
aborts: .word 0
