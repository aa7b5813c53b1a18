/* The interrupt controller of versatilepb: the PL190 VIC at GUEST_VIC (PL190 TRM, DDI 0181),
 * used without its vectors: VICIRQStatus says which lines are pending. */
#include "interrupts.h"

#define VIC(offset) (*(volatile uint32_t*)(GUEST_VIC + (offset)))
#define VIC_IRQ_STATUS VIC(0x000)     /* VICIRQStatus: pending, enabled, routed to IRQ */
#define VIC_INT_SELECT VIC(0x00c)     /* VICIntSelect: 1 routes a line to FIQ */
#define VIC_INT_ENABLE VIC(0x010)     /* VICIntEnable: write 1s to enable */
#define VIC_INT_EN_CLEAR VIC(0x014)   /* VICIntEnClear: write 1s to disable */
#define VIC_SOFT_INT_CLEAR VIC(0x01c) /* VICSoftIntClear */

void irq_controller_init(void)
{
    VIC_INT_EN_CLEAR = 0xffffffff;
    VIC_SOFT_INT_CLEAR = 0xffffffff;
    VIC_INT_SELECT = 0;
}

void irq_enable_line(unsigned line) { VIC_INT_ENABLE = 1u << line; }
void irq_disable_line(unsigned line) { VIC_INT_EN_CLEAR = 1u << line; }

int irq_acknowledge(void)
{
    const uint32_t pending = VIC_IRQ_STATUS;
    if (!pending) return -1;
    int line = 0;
    while (!(pending & 1u << line)) ++line;
    return line;
}

int irq_line_pending(unsigned line) { return (VIC_IRQ_STATUS >> line) & 1; }

void irq_end(int line) { (void)line; }
