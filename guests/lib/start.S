/* The small guests' entry: on ARMv7 VBAR at their vector table if they have one (address 0 is
 * flash on vexpress-a9), IRQ mode's stack if they take interrupts (vectors.S), a stack, a
 * cleared .bss, then main. */
    .syntax unified
    .arm
    .weak guest_vectors, set_irq_stack
    .section .text.start, "ax"
    .global _start
_start:
#if __ARM_ARCH >= 7
    ldr r0, =guest_vectors
    cmp r0, #0
    mcrne p15, 0, r0, c12, c0, 0   @ VBAR
    isb
#endif
    ldr r0, =set_irq_stack         @ vectors.S: only guests that take interrupts link it,
    cmp r0, #0                     @ so the others carry no CPSR write to rewrite
    blxne r0
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
