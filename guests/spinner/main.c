/* A spinner: a neighbour that never yields. It starts its own SP804 timer 0 interrupting every
 * millisecond, masks IRQs and spins forever, so its interrupt stays pending and is never taken.
 * Under the monitor it must not delay anyone else's interrupts nor keep the core; natively it
 * prints one line and spins. */
#include "console.h"
#include "interrupts.h"
#include "sp804.h"

#define TIMER 0
#define PERIOD_US 1000

void irq_handler(void)
{
    print(GUEST_NAME ": FAIL IRQ taken with IRQs masked\n");
    for (;;) {}
}

int main(void)
{
    print(GUEST_NAME ": masking IRQs and spinning\n");
    irq_controller_init();
    irq_enable_line(sp804_line(TIMER));
    sp804_start_periodic(TIMER, PERIOD_US);
    irq_mask();  // as at entry; said again, since this is the point
    for (;;) {}
}
