/* The hostile guest's entry and vectors: every abort is counted and skipped, so it can write
 * everywhere and carry on (guests/hostile/main.c). */
    .syntax unified
    .arm
    .section .vectors, "ax"
    .global hostile_vectors
hostile_vectors:
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

    .section .text.start, "ax"
    .global _start
_start:
#if __ARM_ARCH >= 7
    ldr r0, =hostile_vectors
    mcr p15, 0, r0, c12, c0, 0   @ VBAR
    isb
#endif
    ldr sp, =stack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    bl main
2:  b 2b

    .section .stacks, "aw", %nobits
    .balign 8
    .space 2048
stack_top:
