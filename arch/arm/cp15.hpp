// CP15 and CPSR accessors common to ARMv5, ARMv6 and ARMv7-A.
#pragma once
#include <stdint.h>

/// Coprocessor and PSR-writing instructions have no Thumb-1 encoding: on ARMv5 and ARMv6, where
/// the monitor's C++ is Thumb-1, the functions that issue them are compiled as ARM code.
#if defined(__thumb__) && !defined(__thumb2__)
#define ARM_STATE __attribute__((target("arm"), noinline))
#else
#define ARM_STATE
#endif

namespace arm {

/// A CP15 register named by its encoding (ARM ARM B3.17, "CP15 c0-c15"); %c prints an
/// immediate operand without its '#', so one asm template serves every register.
template <unsigned Opc1, unsigned CRn, unsigned CRm, unsigned Opc2>
struct Cp15_register {
    ARM_STATE static uint32_t read()
    {
        uint32_t value;
        asm volatile("mrc p15, %c1, %0, c%c2, c%c3, %c4"
                     : "=r"(value)
                     : "i"(Opc1), "i"(CRn), "i"(CRm), "i"(Opc2));
        return value;
    }
    ARM_STATE static void write(uint32_t value)
    {
        asm volatile("mcr p15, %c1, %0, c%c2, c%c3, %c4" ::"r"(value), "i"(Opc1), "i"(CRn), "i"(CRm),
                     "i"(Opc2)
                     : "memory");
    }
};

using Midr = Cp15_register<0, 0, 0, 0>;   // Main ID
using Sctlr = Cp15_register<0, 1, 0, 0>;  // System Control
using Dfsr = Cp15_register<0, 5, 0, 0>;   // Data Fault Status
using Ifsr = Cp15_register<0, 5, 0, 1>;   // Instruction Fault Status
using Dfar = Cp15_register<0, 6, 0, 0>;   // Data Fault Address

/// ThumbEE's handler base, TEEHBR (CP14 opc1 6, c1, c0, 0; ARMv7-A ARM A2.10.2): User mode reads
/// and writes it without a trap, so it is each partition's own while it runs.
struct Teehbr {
    ARM_STATE static uint32_t read()
    {
        uint32_t value;
        asm volatile("mrc p14, 6, %0, c1, c0, 0" : "=r"(value));
        return value;
    }
    ARM_STATE static void write(uint32_t value) { asm volatile("mcr p14, 6, %0, c1, c0, 0" ::"r"(value)); }
};

/// Invalidate the unified (or both) TLBs: c8, c7, 0 on all three architectures.
ARM_STATE inline void invalidate_tlb() { asm volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0) : "memory"); }

/// Invalidate the TLB entries of one virtual address: the global ones and, on ARMv6/v7, those of
/// `asid` (c8, c7, 1 on all three architectures).
ARM_STATE inline void invalidate_tlb_entry(uintptr_t address, uint32_t asid = 0)
{
    asm volatile("mcr p15, 0, %0, c8, c7, 1" ::"r"((address & ~0xfffu) | asid) : "memory");
}

/// Clean the data-cache line holding `address` to memory (DCCMVAC; ARMv5 "clean D line by
/// MVA"), so a table walk, which does not look into the data cache, sees the write.
ARM_STATE inline void clean_dcache_line(const volatile void* address)
{
    asm volatile("mcr p15, 0, %0, c7, c10, 1" ::"r"(address) : "memory");
}
inline constexpr uint32_t cache_line = 32;  // ARM926EJ-S, ARM1176 and Cortex-A9 alike

ARM_STATE inline void enable_irq()
{
    uint32_t cpsr;
    asm volatile("mrs %0, cpsr\n\tbic %0, %0, #0x80\n\tmsr cpsr_c, %0" : "=r"(cpsr)::"memory");
}

/// sp and lr of another privileged mode's bank, read by switching into it with IRQ and FIQ
/// masked. lr is clobbered so that neither output is allocated to it.
ARM_STATE inline void read_banked(uint32_t mode, uint32_t& sp, uint32_t& lr)
{
    uint32_t saved;
    asm volatile("mrs %0, cpsr\n\tmsr cpsr_c, %3\n\tmov %1, sp\n\tmov %2, lr\n\tmsr cpsr_c, %0"
                 : "=&r"(saved), "=&r"(sp), "=&r"(lr)
                 : "r"(mode | 0xc0)
                 : "lr", "memory");
}

}  // namespace arm
