/* uart1: drives the board's UART1 (a PL011, GUEST_UART1 on GUEST_UART1_LINE) itself and
 * interrupt-driven, as a guest does with a device passed through to it (docs/configuration.md):
 * it sends a line on UART1 one character per transmit interrupt, and checks on each that the
 * controller shows the line pending while the UART drives it and no longer once the interrupt
 * is cleared at the UART. Its report goes to UART0. The same binary runs natively and under the
 * monitor; both must print the same on both UARTs. Built twice: uart1 with its MMU off, and
 * uart1-mmu (UART1_MMU) with it on, every MiB mapped flat by a section, uncached (the monitor
 * then shadows the UART's page from the guest's own tables). */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"

#define UART1(offset) (*(volatile uint32_t*)(GUEST_UART1 + (offset)))
#define UART_DR UART1(0x000)
#define UART_CR UART1(0x030)   /* UARTEN | TXE */
#define UART_IMSC UART1(0x038) /* interrupt mask set/clear: 1 enables */
#define UART_MIS UART1(0x040)  /* masked interrupt status */
#define UART_ICR UART1(0x044)  /* write 1s to clear */
#define UART_TX (1u << 5)      /* the transmit interrupt */

static const char message[] = "uart1: interrupt-driven, through a device of its own\n";
static volatile uint32_t sent, interrupts, strays, pending_before, pending_after;

void irq_handler(void)
{
    const int line = irq_acknowledge();
    if (line == (int)GUEST_UART1_LINE && (UART_MIS & UART_TX)) {
        ++interrupts;
        pending_before += (uint32_t)irq_line_pending(GUEST_UART1_LINE) ^ 1u;  // counts misses
        UART_ICR = UART_TX;
        pending_after += (uint32_t)irq_line_pending(GUEST_UART1_LINE);
        if (message[sent])
            UART_DR = (uint32_t)message[sent++];
        else
            UART_IMSC = 0;
    } else {
        ++strays;
        if (line >= 0) irq_disable_line((unsigned)line);
    }
    if (line >= 0) irq_end(line);
}

#ifdef UART1_MMU
static uint32_t sections[4096] __attribute__((aligned(16384)));

/* Every MiB at its own address: section, AP = 11 (read-write at every privilege), domain 0,
 * uncached and executable (bit 4, XN on ARMv6 and later, clear). */
static void mmu_on(void)
{
    for (uint32_t i = 0; i < 4096; ++i) sections[i] = i << 20 | 3u << 10 | 2u;
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(sections) : "memory"); /* TTBR0 */
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(1u) : "memory");       /* domain 0: client */
#if __ARM_ARCH >= 6
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" ::"r"(0u) : "memory"); /* TTBCR: TTBR0 only */
#endif
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0u) : "memory"); /* invalidate the TLBs */
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(sctlr | 1u) : "memory");
    print("uart1: MMU on, every MiB mapped flat\n");
}
#endif

int main(void)
{
#ifdef UART1_MMU
    mmu_on();
#endif
    irq_controller_init();
    print("uart1: sending on UART1, a character per interrupt\n");
    UART_CR = 0x101;
    irq_enable_line(GUEST_UART1_LINE);
    UART_DR = (uint32_t)message[sent++];
    UART_IMSC = UART_TX;
    irq_mask();
    while (message[sent] || UART_IMSC) {
        wait_for_interrupt();
        irq_unmask();
        irq_mask();
    }
    print("uart1: ");
    print_number(sent);
    print(" characters, ");
    print_number(interrupts);
    print(" interrupts, ");
    print_number(strays);
    print(" stray; line not pending while raised: ");
    print_number(pending_before);
    print(", still pending once cleared: ");
    print_number(pending_after);
    print("\nuart1: done\n");
    for (;;) wait_for_interrupt();
}
