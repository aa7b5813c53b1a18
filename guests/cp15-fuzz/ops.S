/* The registers cp15-fuzz writes (main.c): each op writes r0 to one register and returns what
 * it reads back. Only registers whose contents matter to nothing while the MMU, the caches'
 * lockdown and the FCSE are left alone: translation table bases and control, domains, fault
 * status and address registers, thread and context IDs, the coprocessor access control and
 * (ARMv7) the memory remap and vector base registers. */
    .syntax unified
    .arm
    .text
    .global cp15_op_count, cp15_ops

.macro op name, opc1, crn, crm, opc2
op_\name:
    mcr p15, \opc1, r0, \crn, \crm, \opc2
    mrc p15, \opc1, r0, \crn, \crm, \opc2
    bx lr
.endm

cp15_ops:
    .word op_ttbr0, op_dacr, op_dfsr, op_ifsr, op_dfar
#if __ARM_ARCH >= 6
    .word op_ttbr1, op_ttbcr, op_ifar, op_contextidr, op_tpidrurw, op_tpidruro, op_tpidrprw, op_cpacr
#endif
#if __ARM_ARCH >= 7
    .word op_prrr, op_nmrr, op_vbar
#endif
cp15_op_count:
    .word (cp15_op_count - cp15_ops) / 4

    op ttbr0, 0, c2, c0, 0
    op dacr, 0, c3, c0, 0
    op dfsr, 0, c5, c0, 0
    op ifsr, 0, c5, c0, 1
    op dfar, 0, c6, c0, 0
#if __ARM_ARCH >= 6
    op ttbr1, 0, c2, c0, 1
    op ttbcr, 0, c2, c0, 2
    op ifar, 0, c6, c0, 2
    op contextidr, 0, c13, c0, 1
    op tpidrurw, 0, c13, c0, 2
    op tpidruro, 0, c13, c0, 3
    op tpidrprw, 0, c13, c0, 4
    op cpacr, 0, c1, c0, 2
#endif
#if __ARM_ARCH >= 7
    op prrr, 0, c10, c2, 0
    op nmrr, 0, c10, c2, 1
    op vbar, 0, c12, c0, 0
#endif
