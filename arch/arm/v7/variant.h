/* ARMv7-A (Cortex-A9): constants for entry.S and C++. */
#ifndef CELLVISOR_ARM_VARIANT_H
#define CELLVISOR_ARM_VARIANT_H
#define ARM_SCTLR_BOOT_SET 0x00c01005   /* M, C, I; U and XP are RES1 */
#define ARM_SCTLR_BOOT_CLEAR 0x30002302 /* A, V, TRE, AFE (S and R are RAZ) */
#define ARM_PROBED_COUNT 2              /* CP15 registers boot.S probes: variant.hpp */
#define ARM_BOOT_SECTION 0x0000040e     /* v6::section(0, Mapping::boot) */
#define ARM_ISB(zero_register) isb
#define ARM_USER_BANK_GAP     /* (ARMv4/v5's NOP after LDM/STM ^ not needed) */
#define ARM_TRAP_UNCOUNTED 18 /* a trap's instructions outside entry.S's counter reads */
#define ARM_HAS_CPS 1         /* CPS (entry.S's shortcut) */
#endif
