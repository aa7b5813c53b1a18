/* Noisy neighbours for the radio's deadline test: partitions that try to take the processor
 * from the ones above them by the means a guest has. Not meant to run natively (they would
 * only spin, or storm QEMU with interrupts).
 *   hostile-traps  masks IRQs, then executes privileged instructions without end: CP15 reads,
 *                  DACR writes (each one drops its shadow translations), CPSR writes; every
 *                  one traps into the monitor.
 *   hostile-flood  makes its SP804 timer 0 expire every microsecond and raises its soft
 *                  interrupt from the handler, IRQs unmasked: an interrupt storm of its own.
 * (The third, masking IRQs and spinning, is guests/spinner.) */
#include <stdint.h>

#include "console.h"

#if HOSTILE_FLOOD
#include "interrupts.h"
#include "sp804.h"

static volatile uint32_t interrupts;

void irq_handler(void)
{
    const int line = irq_acknowledge();
    if (line == (int)sp804_line(0)) sp804_clear(0);
    ++interrupts;
    if (line >= 0) irq_end(line);
}

int main(void)
{
    print(GUEST_NAME ": flooding itself with interrupts\n");
    irq_controller_init();
    irq_enable_line(sp804_line(0));
    sp804_start_periodic(0, 1);
    irq_unmask();
    for (;;) {}
}

#else

int main(void)
{
    print(GUEST_NAME ": trapping without end\n");
    for (uint32_t n = 0;; ++n) {
        uint32_t value, cpsr;
        __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(value));                 // SCTLR
        __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(0x55555555u | (n & 1)));  // DACR
        __asm__ volatile("mrs %0, cpsr\n\t"
                         "orr %0, %0, #0xc0\n\t"
                         "msr cpsr_c, %0"
                         : "=r"(cpsr)::"memory");  // IRQ and FIQ masked, again and again
        (void)value;
    }
}

#endif
