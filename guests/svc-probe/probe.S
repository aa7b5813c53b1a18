/* The SVC probe's vectors and its two semihosting-shaped calls. Only the SVC vector is
 * expected; any other exception is reported by unexpected_exception (lib/exceptions.c). */
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
/* Records r0, the SVC instruction (a halfword in Thumb state) and SPSR in svc_seen, counts the
 * call and returns 0xabc in r0: what a semihosting call never answers to SYS_WRITE0. */
supervisor_call:
    push {r1-r3, lr}
    mrs r3, spsr
    tst r3, #0x20                  @ SPSR.T: the caller was in Thumb state
    ldrhne r2, [lr, #-2]
    ldreq r2, [lr, #-4]
    ldr r1, =svc_seen
    stmia r1!, {r0, r2, r3}
    ldr r2, [r1]
    add r2, r2, #1
    str r2, [r1]
    ldr r0, =0xabc
    pop {r1-r3, lr}
    movs pc, lr

/* uint32_t arm_svc(uint32_t operation, const void* parameter): the ARM semihosting call. The
 * SVC taken in SVC mode overwrites lr_svc, hence the push. */
    .global arm_svc
    .type arm_svc, %function
arm_svc:
    push {r4, lr}
    svc 0x123456
    pop {r4, pc}

/* The same in Thumb state: `svc 0xab`. */
    .thumb
    .global thumb_svc
    .type thumb_svc, %function
    .thumb_func
thumb_svc:
    push {r4, lr}
    svc 0xab
    pop {r4, pc}
    .arm

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
