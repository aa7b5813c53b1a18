/* A console-input guest: its own PL011 receive-interrupt driver on UART0. Each line typed
 * (ended by CR or LF) is printed back as "NAME: got LINE"; it idles in WFI in between. Under
 * Cellvisor two of them show that input reaches only the partition in focus. */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"

#define UART_DATA (*(volatile uint32_t*)(GUEST_UART0 + 0x000))    /* UARTDR */
#define UART_FLAGS (*(volatile uint32_t*)(GUEST_UART0 + 0x018))   /* UARTFR */
#define UART_LINE (*(volatile uint32_t*)(GUEST_UART0 + 0x02c))    /* UARTLCR_H */
#define UART_MASK (*(volatile uint32_t*)(GUEST_UART0 + 0x038))    /* UARTIMSC */
#define UART_MASKED (*(volatile uint32_t*)(GUEST_UART0 + 0x040))  /* UARTMIS */
#define RECEIVE_EMPTY (1u << 4)                                   /* UARTFR.RXFE */
#define RECEIVE_INTERRUPT (1u << 4)                               /* RXIM, RXMIS */

static volatile char line[64];
static volatile uint32_t length, complete, unexpected;

void irq_handler(void)
{
    const int id = irq_acknowledge();
    if (id != (int)GUEST_UART0_LINE || !(UART_MASKED & RECEIVE_INTERRUPT)) {
        ++unexpected;
    } else {
        while (!(UART_FLAGS & RECEIVE_EMPTY)) {
            const char c = (char)UART_DATA;
            if (complete) continue; /* the previous line is still being printed */
            if (c == '\r' || c == '\n') {
                if (length) complete = 1;
            } else if (length < sizeof line - 1) {
                line[length++] = c;
            }
        }
    }
    if (id >= 0) irq_end(id);
}

int main(void)
{
    irq_controller_init();
    UART_LINE = 0x70; /* 8 bits, FIFOs on */
    UART_MASK = RECEIVE_INTERRUPT;
    irq_enable_line(GUEST_UART0_LINE);
    print(GUEST_NAME ": ready\n");
    for (;;) {
        irq_mask();
        while (!complete) {
            wait_for_interrupt(); /* wakes on a pending IRQ even while masked */
            irq_unmask();
            irq_mask();
        }
        irq_unmask();
        line[length] = 0;
        print(GUEST_NAME ": got ");
        print((const char*)line);
        print("\n");
        if (unexpected) print(GUEST_NAME ": FAIL an interrupt that was not its own\n");
        length = 0;
        complete = 0;
    }
}
