/* Shared by the conformance guest's assembly and C++ (main.cpp checks every offset with
 * static_assert): what its exception handlers record, one record per vector. */
#ifndef CONFORMANCE_TRAP_H
#define CONFORMANCE_TRAP_H

#define TRAP_COUNT 0      /* exceptions of this kind taken so far */
#define TRAP_LR 4         /* the handler's lr on entry, before any adjustment */
#define TRAP_SPSR 8       /* the interrupted CPSR */
#define TRAP_CPSR 12      /* the handler's own CPSR on entry */
#define TRAP_FSR 16       /* prefetch abort: IFSR; data abort: DFSR */
#define TRAP_FAR 20       /* data abort: DFAR */
#define TRAP_IMMEDIATE 24 /* SVC: the comment field, read from [lr - 4] */
#define TRAP_SIZE 32      /* a power of two: the handlers index the records with a shift */
#define TRAP_SHIFT 5

/* Vector numbers: trap_records[] is indexed by them. */
#define VECTOR_UNDEFINED 1
#define VECTOR_SUPERVISOR_CALL 2
#define VECTOR_PREFETCH_ABORT 3
#define VECTOR_DATA_ABORT 4
#define VECTOR_IRQ 6
#define VECTOR_COUNT 8

/* SVC comment fields the handler acts on; every other one just returns. */
#define SVC_BACK_TO_SUPERVISOR 0x00c0de /* leave the USR-mode probe (probe_user_mode) */
#define SVC_SRS_RFE 0x00005f            /* ARMv6+: return through srsdb/rfeia */

/* What the SVC handler's SRS path saw (ARMv6+). */
#define SRS_STORED_LR 0
#define SRS_STORED_SPSR 4
#define SRS_SP_AFTER 8
#define SRS_SIZE 12

/* What _start saw on entry, before it touched anything but r1. */
#define ENTRY_R0 0
#define ENTRY_CPSR 4
#define ENTRY_SCTLR 8
#define ENTRY_SIZE 12

#define PSR_MODE_USR 0x10
#define PSR_MODE_FIQ 0x11
#define PSR_MODE_IRQ 0x12
#define PSR_MODE_SVC 0x13
#define PSR_MODE_ABT 0x17
#define PSR_MODE_UND 0x1b
#define PSR_MODE_SYS 0x1f
#define PSR_F 0x40
#define PSR_I 0x80

#endif
