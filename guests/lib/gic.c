/* The interrupt controller of vexpress-a9: the Cortex-A9 MPCore's GIC, distributor at
 * GUEST_GIC_DISTRIBUTOR and CPU interface at GUEST_GIC_CPU (GIC architecture v1, IHI 0048).
 * The guest runs Secure (QEMU's default), so every ID is in group 0, signalled as IRQ. One
 * CPU: every SPI targets CPU 0. */
#include "interrupts.h"

#define DISTRIBUTOR(offset) (*(volatile uint32_t*)(GUEST_GIC_DISTRIBUTOR + (offset)))
#define GICD_CTLR DISTRIBUTOR(0x000)                    /* bit 0: forward interrupts */
#define GICD_ISENABLER(n) DISTRIBUTOR(0x100 + 4 * (n))  /* write 1s to enable */
#define GICD_ICENABLER(n) DISTRIBUTOR(0x180 + 4 * (n))  /* write 1s to disable */
#define GICD_ISPENDR(n) DISTRIBUTOR(0x200 + 4 * (n))    /* reads 1 for pending */
#define GICD_IPRIORITYR(n) DISTRIBUTOR(0x400 + 4 * (n)) /* a byte per ID, 0 the highest */
#define GICD_ITARGETSR(n) DISTRIBUTOR(0x800 + 4 * (n))  /* a byte per ID, a bit per CPU */
#define CPU_INTERFACE(offset) (*(volatile uint32_t*)(GUEST_GIC_CPU + (offset)))
#define GICC_CTLR CPU_INTERFACE(0x00) /* bit 0: signal interrupts */
#define GICC_PMR CPU_INTERFACE(0x04)  /* priorities below (numerically >=) are masked */
#define GICC_IAR CPU_INTERFACE(0x0c)  /* [9:0] the ID, 1023 spurious */
#define GICC_EOIR CPU_INTERFACE(0x10)

#define SPURIOUS 1023
#define PRIORITY 0xa0 /* QEMU implements the top five bits */

void irq_controller_init(void)
{
    GICD_CTLR = 0;
    for (unsigned n = 0; n < 3; ++n) GICD_ICENABLER(n) = 0xffffffff;  // QEMU's A9: 96 IDs
    GICC_PMR = 0xff;
    GICD_CTLR = 1;
    GICC_CTLR = 1;
}

void irq_enable_line(unsigned line)
{
    const unsigned shift = 8 * (line % 4);
    GICD_IPRIORITYR(line / 4) = (GICD_IPRIORITYR(line / 4) & ~(0xffu << shift)) | PRIORITY << shift;
    if (line >= 32) GICD_ITARGETSR(line / 4) = (GICD_ITARGETSR(line / 4) & ~(0xffu << shift)) | 1u << shift;
    GICD_ISENABLER(line / 32) = 1u << line % 32;
}

void irq_disable_line(unsigned line) { GICD_ICENABLER(line / 32) = 1u << line % 32; }

int irq_acknowledge(void)
{
    const uint32_t id = GICC_IAR & 0x3ff;  // one CPU: an SGI's source CPU field is 0
    return id == SPURIOUS ? -1 : (int)id;
}

int irq_line_pending(unsigned line) { return (GICD_ISPENDR(line / 32) >> line % 32) & 1; }

void irq_end(int line) { GICC_EOIR = (uint32_t)line; }
