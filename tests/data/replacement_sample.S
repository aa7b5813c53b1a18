/* Another guest for the image tool's tests: the one that replaces a partition's image. Code
 * with one sensitive instruction, then initialised data and bss in a segment of their own, so
 * that it differs from rewrite_sample in its segments, its entry and its rewrite table. */
    .syntax unified
    .arch armv5te
    .arm
    .text
    .word 0                   @ the entry is not the first word
    .global _start
_start:
    mrs r0, cpsr              @ rewrite 0
    ldr r1, =table
    b .
    .ltorg

    .data
table:
    .word 1, 2, 3, 4

    .bss
buffer:
    .space 0x4000
