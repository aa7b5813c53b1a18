/* A ticker: its own SP804 timer 0 interrupts it every TICKER_PERIOD_US while it idles in wait
 * for interrupt, and it checks the rate against timer 1 of the same SP804, free-running at
 * 1 MHz: ROUNDS rounds of ROUND_US worth of interrupts, one line each, then `done`. Every
 * interrupt it acknowledges must be its timer's; any other line, a spurious one or another
 * exception is a FAIL line. Built three times with different periods (ticker-fast, -mid,
 * -slow); the same binary runs natively and as a partition, each with an SP804 of its own.
 *
 * The rate check. The SP804's interrupt is a level, so expiries that come before the last one
 * was cleared make one interrupt between them: a guest may see fewer interrupts than expiries,
 * never more. Native QEMU does lose them: with -icount sleep=off a wait for interrupt lasts
 * until the expiry after the one that raised it, so every other expiry is lost; without
 * icount, a loaded host loses more. Under the monitor the guest may also wait its turn. So a
 * round of N interrupts taking E us passes when
 *     N <= E / period + 2           no interrupt without an expiry: none duplicated, none early
 *     N >= E / (4 * period) - 2     at least a quarter of the expiries come: the timer runs
 * and only the measured values of a failing round are printed: the output is the same every
 * run. It tells a running timer from a stopped, starved or duplicating one, not more: a timer
 * up to 4 times too slow passes, and one too fast does when expiries are lost. */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"
#include "sp804.h"

#define TICK_TIMER 0  /* periodic, its interrupt enabled */
#define CLOCK_TIMER 1 /* free-running, its interrupt disabled: microseconds */
#define ROUNDS 5
#define ROUND_US 100000
#define ROUND_INTERRUPTS (ROUND_US / TICKER_PERIOD_US)
#define SLACK 2       /* interrupts, either way */
#define LOSS_FACTOR 4 /* at most 3 of 4 expiries lost */

#define STRING(x) #x
#define DECIMAL(x) STRING(x)

static volatile uint32_t interrupts;  /* of the ticking timer */
static volatile uint32_t strays;      /* interrupts of another line, or of none */
static volatile int first_stray_line; /* -1: spurious */

void irq_handler(void)
{
    const int line = irq_acknowledge();
    if (line == (int)sp804_line(TICK_TIMER) && sp804_pending(TICK_TIMER)) {
        sp804_clear(TICK_TIMER);
        ++interrupts;
    } else {
        if (!strays++) first_stray_line = line;
        if (line >= 0 && line != (int)sp804_line(TICK_TIMER)) irq_disable_line((unsigned)line);  // no storm
    }
    if (line >= 0) irq_end(line);
}

/* Sleeps until `count` interrupts have come. IRQs are masked around the test, unmasked only to
 * take the interrupt that woke the wait: none can come between the test and the wait. */
static void idle_until(uint32_t count)
{
    irq_mask();
    while (interrupts < count) {
        wait_for_interrupt();
        irq_unmask();
        irq_mask();
    }
    irq_unmask();
}

static void report_strays(void)
{
    static uint32_t reported;
    if (strays == reported) return;
    reported = strays;
    print(GUEST_NAME ": FAIL interrupt not of timer " DECIMAL(TICK_TIMER) ": ");
    if (first_stray_line < 0) {
        print("spurious");
    } else {
        print("line ");
        print_number((uint32_t)first_stray_line);
    }
    print(" (");
    print_number(reported);
    print(" so far)\n");
}

int main(void)
{
    const unsigned line = sp804_line(TICK_TIMER);
    print(GUEST_NAME ": timer " DECIMAL(TICK_TIMER) " every " DECIMAL(TICKER_PERIOD_US) " us on line ");
    print_number(line);
    print(", timed by timer " DECIMAL(CLOCK_TIMER) "\n");
    irq_controller_init();
    irq_enable_line(line);
    sp804_start_free_running(CLOCK_TIMER);
    sp804_start_periodic(TICK_TIMER, TICKER_PERIOD_US);
    irq_unmask();
    idle_until(1);  // rounds start at an interrupt
    for (uint32_t round = 1; round <= ROUNDS; ++round) {
        const uint32_t start = sp804_value(CLOCK_TIMER), first = interrupts;
        idle_until(first + ROUND_INTERRUPTS);
        const uint32_t elapsed = start - sp804_value(CLOCK_TIMER);  // counting down
        const uint32_t counted = interrupts - first;
        print(GUEST_NAME ": round ");
        print_number(round);
        print(": ");
        print_number(ROUND_INTERRUPTS);
        print(" interrupts");
        if (counted * TICKER_PERIOD_US <= elapsed + SLACK * TICKER_PERIOD_US &&
            (counted + SLACK) * LOSS_FACTOR * TICKER_PERIOD_US >= elapsed) {
            print(", rate ok\n");
        } else {
            print(" in ");
            print_number(elapsed);
            print(" us: FAIL, expected ");
            print_number((ROUND_INTERRUPTS - SLACK) * TICKER_PERIOD_US);
            print(" to ");
            print_number((ROUND_INTERRUPTS + SLACK) * LOSS_FACTOR * TICKER_PERIOD_US);
            print(" us\n");
        }
        report_strays();
    }
    sp804_stop(TICK_TIMER);
    sp804_stop(CLOCK_TIMER);
    irq_disable_line(line);
    print(GUEST_NAME ": done\n");
    for (;;) {  // IRQs unmasked: a stray would still be taken, and reported
        wait_for_interrupt();
        report_strays();
    }
}
