// The monitor's console (main.cpp): its own lines behind "[hv] ", and the raw UART the
// partitions' consoles write their prefixed lines to.
#pragma once
#include "core/format.hpp"

namespace arm {

core::Sink& monitor_console();
core::Sink& uart_console();

/// core::format_list on the monitor's console: print()'s one call.
void print_arguments(const char* fmt, uint32_t signature, ...);

template <typename... Arguments>
void print(const char* fmt, const Arguments&... arguments)
{
    print_arguments(fmt, core::format_kind::signature<Arguments...>(), core::format_kind::word(arguments)...);
}

/// The monitor's IRQ handling: its tick, and masking of lines nobody owns.
void handle_irq();

/// Stops the machine: exits QEMU with `code` through semihosting when built for it.
[[noreturn]] void halt(int code);

}  // namespace arm
