/* The small guests' vectors (add_guest(NAME INTERRUPTS ...)): an IRQ calls the guest's
 * irq_handler(); every other exception is a fault reported by unexpected_exception()
 * (exceptions.c). First in the image, at the RAM base: versatilepb's low vectors; start.S
 * points VBAR here on ARMv7. */
    .syntax unified
    .arm

    .section .vectors, "ax"
    .global guest_vectors
guest_vectors:
    b unexpected_reset
    b unexpected_undefined
    b unexpected_supervisor_call
    b unexpected_prefetch_abort
    b unexpected_data_abort
    b unexpected_unused
    b irq_entry
    b unexpected_fiq

    .text
/* lr is the interrupted instruction + 4. The caller-saved registers and the return address
 * (24 bytes: sp stays 8-byte aligned for the C call); ldm ^ restores CPSR from SPSR. */
irq_entry:
    sub lr, lr, #4
    push {r0-r3, r12, lr}
    bl irq_handler
    ldmfd sp!, {r0-r3, r12, pc}^

/* start.S calls it first thing: IRQ mode's stack. */
    .global set_irq_stack
set_irq_stack:
    msr cpsr_c, #0xd2              @ IRQ mode, IRQ and FIQ masked
    ldr sp, =irq_stack_top
    msr cpsr_c, #0xd3              @ back to SVC mode, as entered
    bx lr

/* The faulting mode's sp may be anything: each takes the fatal stack (it never returns). */
.macro unexpected name, vector
unexpected_\name:
    mov r0, #\vector
    mov r1, lr
    ldr sp, =fatal_stack_top
    b unexpected_exception
.endm
    unexpected reset, 0
    unexpected undefined, 1
    unexpected supervisor_call, 2
    unexpected prefetch_abort, 3
    unexpected data_abort, 4
    unexpected unused, 5
    unexpected fiq, 7
    .ltorg

    .section .stacks, "aw", %nobits
    .balign 8
    .space 1024
irq_stack_top:
    .space 256
fatal_stack_top:
