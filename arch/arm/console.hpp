// The monitor's console (main.cpp): its own lines behind "[hv] ", and the raw UART the
// partitions' consoles write their prefixed lines to.
#pragma once
#include "core/format.hpp"

namespace arm {

core::Sink& monitor_console();
core::Sink& uart_console();

/// core::format_list on the monitor's console: print()'s one call.
void print_arguments(const char* fmt, ...);

/// A line (or part of one) on the monitor's console; the conversions are checked against the
/// arguments when the call is compiled (core::Format).
template <typename... Arguments>
void print(core::Format<Arguments...> fmt, const Arguments&... arguments)
{
    print_arguments(fmt.text, core::format_kind::word(arguments)...);
}

/// The monitor's IRQ handling: its tick, and masking of lines nobody owns.
void handle_irq();

/// Stops the machine: exits QEMU with `code` through semihosting when built for it.
[[noreturn]] void halt(int code);

/// The codes of the monitor's own stops (docs/configuration.md; tools/hv says why in words):
/// an exception in the monitor, its image not the one it was built as (its seal), a package
/// it refuses.
inline constexpr int stop_fatal = 1, stop_image_corrupt = 3, stop_package_refused = 4;

}  // namespace arm
