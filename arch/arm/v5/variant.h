/* ARMv5 (ARM926EJ-S): constants for entry.S and C++. */
#ifndef CELLVISOR_ARM_VARIANT_H
#define CELLVISOR_ARM_VARIANT_H
#define ARM_SCTLR_BOOT_SET 0x00001005   /* M, C, I */
#define ARM_SCTLR_BOOT_CLEAR 0x00002302 /* A, S, R, V: no alignment faults, no legacy protection */
#define ARM_PROBED_COUNT 0              /* CP15 registers boot.S probes: variant.hpp */
#define ARM_BOOT_SECTION 0x0000041e     /* v5::section(0, Mapping::boot) */
/* No instruction barrier on ARMv5: the identity mapping covers the prefetched instructions. */
#define ARM_ISB(zero_register)
#define ARM_USER_BANK_GAP nop /* no banked register right after LDM/STM ^ (A4.1.22, A4.1.97) */
#define ARM_TRAP_UNCOUNTED 19 /* a trap's instructions outside entry.S's counter reads */
#define ARM_HAS_CPS 0         /* CPS (entry.S's shortcut) */
#endif
