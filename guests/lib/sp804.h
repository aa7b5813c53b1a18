/* The board's SP804 dual timers (SP804 TRM, DDI 0271), TIMCLK 1 MHz: timers 0 and 1 in the
 * block at GUEST_SP804_0, sharing one interrupt line, timers 2 and 3 in the block at
 * GUEST_SP804_1. All 32-bit, counting down, prescaler 1. */
#ifndef GUEST_SP804_H
#define GUEST_SP804_H
#include <stdint.h>

unsigned sp804_line(unsigned timer);  // the controller line of the timer's block

/* Interrupts every `microseconds`, until stopped. */
void sp804_start_periodic(unsigned timer, uint32_t microseconds);
/* Counts down from 0xffffffff and wraps, its interrupt disabled: a clock in microseconds. */
void sp804_start_free_running(unsigned timer);
void sp804_stop(unsigned timer);

uint32_t sp804_value(unsigned timer);
int sp804_pending(unsigned timer);  // the timer's masked interrupt status
void sp804_clear(unsigned timer);   // clears its interrupt

#endif
