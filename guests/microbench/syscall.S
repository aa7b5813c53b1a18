/* bench-syscall's vectors and loop (main.c). Its SVC handler is an OS's least: SPSR read and
 * written back (as an OS saves and restores it around a call that may be preempted), then the
 * exception return. Any other exception is reported by unexpected_exception (lib/exceptions.c). */
    .syntax unified
    .arm

    .section .vectors, "ax"
    .global guest_vectors
guest_vectors:
    b unexpected_reset
    b unexpected_undefined
    b supervisor_call
    b unexpected_prefetch_abort
    b unexpected_data_abort
    b unexpected_unused
    b unexpected_irq
    b unexpected_fiq

    .text
/* Taken from SVC mode itself: lr_svc is the loop's return address, r12 scratch (the loop keeps
 * nothing in it). */
supervisor_call:
    mrs r12, spsr
    msr spsr_cxsf, r12
    movs pc, lr

/* void syscall_loop(uint32_t rounds): `svc #0` `rounds` times (not 0). Each SVC overwrites
 * lr_svc: the return address is on the stack. */
    .global syscall_loop
    .type syscall_loop, %function
syscall_loop:
    push {r4, lr}
1:  svc #0
    subs r0, r0, #1
    bne 1b
    pop {r4, pc}

.macro unexpected name, vector
unexpected_\name:
    mov r0, #\vector
    mov r1, lr
    ldr sp, =fatal_stack_top
    b unexpected_exception
.endm
    unexpected reset, 0
    unexpected undefined, 1
    unexpected prefetch_abort, 3
    unexpected data_abort, 4
    unexpected unused, 5
    unexpected irq, 6
    unexpected fiq, 7
    .ltorg

    .section .stacks, "aw", %nobits
    .balign 8
    .space 256
fatal_stack_top:
