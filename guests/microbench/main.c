/* Micro-benchmarks of the monitor's costs, one loop per build, forever (tools/hv bench reads
 * the monitor's status line beside them: its time per event, counted under -icount):
 *   bench-trap   a privileged instruction that traps (a CP15 read of SCTLR), in a loop;
 *   bench-mmio   a read of an emulated device register (its SP804's timer 1 value), in a loop;
 *   bench-irq    its SP804 timer 0 interrupts every BENCH_IRQ_US microseconds; the handler
 *                acknowledges the controller, clears the timer and ends the interrupt;
 *   bench-spin   spins (two of them, at one priority and a short slice, measure switches).
 * Natively they only loop. */
#include <stdint.h>

#include "console.h"

#if BENCH_IRQ_US
#include "interrupts.h"
#include "sp804.h"

void irq_handler(void)
{
    const int line = irq_acknowledge();
    sp804_clear(0);
    if (line >= 0) irq_end(line);
}
#elif BENCH_MMIO
#include "sp804.h"
#endif

int main(void)
{
    print(GUEST_NAME ": running\n");
#if BENCH_IRQ_US
    irq_controller_init();
    irq_enable_line(sp804_line(0));
    sp804_start_periodic(0, BENCH_IRQ_US);
    irq_unmask();
    for (;;) {}
#elif BENCH_MMIO
    sp804_start_free_running(1);
    for (;;) (void)sp804_value(1);
#elif BENCH_TRAP
    for (;;) {
        uint32_t sctlr;
        __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    }
#else
    for (;;) {}
#endif
}
