/* A demo partition's entry: a stack, a cleared .bss, then main. Nothing privileged: the
 * demo guests are plain programs that only print (guests/demo/main.c). */
    .syntax unified
    .arm
    .section .text.start, "ax"
    .global _start
_start:
    ldr sp, =stack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    bl main
2:  b 2b

    .section .stacks, "aw", %nobits
    .balign 8
    .space 2048
stack_top:
