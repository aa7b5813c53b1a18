// ARM Versatile/PB (QEMU versatilepb): ARM926EJ-S or ARM1176. Addresses: Versatile/PB926EJ-S
// User Guide (DUI 0224) 4.1, and QEMU hw/arm/versatilepb.c.
#pragma once
#include "boards/board_types.hpp"
#include "drivers/pl011.hpp"
#include "drivers/pl190.hpp"
#include "drivers/sp804.hpp"

namespace board {

inline constexpr char name[] = CELLVISOR_CONFIG_NAME;
inline constexpr uint32_t ram_base = CELLVISOR_RAM_BASE;
inline constexpr uint32_t ram_size = CELLVISOR_RAM_SIZE;

inline constexpr uint32_t console_uart = 0x101f1000;  // UART0
inline constexpr unsigned console_uart_irq = 12;
inline constexpr uint32_t vic = 0x10140000;    // primary PL190
inline constexpr uint32_t timer = 0x101e2000;  // SP804 timers 0 and 1
inline constexpr unsigned timer_irq = 4;
inline constexpr uint32_t timer_hz = 1'000'000;  // TIMCLK as QEMU models it

// The system registers' 24 MHz counter (Versatile/AB TRM 4.14, SYS_24MHZ): the monitor's own
// time, read at every trap's entry and exit (entry.S). Read only: the page may be a partition's.
inline constexpr uint32_t counter = 0x1000005c;
inline constexpr uint32_t counter_hz = 24'000'000;

inline constexpr Device_pages<4> monitor_devices{{console_uart, vic, timer, counter & ~0xfffu}};

// What a partition may have passed through (core/package.hpp): no page the monitor drives or
// emulates (virtual_board.hpp), and the primary controller's lines but for the emulated
// devices' and the secondary controller's (31).
inline constexpr uint32_t reserved_pages[] = {vic, 0x10003000, timer, 0x101e3000, console_uart};
inline constexpr uint32_t passthrough_lines[3] = {~(1u << 4 | 1u << 5 | 1u << 12 | 1u << 31), 0, 0};

using Interrupt_controller = drivers::Pl190<>;
template <typename Virtual_address>
constexpr Interrupt_controller interrupt_controller(Virtual_address va)
{
    return Interrupt_controller(va(vic));
}

static_assert(monitor_devices.valid());
static_assert(ram_base % (1u << 20) == 0 && ram_size % (1u << 20) == 0);

}  // namespace board
