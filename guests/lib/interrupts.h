/* The small guests' interrupts, taken with the board's own hardware: its interrupt controller
 * (vic.c: versatilepb's PL190 VIC; gic.c: vexpress-a9's GIC; the build picks one), the CPU's
 * IRQ mask and its wait for interrupt. add_guest(NAME INTERRUPTS ...) links them with
 * vectors.S, whose IRQ entry calls the guest's irq_handler(). A line is the VIC's line (0-31)
 * or the GIC's interrupt ID. */
#ifndef GUEST_INTERRUPTS_H
#define GUEST_INTERRUPTS_H
#include <stdint.h>

/* The guest's own: runs in IRQ mode with IRQs masked, once per IRQ exception. */
void irq_handler(void);

/* vectors.S, for any other exception: prints a FAIL line and stops. */
void unexpected_exception(uint32_t vector, uint32_t lr) __attribute__((noreturn));

/* The controller: every line disabled and routed to IRQ; GIC: distributor and CPU interface on. */
void irq_controller_init(void);
void irq_enable_line(unsigned line);
void irq_disable_line(unsigned line);
/* The pending line to serve (VIC: the lowest-numbered; GIC: the ID the IAR gives), or -1 if
 * none is (a spurious interrupt). */
int irq_acknowledge(void);
/* Whether the controller shows `line` pending (VIC: VICIRQStatus; GIC: GICD_ISPENDRn). */
int irq_line_pending(unsigned line);
/* After serving `line` (GIC: EOIR; the VIC needs nothing when its vectors are not used). */
void irq_end(int line);

/* CPSR.I. ARMv5 has no CPS. */
static inline void irq_unmask(void)
{
#if __ARM_ARCH >= 6
    __asm__ volatile("cpsie i" ::: "memory");
#else
    uint32_t cpsr;
    __asm__ volatile("mrs %0, cpsr\n\tbic %0, %0, #0x80\n\tmsr cpsr_c, %0" : "=r"(cpsr)::"memory");
#endif
}

static inline void irq_mask(void)
{
#if __ARM_ARCH >= 6
    __asm__ volatile("cpsid i" ::: "memory");
#else
    uint32_t cpsr;
    __asm__ volatile("mrs %0, cpsr\n\torr %0, %0, #0x80\n\tmsr cpsr_c, %0" : "=r"(cpsr)::"memory");
#endif
}

/* Sleeps until an interrupt is pending, masked or not. Before ARMv7 the CP15 operation (the
 * ARM926's and ARM1176's own); ARMv7 has WFI. */
static inline void wait_for_interrupt(void)
{
#if __ARM_ARCH >= 7
    __asm__ volatile("wfi" ::: "memory");
#else
    __asm__ volatile("mcr p15, 0, %0, c7, c0, 4" ::"r"(0) : "memory");
#endif
}

#endif
