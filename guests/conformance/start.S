/* The conformance guest's entry and exception handlers.
 *
 * The vector table is the first thing in the image, at the board's RAM base: on versatilepb
 * that is address 0, so the low vectors are the guest's own; on vexpress-a9 address 0 is
 * flash and _start points VBAR at the table. Every handler records what it saw in
 * trap_records[vector] (trap.h) and returns by a different exception-return form, so the
 * checks cover each of them: UND and SVC `movs pc, lr`, prefetch abort `ldmfd sp!, {..., pc}^`,
 * data abort and IRQ `subs pc, lr, #4`, and on ARMv6+ the SVC handler's SRS/RFE path. Each
 * handler clears the flags before returning: the caller's flags must come back from SPSR.
 * The table is position-independent (`ldr pc` from its own literals): the high-vector check
 * copies it to the page at 0xffff0000. */
#include "trap.h"

    .syntax unified
    .arm

    .section .vectors, "ax"
    .global guest_vectors
guest_vectors:
    ldr pc, .Lreset
    ldr pc, .Lundefined
    ldr pc, .Lsupervisor_call
    ldr pc, .Lprefetch_abort
    ldr pc, .Ldata_abort
    ldr pc, .Lunused
    ldr pc, .Lirq
    ldr pc, .Lfiq
.Lreset:            .word unexpected_reset
.Lundefined:        .word undefined_handler
.Lsupervisor_call:  .word supervisor_call_handler
.Lprefetch_abort:   .word prefetch_abort_handler
.Ldata_abort:       .word data_abort_handler
.Lunused:           .word unexpected_unused
.Lirq:              .word irq_handler
.Lfiq:              .word unexpected_fiq

    .section .text.start, "ax"
    .global _start
_start:
    /* Record the entry state first: r1 is the only register the contract leaves free
     * (it carries the machine id, which no check reads). */
    ldr r1, =entry_state
    str r0, [r1, #ENTRY_R0]
    mrs r0, cpsr
    str r0, [r1, #ENTRY_CPSR]
    mrc p15, 0, r0, c1, c0, 0
    str r0, [r1, #ENTRY_SCTLR]
#if __ARM_ARCH >= 7
    ldr r0, =guest_vectors
    mcr p15, 0, r0, c12, c0, 0     @ VBAR: address 0 is flash on vexpress-a9
    isb
#endif
    msr cpsr_c, #(PSR_MODE_FIQ | PSR_I | PSR_F)
    ldr sp, =stack_fiq_top
    msr cpsr_c, #(PSR_MODE_IRQ | PSR_I | PSR_F)
    ldr sp, =stack_irq_top
    msr cpsr_c, #(PSR_MODE_ABT | PSR_I | PSR_F)
    ldr sp, =stack_abt_top
    msr cpsr_c, #(PSR_MODE_UND | PSR_I | PSR_F)
    ldr sp, =stack_und_top
    msr cpsr_c, #(PSR_MODE_SYS | PSR_I | PSR_F)
    ldr sp, =stack_usr_top         @ the USR/SYS bank
    msr cpsr_c, #(PSR_MODE_SVC | PSR_I | PSR_F)
    ldr sp, =stack_svc_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    bl conformance_main
2:  b 2b                           @ idle: no semihosting, QEMU keeps running
    .ltorg

/* record_trap vector, base, scratch: count this exception and store lr, SPSR and the
 * handler's CPSR; leaves the record's address in \base. Flags are not touched. */
.macro record_trap vector, base, scratch
    ldr \base, =trap_records + (\vector << TRAP_SHIFT)
    ldr \scratch, [\base, #TRAP_COUNT]
    add \scratch, \scratch, #1
    str \scratch, [\base, #TRAP_COUNT]
    str lr, [\base, #TRAP_LR]
    mrs \scratch, spsr
    str \scratch, [\base, #TRAP_SPSR]
    mrs \scratch, cpsr
    str \scratch, [\base, #TRAP_CPSR]
.endm

    .text
/* UDF and privileged coprocessor access from USR: lr is already the next instruction. */
undefined_handler:
    push {r0, r1}
    record_trap VECTOR_UNDEFINED, r0, r1
    pop {r0, r1}
    msr cpsr_f, #0
    movs pc, lr

supervisor_call_handler:
    push {r0-r3}
    record_trap VECTOR_SUPERVISOR_CALL, r0, r1
    ldr r1, [lr, #-4]
    bic r1, r1, #0xff000000        @ the comment field
    str r1, [r0, #TRAP_IMMEDIATE]
    ldr r2, =SVC_BACK_TO_SUPERVISOR
    cmp r1, r2
    beq back_to_supervisor
#if __ARM_ARCH >= 6
    cmp r1, #SVC_SRS_RFE
    beq return_by_rfe
#endif
    pop {r0-r3}
    msr cpsr_f, #0
    movs pc, lr

/* probe_user_mode's USR code asks to come back: resume its SVC-mode caller. */
back_to_supervisor:
    ldr r0, =user_mode_saved_sp
    ldr sp, [r0]
    pop {r4-r11, pc}

#if __ARM_ARCH >= 6
/* srsdb pushes lr and SPSR onto the SVC stack; rfeia pops them back into pc and CPSR. */
return_by_rfe:
    pop {r0-r3}
    srsdb sp!, #PSR_MODE_SVC
    push {r0, r1}
    ldr r0, =srs_record
    ldr r1, [sp, #8]
    str r1, [r0, #SRS_STORED_LR]
    ldr r1, [sp, #12]
    str r1, [r0, #SRS_STORED_SPSR]
    add r1, sp, #8
    str r1, [r0, #SRS_SP_AFTER]
    pop {r0, r1}
    msr cpsr_f, #0
    rfeia sp!
#endif

/* BKPT (a debug event) and instruction fetch faults: lr is the instruction + 4, which is
 * where the probes resume; but a fetch that faulted would fault again there, so
 * probe_prefetch_abort names where its call resumes instead, in prefetch_abort_resume (once). */
prefetch_abort_handler:
    stmfd sp!, {r0-r3, lr}
    record_trap VECTOR_PREFETCH_ABORT, r0, r1
    mrc p15, 0, r1, c5, c0, 1      @ IFSR
    str r1, [r0, #TRAP_FSR]
    ldr r0, =prefetch_abort_resume
    ldr r1, [r0]
    cmp r1, #0
    strne r1, [sp, #16]            @ the saved lr: the return address
    movne r1, #0
    strne r1, [r0]
    msr cpsr_f, #0
    ldmfd sp!, {r0-r3, pc}^

/* lr is the faulting instruction + 8: resume at the one after it. */
data_abort_handler:
    push {r0, r1}
    record_trap VECTOR_DATA_ABORT, r0, r1
    mrc p15, 0, r1, c5, c0, 0      @ DFSR
    str r1, [r0, #TRAP_FSR]
    mrc p15, 0, r1, c6, c0, 0      @ DFAR
    str r1, [r0, #TRAP_FAR]
    pop {r0, r1}
    msr cpsr_f, #0
    subs pc, lr, #4

/* Only the interrupt checks unmask IRQs: conformance_irq (main.cpp) acknowledges and clears
 * what interrupted; lr is the interrupted instruction + 4. */
irq_handler:
    push {r0-r3, r12, lr}
    record_trap VECTOR_IRQ, r0, r1
    bl conformance_irq
    pop {r0-r3, r12, lr}
    msr cpsr_f, #0
    subs pc, lr, #4

/* The high-vector check (main.cpp) points its copy of the table at these: each counts its use
 * in high_vector_entries[vector], then runs the usual handler, so a check can tell which table
 * an exception came through. Registers and flags are left as they were. */
.macro counted_entry name, vector
    .global high_vector_\name
high_vector_\name:
    push {r0, r1}
    ldr r0, =high_vector_entries + (\vector << 2)
    ldr r1, [r0]
    add r1, r1, #1
    str r1, [r0]
    pop {r0, r1}
    b \name\()_handler
.endm
    counted_entry undefined, VECTOR_UNDEFINED
    counted_entry supervisor_call, VECTOR_SUPERVISOR_CALL

/* Nothing enables FIQs or resets: these are reported and end the run. */
.macro unexpected name, vector
unexpected_\name:
    mov r0, #\vector
    mov r1, lr
    b unexpected_exception         @ main.cpp, never returns
.endm
    unexpected reset, 0
    unexpected unused, 5
    unexpected fiq, 7
    .ltorg

    .data
    .balign 4
    .global entry_state            @ written before .bss is cleared, so it lives in .data
entry_state:
    .space ENTRY_SIZE

    .bss
    .balign 4
    .global trap_records, srs_record, user_mode_saved_sp, prefetch_abort_resume, high_vector_entries
trap_records:
    .space TRAP_SIZE * VECTOR_COUNT
high_vector_entries:
    .space 4 * VECTOR_COUNT
prefetch_abort_resume:             @ 0: resume at lr, as for a BKPT
    .space 4
srs_record:
    .space SRS_SIZE
user_mode_saved_sp:
    .space 4

/* One stack per mode, all inside the guest's first megabyte (guest.ld checks). */
.macro mode_stack name, bytes
    .balign 8
stack_\name\()_bottom:
    .space \bytes
    .global stack_\name\()_top
stack_\name\()_top:
.endm
    .section .stacks, "aw", %nobits
    mode_stack svc, 4096
    mode_stack usr, 2048
    mode_stack irq, 1024
    mode_stack abt, 1024
    mode_stack und, 1024
    mode_stack fiq, 512
