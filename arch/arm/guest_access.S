/* Guest memory as the guest sees it: LDRT/STRT through the running partition's shadow tables,
 * so the monitor reaches exactly what the guest may reach. A fault does not kill the monitor:
 * the data-abort path (fix_up_guest_access) sees the faulting pc, makes the call return 0 and
 * leaves the fault in DFSR/DFAR for the caller.
 *
 *   bool guest_load_word(uint32_t address, uint32_t* value)
 *   bool guest_store_word(uint32_t address, uint32_t value) */
    .syntax unified
    .arm
    .text
    .global guest_load_word, guest_store_word, guest_load_access, guest_store_access, guest_access_failed
    .type guest_load_word, %function   @ typed: Thumb callers reach them through BLX
    .type guest_store_word, %function
guest_load_word:
    mov r2, r0
    mov r0, #1
guest_load_access:
    ldrt r3, [r2]
    str r3, [r1]
    bx lr
guest_store_word:
    mov r2, r0
    mov r0, #1
guest_store_access:
    strt r1, [r2]
    bx lr
guest_access_failed:               @ where a faulting access resumes, with r0 = 0
    mov r0, #0
    bx lr
