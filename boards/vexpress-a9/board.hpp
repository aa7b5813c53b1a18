// ARM Versatile Express with the CoreTile Express A9x4, legacy memory map (QEMU vexpress-a9).
// Addresses: V2M-P1 TRM (DUI 0447) 4.2, CoreTile A9x4 TRM (DUI 0448) 3.2; QEMU hw/arm/vexpress.c.
#pragma once
#include "boards/board_types.hpp"
#include "drivers/gic.hpp"
#include "drivers/pl011.hpp"
#include "drivers/sp804.hpp"

namespace board {

inline constexpr char name[] = CELLVISOR_CONFIG_NAME;
inline constexpr uint32_t ram_base = CELLVISOR_RAM_BASE;
inline constexpr uint32_t ram_size = CELLVISOR_RAM_SIZE;

inline constexpr uint32_t console_uart = 0x10009000;  // UART0
inline constexpr unsigned console_uart_irq = 37;
inline constexpr uint32_t gic_cpu_interface = 0x1e000100;
inline constexpr uint32_t gic_distributor = 0x1e001000;
inline constexpr uint32_t timer = 0x10011000;  // SP804 timers 0 and 1
inline constexpr unsigned timer_irq = 34;
inline constexpr uint32_t timer_hz = 1'000'000;

// The system registers' 24 MHz counter (V2M-P1 TRM 4.3, SYS_24MHZ): the monitor's own time,
// read at every trap's entry and exit (entry.S). Read only: the page may be a partition's.
inline constexpr uint32_t counter = 0x1000005c;
inline constexpr uint32_t counter_hz = 24'000'000;

inline constexpr Device_pages<5> monitor_devices{
    {console_uart, gic_cpu_interface & ~0xfffu, gic_distributor, timer, counter & ~0xfffu}};

// What a partition may have passed through (core/package.hpp): no page the monitor drives or
// emulates (virtual_board.hpp), and the shared peripheral interrupts (IDs 32-95) but for the
// emulated devices' (34, 35, 37).
inline constexpr uint32_t reserved_pages[] = {
    gic_cpu_interface & ~0xfffu, gic_distributor, timer, 0x10012000, console_uart,
    counter & ~0xfffu,           0x10001000};
inline constexpr uint32_t passthrough_lines[3] = {0, ~(1u << 2 | 1u << 3 | 1u << 5), ~0u};

using Interrupt_controller = drivers::Gic<>;
template <typename Virtual_address>
constexpr Interrupt_controller interrupt_controller(Virtual_address va)
{
    return Interrupt_controller(va(gic_distributor), va(gic_cpu_interface));
}

static_assert(monitor_devices.valid());
static_assert(ram_base % (1u << 20) == 0 && ram_size % (1u << 20) == 0);

}  // namespace board
