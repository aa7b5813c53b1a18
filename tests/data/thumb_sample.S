/* Input for the rewriter tests: Thumb code, which it refuses for now. */
    .syntax unified
    .arch armv7-a
    .text
    .global _start
    .arm
_start:
    blx thumb_part
    .thumb
thumb_part:
    mrs r0, apsr
    b .
