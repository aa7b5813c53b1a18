#include "sp804.h"

enum {
    LOAD = 0x00,    /* TimerXLoad: the count to start from */
    VALUE = 0x04,   /* TimerXValue: the current count */
    CONTROL = 0x08, /* TimerXControl */
    INT_CLR = 0x0c, /* TimerXIntClr: any write clears the interrupt */
    MIS = 0x14,     /* TimerXMIS: interrupt status, masked by TimerXControl's enable */
};
#define CONTROL_ENABLE (1u << 7)
#define CONTROL_PERIODIC (1u << 6) /* reload from TimerXLoad at 0; clear: free-running, wrap */
#define CONTROL_INTERRUPT (1u << 5)
#define CONTROL_32BIT (1u << 1)

static volatile uint32_t* timer_register(unsigned timer, unsigned offset)
{
    const uintptr_t block = timer < 2 ? GUEST_SP804_0 : GUEST_SP804_1;
    return (volatile uint32_t*)(block + 0x20 * (timer % 2) + offset);
}

unsigned sp804_line(unsigned timer) { return timer < 2 ? GUEST_SP804_0_LINE : GUEST_SP804_1_LINE; }

void sp804_start_periodic(unsigned timer, uint32_t microseconds)
{
    *timer_register(timer, CONTROL) = 0;
    *timer_register(timer, INT_CLR) = 1;
    *timer_register(timer, LOAD) = microseconds;
    *timer_register(timer, CONTROL) = CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_INTERRUPT | CONTROL_32BIT;
}

void sp804_start_free_running(unsigned timer)
{
    *timer_register(timer, CONTROL) = 0;
    *timer_register(timer, LOAD) = 0xffffffff;
    *timer_register(timer, CONTROL) = CONTROL_ENABLE | CONTROL_32BIT;
}

void sp804_stop(unsigned timer) { *timer_register(timer, CONTROL) = 0; }
uint32_t sp804_value(unsigned timer) { return *timer_register(timer, VALUE); }
int sp804_pending(unsigned timer) { return *timer_register(timer, MIS) & 1; }
void sp804_clear(unsigned timer) { *timer_register(timer, INT_CLR) = 1; }
