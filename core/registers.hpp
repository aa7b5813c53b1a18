// One register map per device, shared by the monitor's driver of the real device (drivers/) and
// the model a partition sees (core/virtual_*.hpp), so the two cannot disagree on an offset or a
// bit. Offsets in bytes from the device's base; fields as masks.
#pragma once
#include <stdint.h>

namespace core {

/// ARM Dual-Timer Module (SP804). SP804 TRM (DDI 0271) 3.2.
namespace sp804 {
enum Register : uint32_t {
    load = 0x00,             // TimerXLoad
    value = 0x04,            // TimerXValue
    control = 0x08,          // TimerXControl
    interrupt_clear = 0x0c,  // TimerXIntClr
    raw_status = 0x10,       // TimerXRIS
    masked_status = 0x14,    // TimerXMIS
    background_load = 0x18,  // TimerXBGLoad
    second_timer = 0x20,     // timer 2's registers follow timer 1's
    peripheral_id = 0xfe0,   // TimerPeriphID0-3, TimerPCellID0-3
};
inline constexpr uint32_t control_one_shot = 1u << 0;
inline constexpr uint32_t control_32bit = 1u << 1;
inline constexpr uint32_t control_interrupt = 1u << 5;
inline constexpr uint32_t control_periodic = 1u << 6;
inline constexpr uint32_t control_enable = 1u << 7;
}  // namespace sp804

/// ARM PrimeCell UART (PL011). PL011 TRM (DDI 0183) 3.2, 3.3.
namespace pl011 {
enum Register : uint32_t {
    data = 0x000,              // UARTDR
    receive_status = 0x004,    // UARTRSR / UARTECR
    flags = 0x018,             // UARTFR
    irda_low_power = 0x020,    // UARTILPR
    integer_baud = 0x024,      // UARTIBRD
    fractional_baud = 0x028,   // UARTFBRD
    line_control = 0x02c,      // UARTLCR_H
    control = 0x030,           // UARTCR
    fifo_level = 0x034,        // UARTIFLS
    interrupt_mask = 0x038,    // UARTIMSC
    raw_interrupt = 0x03c,     // UARTRIS
    masked_interrupt = 0x040,  // UARTMIS
    interrupt_clear = 0x044,   // UARTICR
    dma_control = 0x048,       // UARTDMACR
    peripheral_id = 0xfe0,     // UARTPeriphID0-3, then UARTPCellID0-3
};
inline constexpr uint32_t flag_receive_empty = 1u << 4;   // FR.RXFE
inline constexpr uint32_t flag_transmit_full = 1u << 5;   // FR.TXFF
inline constexpr uint32_t flag_receive_full = 1u << 6;    // FR.RXFF
inline constexpr uint32_t flag_transmit_empty = 1u << 7;  // FR.TXFE
inline constexpr uint32_t line_fifo_enable = 1u << 4;     // LCR_H.FEN
inline constexpr uint32_t line_8bit = 3u << 5;            // LCR_H.WLEN = 8 bits
inline constexpr uint32_t control_enable = 1u << 0;       // CR.UARTEN
inline constexpr uint32_t control_transmit = 1u << 8;     // CR.TXE
inline constexpr uint32_t control_receive = 1u << 9;      // CR.RXE
inline constexpr uint32_t interrupt_receive = 1u << 4;    // IMSC/RIS.RX
inline constexpr uint32_t interrupt_transmit = 1u << 5;   // IMSC/RIS.TX
}  // namespace pl011

/// ARM PrimeCell Vectored Interrupt Controller (PL190). PL190 TRM (DDI 0181) 3.2.
namespace pl190 {
enum Register : uint32_t {
    irq_status = 0x000,        // VICIRQStatus: enabled, pending, IRQ-routed lines
    fiq_status = 0x004,        // VICFIQStatus
    raw_status = 0x008,        // VICRawIntr
    select = 0x00c,            // VICIntSelect: 1 = FIQ
    enable = 0x010,            // VICIntEnable: write 1s to enable
    enable_clear = 0x014,      // VICIntEnClear: write 1s to disable
    soft = 0x018,              // VICSoftInt
    soft_clear = 0x01c,        // VICSoftIntClear
    protection = 0x020,        // VICProtection
    vector_address = 0x030,    // VICVectAddr: the ISR's address; a write ends its service
    default_address = 0x034,   // VICDefVectAddr
    vector_addresses = 0x100,  // VICVectAddr0-15
    vector_controls = 0x200,   // VICVectCntl0-15: [5] enable, [4:0] source
    peripheral_id = 0xfe0,     // VICPeriphID0-3, VICPCellID0-3
};
}  // namespace pl190

/// ARM Generic Interrupt Controller, architecture v1 (the Cortex-A9 MPCore's). GIC architecture
/// specification v1.0/v2.0 (IHI 0048B) 4.1, 4.3.
namespace gic {
enum Distributor_register : uint32_t {
    distributor_control = 0x000,  // GICD_CTLR: [0] EnableGrp0, [1] EnableGrp1
    controller_type = 0x004,      // GICD_TYPER
    implementer = 0x008,          // GICD_IIDR
    groups = 0x080,               // GICD_IGROUPRn: 1 = group 1
    set_enable = 0x100,           // GICD_ISENABLERn
    clear_enable = 0x180,         // GICD_ICENABLERn
    set_pending = 0x200,          // GICD_ISPENDRn
    clear_pending = 0x280,        // GICD_ICPENDRn
    set_active = 0x300,           // GICD_ISACTIVERn (GICv1: read-only)
    clear_active = 0x380,         // GICD_ICACTIVERn (QEMU, revision 1: reads as zero)
    priorities = 0x400,           // GICD_IPRIORITYRn: a byte per ID
    targets = 0x800,              // GICD_ITARGETSRn: QEMU, uniprocessor: RAZ/WI
    configuration = 0xc00,        // GICD_ICFGRn: two bits per ID, [1] edge-triggered
    software_interrupt = 0xf00,   // GICD_SGIR (word writes only)
    clear_sgi_pending = 0xf10,    // GICD_CPENDSGIRn: a byte of source CPUs per SGI
    set_sgi_pending = 0xf20,      // GICD_SPENDSGIRn
    identification = 0xfd0,       // ICPIDR4-7, ICPIDR0-3, ICCIDR0-3
};
enum Cpu_register : uint32_t {
    cpu_control = 0x00,           // GICC_CTLR: EnableGrp0, EnableGrp1, AckCtl, FIQEn, SBPR
    priority_mask = 0x04,         // GICC_PMR
    binary_point = 0x08,          // GICC_BPR
    acknowledge = 0x0c,           // GICC_IAR: [12:10] source CPU of an SGI, [9:0] the ID
    end_of_interrupt = 0x10,      // GICC_EOIR
    running_priority = 0x14,      // GICC_RPR
    highest_pending = 0x18,       // GICC_HPPIR
    aliased_binary_point = 0x1c,  // GICC_ABPR: group 1's binary point
    cpu_implementer = 0xfc,       // GICC_IIDR
};
}  // namespace gic

}  // namespace core
