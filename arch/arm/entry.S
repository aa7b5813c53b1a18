/* The monitor's entry: reset to C++, and the exception vectors.
 *
 * QEMU (or a boot loader) enters _start at its physical address in SVC mode with the MMU
 * off. The boot code maps the megabyte it runs from twice, at its physical address and at
 * the monitor's window (0xfff00000), turns the MMU and caches on, jumps into the window,
 * gives every exception mode a stack, clears .bss and calls cellvisor_main, which builds
 * the final mappings (mmu.cpp).
 *
 * Each vector saves an Exception_frame (frame.h), a partition's into its vCPU and the monitor's
 * on its mode's stack, calls C++ and returns through one restore path (below). */
#include "arch/arm/frame.h"
#include "variant.h"
#include "board.h"

    .syntax unified
    .arm

/* ---- reset: runs at the physical address until the jump into the window ---- */
    .section .boot, "ax"
    .global _start
_start:
    msr cpsr_c, #(PSR_MODE_SVC | PSR_I | PSR_F)
    bl arch_boot_prepare           @ caches and TLBs invalidated (v5/v6/v7 boot.S)
    adr r4, _start                 @ physical
    ldr r5, =_start                @ virtual
    sub r6, r5, r4
    ldr r0, =cp15_probed
    sub r0, r0, r6
    bl arch_probe_cp15             @ what the core keeps of CP15 writes (vN/boot.S)
    ldr r0, =monitor_l1
    sub r0, r0, r6                 @ r0 = physical address of the first-level table
    mov r1, r0
    add r2, r0, #0x4000
    mov r3, #0
1:  str r3, [r1], #4               @ every entry faults ...
    cmp r1, r2
    bne 1b
    ldr r3, =ARM_BOOT_SECTION
    lsr r1, r4, #20
    orr r2, r3, r1, lsl #20
    str r2, [r0, r1, lsl #2]       @ ... but the megabyte we run from, at its own address
    lsr r1, r5, #20
    str r2, [r0, r1, lsl #2]       @ and at the window
    mcr p15, 0, r0, c2, c0, 0      @ TTBR0
    mov r1, #1
    mcr p15, 0, r1, c3, c0, 0      @ DACR: domain 0 is a client (permissions checked)
    mrc p15, 0, r1, c1, c0, 0      @ as found: the reset value the guests' virtual CP15 starts from
    mvn r3, #0
    msr spsr_fsxc, r3
    mrs r3, spsr                   @ the PSR bits the core has (core::Vcpu::implemented)
    ldr r2, =boot_sctlr
    sub r2, r2, r6
    stmia r2, {r1, r3}             @ boot_sctlr, psr_implemented
    ldr r2, =ARM_SCTLR_BOOT_CLEAR
    bic r1, r1, r2
    ldr r2, =ARM_SCTLR_BOOT_SET
    orr r1, r1, r2
    mov r3, #0
    mcr p15, 0, r3, c7, c10, 4     @ complete the table writes before the walker reads them
    mcr p15, 0, r1, c1, c0, 0      @ SCTLR: MMU and caches on
    ARM_ISB(r3)
    ldr pc, =virtual_start
    .ltorg

    .text
virtual_start:
    msr cpsr_c, #(PSR_MODE_FIQ | PSR_I | PSR_F)
    ldr sp, =stack_fiq_top
    msr cpsr_c, #(PSR_MODE_IRQ | PSR_I | PSR_F)
    ldr sp, =stack_irq_top
    msr cpsr_c, #(PSR_MODE_ABT | PSR_I | PSR_F)
    ldr sp, =stack_abt_top
    msr cpsr_c, #(PSR_MODE_UND | PSR_I | PSR_F)
    ldr sp, =stack_und_top
    msr cpsr_c, #(PSR_MODE_SVC | PSR_I | PSR_F)
    ldr sp, =stack_svc_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
2:  cmp r0, r1
    strlo r2, [r0], #4
    blo 2b
    bl cellvisor_main              @ never returns
    b .

/* Where the monitor idles when no partition can run; an exception return lands here, so the SVC
 * stack starts afresh each time (the loop never returns to unwind what it pushed). */
    .global monitor_idle
    .type monitor_idle, %function
monitor_idle:
    ldr sp, =stack_svc_top
    bl monitor_wait                @ never returns
    .ltorg

/* ---- vectors: the first page of the image; mmu.cpp points SCTLR.V or VBAR at it ---- */
    .section .vectors, "ax"
    .global monitor_vectors
monitor_vectors:
    ldr pc, .Lreset
    ldr pc, .Lundefined
    ldr pc, .Lsupervisor_call
    ldr pc, .Lprefetch_abort
    ldr pc, .Ldata_abort
    ldr pc, .Lunused
    ldr pc, .Lirq
    ldr pc, .Lfiq
.Lreset:            .word vector_reset
.Lundefined:        .word vector_undefined
.Lsupervisor_call:  .word vector_supervisor_call
.Lprefetch_abort:   .word vector_prefetch_abort
.Ldata_abort:       .word vector_data_abort
.Lunused:           .word vector_unused
.Lirq:              .word vector_irq
.Lfiq:              .word vector_fiq

    .text
/* A partition's trap (the interrupted mode is User: the monitor never runs in it) saves the
 * partition's registers straight into its vCPU (guest_frame: core::Vcpu's r[16] and
 * hardware_cpsr, the frame's layout) and calls handle_partition_trap; anything else (the
 * monitor's idle loop interrupted, a fault in the monitor) saves a frame on the mode's stack and
 * calls handle_exception. Either returns the frame to resume, restored by one path.
 *
 * Accounting (docs/benchmarks.md): the board's 24 MHz counter is read at entry, in each trap's
 * seventh instruction, and again before the restore; monitor_ticks sums the difference, in
 * sixteenths of a tick, plus trap_overhead for the instructions outside the two reads
 * (ARM_TRAP_UNCOUNTED: the vector's 6 and the first read, the last 11 or 12), for every trap and every IRQ taken while idle
 * (not for a fault inside the monitor, which returns into the trap it interrupted). lr_adjust: the ARM ARM's LR offset for the kind (B1.8.3). */
.macro exception_vector name, kind, lr_adjust
vector_\name:
    .if \lr_adjust
    sub lr, lr, #\lr_adjust
    .endif
    stmdb sp, {r0-r3}              @ scratch, below the stack
    mov r1, #\kind
    b exception_entry
.endm

    exception_vector reset, 0, 0
    exception_vector undefined, 1, 4
    exception_vector supervisor_call, 2, 0
    exception_vector prefetch_abort, 3, 4
    exception_vector data_abort, 4, 8
    exception_vector unused, 5, 0
    exception_vector irq, 6, 4
    exception_vector fiq, 7, 4

exception_entry:                   @ r1 = kind, lr = the frame's pc; r0-r3 at sp - 16
    ldr r0, =BOARD_COUNTER
    ldr r3, [r0]                   @ the counter, now
    mrs r2, spsr
    tst r2, #0xf                   @ M[3:0] = 0: User mode
    bne monitor_entry
    ldr r0, =trap_entered
    str r3, [r0]
    ldr r0, [r0, #TRAP_GUEST_FRAME]
    str lr, [r0, #FRAME_PC]
    str r2, [r0, #FRAME_CPSR]
    add r3, r0, #16
    stmia r3, {r4-r12}
    add r3, r0, #FRAME_SP_USR
    stmia r3, {sp, lr}^
    ARM_USER_BANK_GAP
    ldmdb sp, {r3-r6}              @ the guest's r0-r3
    stmia r0, {r3-r6}
    cmp r1, #1
    beq undefined_shortcut
    .global trap_call
trap_call:                         @ r0 = the partition's frame, r1 = kind, r2 = the word (undefined)
    bl handle_partition_trap
    b exception_exit

/* Shortcuts: the most frequent undefined-instruction traps of a guest's privileged modes in ARM
 * state, carried out here without the C++, as they change nothing but a register or the virtual
 * CPSR's masks (docs/architecture.md, "The shortcuts"). Anything else, or any doubt, takes the
 * general way (trap_call) with the word fetched (r2; 0 in Thumb state, or when the fetch faults,
 * which fix_up_guest_access turns into the general way too), nothing changed yet. r4-r12 are
 * free: the frame holds the guest's.
 *  - An MRC of CP15 that repeats the last privileged read of a plain register
 *    (core::Cp15_shortcut, set by Virtual_cp15::move).
 *  - A rewritten MRS Rd, CPSR; MSR CPSR_c, Rm that keeps the mode; CPSID and CPSIE without a
 *    mode (ARMv6 and later): the IRQ save and restore of an OS; MRS Rd, SPSR and MSR
 *    SPSR_fsxc, Rm in FIQ, IRQ or SVC mode, and MOVS pc, lr / SUBS pc, lr, #imm8 between IRQ
 *    and SVC mode: an exception handler's (these trap by themselves, or come rewritten). The UDF's index and address are
 *    checked as Rewrite_table::original does, on the page of the last rewritten instruction
 *    (Partition::code_virtual); an unmasking only while the controller's outputs are known to
 *    be none (Virtual_board::outputs_known_offset), else the general way delivers. */
undefined_shortcut:                @ r0 = the partition's frame (its vCPU), r2 = SPSR, lr = the instruction
    tst r2, #PSR_T
    mov r2, #0
    bne trap_call
    .global shortcut_fetch
shortcut_fetch:
    ldrt r2, [lr]
    ldr r3, [r0, #VCPU_CPSR]
    tst r3, #0xf                   @ M[3:0] = 0: virtual User mode
    beq trap_call
    ldr r4, [r0, #VCPU_SHORTCUT]
    cmp r4, r2
    bne rewritten
    ldr r4, [r0, #VCPU_SHORTCUT + 4]
    ldr r4, [r4]
    lsr r5, r2, #12
    and r5, r5, #15                @ Rt: never pc (r13 and r14 are the frame's User sp and lr)
set_register:                      @ r4 = the value, r5 = the register
    str r4, [r0, r5, lsl #2]
next_instruction:
    add lr, lr, #4
resume_at:                         @ lr = where the partition goes on
    str lr, [r0, #FRAME_PC]
    ldr r2, =trap_entered
    ldr r3, [r2, #TRAP_TRAPS]      @ handle_partition_trap counts the others
    add r3, r3, #1
    str r3, [r2, #TRAP_TRAPS]
    b trap_time_taken

rewritten:                         @ r2 = the word, r3 = the virtual CPSR (a privileged mode)
    ldr r5, =0xfff000f0
    and r4, r2, r5
    eor r4, r4, r5
    cmp r4, #0x18000000            @ 1110 0111 1111 .... .... .... 1111 ....: UDF (core/rewrite.hpp)
    bne trapped_itself             @ else it trapped itself: not MRS, MSR CPSR or CPS (User mode
                                   @ runs those), perhaps MRS or MSR of the SPSR, a MOVS pc, lr
    lsl r4, r2, #12
    lsr r4, r4, #20
    and r5, r2, #15
    orr r4, r5, r4, lsl #4         @ its index
    add r5, r0, #VCPU_REWRITES
    ldmia r5, {r5-r8}              @ entries, count, code_virtual, code_physical
    cmp r4, r6
    bhs trap_call
    sub r7, lr, r7
    cmp r7, #0x1000
    bhs trap_call                  @ not on the page of the last one
    add r8, r8, r7                 @ the instruction's guest-physical address
    add r5, r5, r4, lsl #3
    ldmia r5, {r5, r6}             @ the entry: address, original
    cmp r5, r8
    bne trap_call
original:                          @ r6 = the instruction
    ldr r7, =0xe121f000
    bic r4, r6, #15
    cmp r4, r7                     @ MSR CPSR_c, Rm (A8.8.112), AL: the masks, the mode kept
    bne move_from_status
    and r5, r6, #15
    ldr r4, [r0, r5, lsl #2]       @ Rm (pc, the instruction's address, names no mode)
    eor r5, r4, r3
    tst r5, #0x1f
    bne trap_call                  @ a mode change banks registers: the general way
    and r4, r4, #(PSR_I | PSR_F)
    bic r5, r3, r4                 @ the masks it clears
    bic r6, r3, #(PSR_I | PSR_F)
    orr r4, r6, r4
set_masks:                         @ r4 = the new virtual CPSR, r5: the bits it clears
    tst r5, #(PSR_I | PSR_F)
    ldrbne r5, [r0, #BOARD_OUTPUTS_KNOWN]
    cmpne r5, #1                   @ 1 + none: nothing to deliver
    bne trap_call
    str r4, [r0, #VCPU_CPSR]
    b next_instruction
move_from_status:
    bic r4, r6, #0xf000
    eor r4, r4, #0xe1000000
    teq r4, #0x000f0000            @ MRS Rd, CPSR (A8.8.109), AL
#if ARM_HAS_CPS
    bne change_processor_state     @ (before the SPSR's: the IRQ save/restore first)
#else
    bne saved_status
#endif
    lsr r5, r6, #12
    and r5, r5, #15
    cmp r5, #15
    beq trap_call
    ldr r6, [r0, #FRAME_CPSR]
    ldr r7, =(LIVE_READ | PSR_EXECUTION_STATE)
    and r6, r6, r7                 @ the live bits (Vcpu::live_bits), none of the execution
    bic r4, r3, r7                 @ state's in ARM state; the virtual CPSR's are stale
    orr r4, r4, r6
    b set_register
trapped_itself:                    @ r2 = the instruction
    tst r2, #0x0c000000            @ bits 27-26 00: what follows may be it; a coprocessor
    bne trap_call                  @ instruction or an LDM ^ goes the general way at once
    mov r6, r2
    bic r4, r6, #0xf000
    eor r4, r4, #0xe1000000
saved_status:                      @ MRS Rd, SPSR and MSR SPSR_fsxc, Rm, in FIQ, IRQ or SVC mode
    teq r4, #0x004f0000            @ MRS Rd, SPSR (B9.3.9), AL
    bicne r5, r4, #0xf
    teqne r5, #0x006f0000          @ MSR SPSR_fsxc, Rm (B9.3.12), AL, but for bits 15-12
    bne exception_return
    and r7, r3, #0xf
    cmp r7, #3                     @ FIQ, IRQ, SVC: the bank numbered M[3:0] (Vcpu::spsr_offset)
    bhi trap_call
    add r7, r7, r7, lsl #1
    add r7, r0, r7, lsl #2         @ 12 bytes a bank
    ldr r8, [r7, #VCPU_SPSR]
    tst r6, #0x00200000
    bne move_to_spsr
    lsr r5, r6, #12
    and r5, r5, #15
    cmp r5, #15
    beq trap_call
    mov r4, r8
    b set_register
move_to_spsr:                      @ r6 = the MSR, r7 + VCPU_SPSR its SPSR, r8 the SPSR's value
    mvn r5, r6
    tst r5, #0xf000                @ bits 15-12 of MSR (register) are 1111
    bne trap_call
    and r5, r6, #15
    cmp r5, #15                    @ Rm = pc: the general way
    beq trap_call
    ldr r4, [r0, r5, lsl #2]       @ Rm
    ldr r5, =psr_implemented
    ldr r5, [r5]                   @ every field, but no bit the core lacks (Vcpu::implemented)
    bic r8, r8, r5
    and r4, r4, r5
    orr r8, r8, r4
    str r8, [r7, #VCPU_SPSR]
    b next_instruction
exception_return:                  @ MOVS pc, lr and SUBS pc, lr, #imm8 between IRQ and SVC mode
    bic r4, r6, #0xff
    ldr r7, =0xe25ef000
    cmp r4, r7                     @ SUBS pc, lr, #imm8 (B9.3.20), AL, not rotated
    andeq r4, r6, #0xff
    beq 1f
    ldr r7, =0xe1b0f00e
    cmp r6, r7                     @ MOVS pc, lr
    bne trap_call
    mov r4, #0
1:  and r7, r3, #0x1f
    add r7, r7, r7, lsl #1
    add r7, r0, r7, lsl #2         @ r7 + VCPU_SPSR - 192: the bank's SPSR (M[4] is 16 banks on)
    ldr r8, [r7, #VCPU_SPSR - 192] @ the new CPSR
    and r9, r8, #0x1f
    and r5, r3, #0x1f
    sub r5, r5, #PSR_MODE_IRQ
    sub r10, r9, #PSR_MODE_IRQ
    orr r5, r5, r10
    cmp r5, #1                     @ from and to IRQ or SVC: privileged, the same shadow table
    bhi trap_call                  @ (FIQ's bank holds r8-r12 too: the general way)
    bic r5, r3, r8                 @ the masks it clears
    tst r5, #(PSR_I | PSR_F)
    ldrbne r5, [r0, #BOARD_OUTPUTS_KNOWN]
    cmpne r5, #1                   @ 1 + none: nothing to deliver
    bne trap_call
    ldr r5, [r0, #FRAME_LR_USR]    @ the mode's lr (the frame holds the current mode's sp and lr)
    sub lr, r5, r4
    eor r5, r3, r8
    tst r5, #0x1f
    beq 2f                         @ the same mode: the same bank
    add r10, r0, #FRAME_SP_USR
    ldmia r10, {r11, r12}
    sub r7, r7, #192 + 8 - VCPU_SPSR
    stmia r7, {r11, r12}           @ the bank's sp and lr, kept
    add r9, r9, r9, lsl #1
    add r9, r0, r9, lsl #2
    sub r9, r9, #192 + 8 - VCPU_SPSR
    ldmia r9, {r11, r12}           @ the new mode's, taken
    stmia r10, {r11, r12}
2:  str r8, [r0, #VCPU_CPSR]
    ldr r5, =(LIVE_READ | PSR_EXECUTION_STATE)
    and r5, r8, r5
    orr r5, r5, #(PSR_MODE_USR | PSR_F)
    str r5, [r0, #FRAME_CPSR]      @ the live bits run (Vcpu::live_bits; schedule.cpp's resume)
    tst r8, #PSR_T
    biceq lr, lr, #3
    bicne lr, lr, #1               @ Vcpu::return_from_exception
    b resume_at
#if ARM_HAS_CPS
change_processor_state:            @ CPSID and CPSIE (B6.1.1) without a mode change
    bic r7, r6, #0x000c0000
    bic r7, r7, #0x1c0
    teq r7, #0xf1000000
    bne saved_status
    tst r6, #0x00080000            @ imod 1x: enable or disable
    beq trap_call
    and r5, r6, #0x1c0             @ A, I, F where the CPSR holds them
    tst r6, #0x00040000
    orrne r4, r3, r5               @ CPSID: set, clearing nothing
    movne r5, #0
    biceq r4, r3, r5               @ CPSIE: clear
    b set_masks
#endif

monitor_entry:                     @ r1 = kind, r2 = SPSR, r3 = the counter
    sub sp, sp, #FRAME_SIZE
    add r0, sp, #16
    stmia r0, {r4-r12}
    add r0, sp, #FRAME_SIZE - 16
    ldmia r0, {r4-r7}              @ r0-r3 as interrupted (the slots they come from follow)
    stmia sp, {r4-r7}
    str lr, [sp, #FRAME_PC]
    str r2, [sp, #FRAME_CPSR]
    add r0, sp, #FRAME_SP_USR
    stmia r0, {sp, lr}^
    ARM_USER_BANK_GAP
    cmp r1, #6                     @ an IRQ, taken only in the idle loop: a trap of its own
    ldreq r0, =trap_entered
    streq r3, [r0]
    mov r0, sp
    bl handle_exception
    add sp, sp, #FRAME_SIZE        @ the frame stays readable below: nothing runs until the return
    sub r1, sp, #FRAME_SIZE
    cmp r0, r1
    beq restore                    @ back into the monitor's own trap: not the end of one
exception_exit:                    @ r0 = the frame to resume
    ldr r2, =trap_entered
trap_time_taken:
    ldmia r2, {r3, r12, lr}        @ trap_entered, monitor_ticks, trap_overhead
    ldr r1, =BOARD_COUNTER
    ldr r1, [r1]                   @ the counter, now
    sub r1, r1, r3
    add r12, r12, r1, lsl #4       @ in sixteenths of a tick
    add r12, r12, lr               @ and the instructions the two reads leave out
    str r12, [r2, #4]
restore:
    ldr r1, [r0, #FRAME_CPSR]
    msr spsr_cxsf, r1
    ldr lr, [r0, #FRAME_PC]
    add r1, r0, #FRAME_SP_USR
    ldmia r1, {sp, lr}^
    ARM_USER_BANK_GAP
    ldmia r0, {r0-r12}
    movs pc, lr
    .ltorg

/* The monitor's time (exception.hpp), in a row for exception_exit's LDM; cleared with .bss. */
    .section .trap_time, "aw", %nobits
    .balign 4
    .global trap_entered, monitor_ticks, trap_overhead, guest_frame, traps
trap_entered:  .space 4
monitor_ticks: .space 4
trap_overhead: .space 4
guest_frame:   .space 4            @ the current partition's vCPU (TRAP_GUEST_FRAME)
traps:         .space 4            @ the status line's count of partition traps (TRAP_TRAPS)

/* The seal (monitor.ld): read-only, loaded with the code, stamped after the link. */
    .section .seal, "a"
    .balign 4
    .word 0

/* Written before .bss is cleared, and not loaded: .data is sealed (tools/seal-monitor) and
 * checked after the boot code has run. */
    .section .noinit, "aw", %nobits
    .balign 4
    .global boot_sctlr, psr_implemented
boot_sctlr: .space 4
psr_implemented: .space 4

/* ---- stacks: one per exception mode, in .stacks (not loaded, not cleared) ---- */
.macro mode_stack name, bytes
    .balign 8
stack_\name\()_bottom:
    .space \bytes
stack_\name\()_top:
.endm
    .section .stacks, "aw", %nobits
    mode_stack svc, 4096
    mode_stack irq, 1024
    mode_stack abt, 1024
    mode_stack und, 1024
    mode_stack fiq, 512

/* ---- the monitor's own translation tables (not loaded, not cleared: the boot code
 * fills monitor_l1 before .bss exists; mmu.cpp fills monitor_l2) ---- */
    .section .pagetables, "aw", %nobits
    .balign 16384
    .global monitor_l1
monitor_l1:
    .space 16384
    .balign 1024
    .global monitor_l2
monitor_l2:
    .space 1024
