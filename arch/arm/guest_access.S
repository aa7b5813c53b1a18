/* Guest memory as the guest sees it: LDRT/STRT through the running partition's shadow tables,
 * so the monitor reaches exactly what the guest may reach. A fault does not kill the monitor:
 * the data-abort path (fix_up_guest_access) sees the faulting pc, makes the call return 0 and
 * leaves the fault in DFSR/DFAR for the caller.
 *
 *   bool guest_load_word(uint32_t address, uint32_t* value)
 *   bool guest_store_word(uint32_t address, uint32_t value)
 *
 * Thumb-2 where the core has it (ARMv7: ACLE's __ARM_ARCH_ISA_THUMB 2), as the monitor's C++
 * there: the same instructions in fewer bytes (a data abort's LR is the instruction + 8 in either
 * state, so the fix-up's pcs are these labels' addresses alike). ARM code on ARMv5 and ARMv6,
 * whose Thumb has no LDRT. */
    .syntax unified
#if __ARM_ARCH_ISA_THUMB >= 2
    .thumb
#else
    .arm
#endif
    .text
    .global guest_load_word, guest_store_word, guest_load_access, guest_store_access, guest_access_failed
    .type guest_load_word, %function   @ typed: callers in the other state reach them through BLX
    .type guest_store_word, %function
guest_load_word:
    mov r2, r0
    movs r0, #1                    @ (flag-setting: Thumb-2's short form)
guest_load_access:
    ldrt r3, [r2]
    str r3, [r1]
    bx lr
guest_store_word:
    mov r2, r0
    movs r0, #1
guest_store_access:
    strt r1, [r2]
    bx lr
guest_access_failed:               @ where a faulting access resumes, with r0 = 0
    movs r0, #0
    bx lr
