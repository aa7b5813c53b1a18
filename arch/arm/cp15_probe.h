/* What the core keeps of a CP15 write, and its value out of reset: probed once at boot with the
 * MMU off, before the monitor changes anything, for the guests' virtual CP15 (core/cp15.hpp,
 * Cp15_ids::reset and ::fixed), so a guest reads what it would read on this core natively — in
 * QEMU and on the silicon of a board alike — rather than what a table of constants assumes.
 *
 * cp15_probe stores, at r0 (advanced), the register's value as found and the bits that differ
 * between writing all ones and writing zero, then puts the value back. Writing all ones is
 * harmless there and then: the MMU, caches and interrupts are off. The registers each
 * architecture probes, in order, are its variant.hpp's probed_fields. Clobbers r1-r3. */
.macro cp15_probe opc1, crn, crm, opc2 mrc p15, \opc1, r1, \crn, \crm, \opc2 mvn r2, #0 mcr p15, \opc1,
    r2, \crn, \crm, \opc2 mrc p15, \opc1, r2, \crn, \crm, \opc2 mov r3, #0 mcr p15, \opc1,
    r3, \crn, \crm, \opc2 mrc p15, \opc1, r3, \crn, \crm, \opc2 mcr p15, \opc1, r1, \crn, \crm, \opc2 bic r2,
    r2, r3 stmia r0 !,
    {r1, r2}
        .endm

        /* Where the results stay until the partitions are loaded: not loaded, not cleared. */
        .macro cp15_probe_results count.section.stacks,
    "aw", % nobits.balign 4.global cp15_probed cp15_probed :.space 8 * \count.previous.endm
