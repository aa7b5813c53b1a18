/* The application OS's vectors and its one way in and out of User mode. Every exception the
 * kernel serves comes from a user task with IRQs masked, and the kernel never nests one: each
 * entry saves the interrupted task's whole context into *current_task (struct Context,
 * kernel.c, which checks these offsets), runs C on the one kernel stack, and leaves through
 * restore_context into whatever task current_task names then. STM/LDM ^ move the User bank,
 * as on all three cores (ARMv5 has no SRS/RFE); their base is the exception mode's banked sp,
 * as in Linux, so it is never a register they transfer. First in the image, at the RAM base:
 * versatilepb's low vectors; lib/start.S points VBAR here on ARMv7. */
    .syntax unified
    .arm

    .section .vectors, "ax"
    .global guest_vectors
guest_vectors:
    b reset_entry
    b undefined_entry
    b supervisor_call_entry
    b prefetch_abort_entry
    b data_abort_entry
    b unused_entry
    b irq_entry
    b fiq_entry

    .text
/* lr: where the task resumes. Context: r0-r12 at 0, sp 52, lr 56, pc 60, cpsr 64. */
.macro save_context
    ldr sp, =current_task
    ldr sp, [sp]
    stmia sp, {r0-r14}^            @ the User bank
    nop                            @ ARMv5: no banked register right after STM ^
    str lr, [sp, #60]
    mrs lr, spsr
    str lr, [sp, #64]
    ldr sp, =kernel_stack_top
.endm

/* A kernel C function `name(argument)` between a save and the restore. */
.macro entry name, return_offset, handler, argument=0
\name:
    .if \return_offset
    sub lr, lr, #\return_offset
    .endif
    save_context
    mov r0, #\argument
    bl \handler
    b restore_context
.endm
    entry irq_entry, 4, interrupt
    entry supervisor_call_entry, 0, supervisor_call
    entry undefined_entry, 4, fault, 1
    entry prefetch_abort_entry, 4, fault, 3
    entry data_abort_entry, 8, fault, 4

/* Into *current_task: kernel.c's launch, and the end of every entry. */
    .global restore_context
restore_context:
    ldr sp, =current_task
    ldr sp, [sp]
    ldr lr, [sp, #64]
    msr spsr_cxsf, lr
    ldr lr, [sp, #60]
    ldmia sp, {r0-r14}^
    nop                            @ ARMv5: no banked register right after LDM ^
    movs pc, lr

/* Never expected at all: no task context to save. */
.macro fatal name, vector
\name:
    ldr sp, =kernel_stack_top
    mov r0, #\vector
    mov r1, lr
    b fatal_exception
.endm
    fatal reset_entry, 0
    fatal unused_entry, 5
    fatal fiq_entry, 7
    .ltorg

    .section .stacks, "aw", %nobits
    .balign 8
    .space 2048
kernel_stack_top:
