/* The accesses mmio-fuzz draws from (main.c): r0 and r1 random values, r2 the sixteen-word
 * block, r3 an index 0-11 (every access below stays within the block); each returns in r0
 * what it read back, folded with any write-back's distance. r4-r11 kept. */
    .syntax unified
    .arm
    .text
    .global mmio_op_count, mmio_ops

mmio_ops:
    .word op_scaled, op_pre_writeback, op_post, op_subtracted, op_immediate, op_dual, op_dual_post
    .word op_stm_ia, op_stm_db_writeback, op_ldm_ib, op_ldm_da_writeback, op_conditional, op_block, op_rrx
mmio_op_count:
    .word (mmio_op_count - mmio_ops) / 4

op_scaled:                         @ [rn, rm, lsl #2]
    str r0, [r2, r3, lsl #2]
    eor r1, r1, r0
    ldr r0, [r2, r3, lsl #2]
    bx lr

op_pre_writeback:                  @ [rn, #8]! and [rn, rm]
    mov r12, r2
    str r0, [r2, #8]!
    lsl r3, r3, #2
    ldr r0, [r2, r3]
    sub r12, r2, r12
    eor r0, r0, r12, lsl #24
    bx lr

op_post:                           @ [rn], #4 and [rn], -rm
    mov r12, r2
    add r2, r2, r3, lsl #2
    str r0, [r2], #4
    str r1, [r2], #4
    mov r3, #8
    ldr r0, [r2], -r3
    ldr r1, [r2]
    eor r0, r0, r1
    sub r12, r2, r12
    eor r0, r0, r12, lsl #24
    bx lr

op_subtracted:                     @ [rn, -rm, lsl #2] and [rn, #-4]
    add r2, r2, #60
    str r0, [r2, -r3, lsl #2]
    str r1, [r2, #-4]
    ldr r0, [r2, -r3, lsl #2]
    ldr r1, [r2, #-4]
    eor r0, r0, r1, ror #7
    bx lr

op_immediate:                      @ every word by immediate offsets
    str r0, [r2, #0]
    str r1, [r2, #20]
    str r0, [r2, #44]
    ldr r3, [r2, #20]
    ldr r0, [r2, #0]
    eor r0, r0, r3
    bx lr

op_dual:                           @ STRD, LDRD [rn, #imm], [rn, rm]
    push {r4, r5}
    mov r4, r0
    mov r5, r1
    bic r3, r3, #1
    lsl r3, r3, #2
    strd r4, r5, [r2, r3]
    ldrd r0, r1, [r2, #16]
    eor r0, r0, r1
    ldrd r4, r5, [r2, r3]
    eor r0, r0, r4
    eor r0, r0, r5, ror #3
    pop {r4, r5}
    bx lr

op_dual_post:                      @ STRD [rn], #8; LDRD [rn, #-8]!
    push {r4, r5}
    mov r4, r1
    mov r5, r0
    mov r12, r2
    strd r4, r5, [r2], #8
    ldrd r0, r1, [r2, #-8]!
    sub r12, r2, r12
    eor r0, r0, r1
    eor r0, r0, r12, lsl #24
    pop {r4, r5}
    bx lr

op_stm_ia:
    push {r4-r7}
    mov r4, r0
    eor r5, r0, r1
    add r6, r0, r1
    sub r7, r0, r1
    add r12, r2, r3, lsl #2
    stmia r12, {r4-r7}
    ldmia r12, {r0, r1, r2, r3}
    eor r0, r0, r1
    eor r0, r0, r2, ror #8
    eor r0, r0, r3, ror #16
    pop {r4-r7}
    bx lr

op_stm_db_writeback:
    push {r4-r6}
    mov r4, r1
    mvn r5, r0
    mvn r6, r1
    add r12, r2, #64
    sub r12, r12, r3, lsl #2
    stmdb r12!, {r0, r4-r6}
    sub r12, r12, r2
    ldr r0, [r2, r12]
    eor r0, r0, r12, lsl #24
    pop {r4-r6}
    bx lr

op_ldm_ib:
    push {r4-r7}
    add r12, r2, r3, lsl #2
    ldmib r12, {r4-r7}
    eor r0, r4, r5
    eor r0, r0, r6, ror #4
    eor r0, r0, r7, ror #8
    pop {r4-r7}
    bx lr

op_ldm_da_writeback:
    push {r4-r5}
    add r12, r2, #60
    sub r12, r12, r3, lsl #2
    ldmda r12!, {r0, r1, r4, r5}
    eor r0, r0, r1
    eor r0, r0, r4, ror #5
    eor r0, r0, r5, ror #9
    sub r12, r12, r2
    eor r0, r0, r12, lsl #24
    pop {r4-r5}
    bx lr

op_conditional:                    @ on Z as r1's bit 0 sets it: one store of the two lands
    mrs r12, cpsr
    bic r12, r12, #0x40000000
    tst r1, #1
    orrne r12, r12, #0x40000000
    msr cpsr_f, r12
    streq r0, [r2, r3, lsl #2]
    strne r1, [r2, r3, lsl #2]
    ldrne r0, [r2, #4]
    ldreq r0, [r2, #8]
    bx lr

op_block:                          @ all sixteen words at once
    push {r4-r11}
    mov r4, r0
    mov r5, r1
    eor r6, r0, r1
    add r7, r0, r1
    sub r8, r0, r1
    mvn r9, r0
    mvn r10, r1
    ror r11, r0, #13
    mov r12, r2
    stmia r12!, {r0, r1, r3-r11}
    stmia r12, {r0, r1, r4-r6}
    ldmia r2, {r0, r1, r3-r11}
    eor r0, r0, r11
    eor r0, r0, r3, ror #3
    pop {r4-r11}
    bx lr

op_rrx:                            @ [rn, rm, rrx]: the carry flag, as r1's bit 0 sets it, shifted in
    mrs r12, cpsr
    bic r12, r12, #0x20000000
    tst r1, #1
    orrne r12, r12, #0x20000000
    msr cpsr_f, r12
    mov r12, r2
    subcs r12, r12, #0x80000000    @ so that the carry's 0x80000000 lands in the block
    lsl r3, r3, #3
    str r0, [r12, r3, rrx]
    ldr r0, [r12, r3, rrx]!        @ and the base moved by it
    sub r12, r12, r2
    eor r0, r0, r12, ror #16
    bx lr
