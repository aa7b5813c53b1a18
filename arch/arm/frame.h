/* Layout of the exception frame saved by entry.S: shared by the assembly and C++
 * (exception.hpp checks every offset with static_assert). */
#ifndef CELLVISOR_ARCH_ARM_FRAME_H
#define CELLVISOR_ARCH_ARM_FRAME_H

#define FRAME_R0 0      /* r0-r12 */
#define FRAME_SP_USR 52 /* the USR/SYS bank's sp and lr */
#define FRAME_LR_USR 56
#define FRAME_PC 60   /* where the exception was taken (see Exception_frame) */
#define FRAME_CPSR 64 /* the interrupted CPSR, from the exception mode's SPSR */
#define FRAME_SIZE 72 /* 68 bytes padded to keep the stack 8-byte aligned (AAPCS) */

/* A partition's frame is its vCPU (core::Vcpu), inside its Partition (state.hpp): what the
 * undefined-instruction shortcut reads beyond the frame, from the frame's address. */
#define VCPU_CPSR 72      /* the virtual CPSR */
#define VCPU_SPSR 84      /* the SPSR of bank 0 (none: USR's), 12 bytes a bank: FIQ, IRQ, SVC by M[3:0] */
#define VCPU_SHORTCUT 216 /* the core::Cp15_shortcut of the partition's Virtual_cp15 */
#define VCPU_REWRITES 844 /* its rewrite table (entries, count), then the code page (virtual, physical) */
#define PSR_T 0x20

/* entry.S's row of the monitor's time (exception.hpp), from trap_entered. */
#define TRAP_GUEST_FRAME 12
#define TRAP_TRAPS 16
#define PSR_EXECUTION_STATE 0x0700fc20 /* J, IT, T */
#define LIVE_READ 0xf80f0200           /* the live bits MRS reads: N Z C V Q, GE, E (Vcpu::live_bits) */

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
