/* Micro-benchmarks of the monitor's costs, one loop per build, forever (tools/hv bench reads
 * the monitor's status line beside them: its time per event, counted under -icount):
 *   bench-trap     a privileged instruction that traps (a CP15 read of SCTLR), in a loop;
 *   bench-mmio     a read of an emulated device register (its SP804's timer 1 value), in a loop;
 *   bench-irq      its SP804 timer 0 interrupts every BENCH_IRQ_US microseconds; the handler
 *                  acknowledges the controller, clears the timer and ends the interrupt;
 *   bench-spin     spins (two of them, at one priority and a short slice, measure switches).
 * Natively they only loop. Two more time their own loops on their SP804's timer 1 (free-running,
 * 1 MHz), BENCH_ROUNDS round trips at a time, and print each batch's time:
 *   bench-irqmask  an OS's IRQ save/restore: `mrs rX, cpsr; cpsid i; msr cpsr_c, rX` (ARMv6+);
 *                  ARMv5 has no CPS: `mrs rX, cpsr; orr rY, rX, #0x80; msr cpsr_c, rY;
 *                  msr cpsr_c, rX` (IRQs unmasked, as an OS's critical section finds them);
 *   bench-syscall  `svc #0`, whose handler reads and writes SPSR and returns with `movs pc, lr`
 *                  (syscall.S: the guest's own vectors);
 * each with the loop's `subs` and `bne`, natively as under the monitor:
 *     bench-syscall: 65536 round trips in N us
 * Under -icount one instruction is one nanosecond: N * 1000 / 65536 instructions a round trip
 * (a batch's two timer reads, each a trap under the monitor, add under a tenth of one). */
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
#elif BENCH_IRQMASK || BENCH_SYSCALL
#include "interrupts.h"
#include "sp804.h"

#define BENCH_ROUNDS 65536u
#define CLOCK_TIMER 1

#if BENCH_IRQMASK
#if __ARM_ARCH >= 6
#define LOOP_NAME "mrs, cpsid i, msr cpsr_c"
#else
#define LOOP_NAME "mrs, orr #0x80, msr cpsr_c, msr cpsr_c"
#endif
static void loop(uint32_t rounds)
{
    uint32_t saved, masked;
    __asm__ volatile("1:\n\t"
                     "mrs %0, cpsr\n\t"
#if __ARM_ARCH >= 6
                     "cpsid i\n\t"
#else
                     "orr %1, %0, #0x80\n\t"
                     "msr cpsr_c, %1\n\t"
#endif
                     "msr cpsr_c, %0\n\t"
                     "subs %2, %2, #1\n\t"
                     "bne 1b"
                     : "=&r"(saved), "=&r"(masked), "+r"(rounds)::"cc", "memory");
    (void)masked;
}
#else
#define LOOP_NAME "svc #0; mrs, msr spsr_cxsf, movs pc, lr"
void syscall_loop(uint32_t rounds); /* syscall.S */
static void loop(uint32_t rounds) { syscall_loop(rounds); }
#endif
#endif

int main(void)
{
#if BENCH_IRQMASK || BENCH_SYSCALL
    print(GUEST_NAME ": running: " LOOP_NAME "\n");
#else
    print(GUEST_NAME ": running\n");
#endif
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
#elif BENCH_IRQMASK || BENCH_SYSCALL
    sp804_start_free_running(CLOCK_TIMER);
#if BENCH_IRQMASK
    irq_unmask(); /* no interrupt is enabled: none comes (lib's vectors would report one) */
#endif
    for (;;) {
        const uint32_t start = sp804_value(CLOCK_TIMER);
        loop(BENCH_ROUNDS);
        const uint32_t elapsed = start - sp804_value(CLOCK_TIMER); /* counting down */
        print(GUEST_NAME ": ");
        print_number(BENCH_ROUNDS);
        print(" round trips in ");
        print_number(elapsed);
        print(" us\n");
    }
#else
    for (;;) {}
#endif
}
