/* Input for the rewriter tests: Thumb code with nothing sensitive in it (as libgcc's
 * division helpers on ARMv7), which runs as it is; the ARM part still gets rewritten. */
    .syntax unified
    .arch armv7-a
    .text
    .global _start
    .arm
_start:
    mrs r0, cpsr              @ rewrite 0
    blx thumb_part
    b .
    .thumb
    .thumb_func
thumb_part:
    adds r0, r0, #1
    mov.w r1, #0x100          @ a 32-bit Thumb-2 instruction
    mul.w r0, r0, r1          @ another 32-bit one
    nop
    bx lr
