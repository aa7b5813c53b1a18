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

}  // namespace core
