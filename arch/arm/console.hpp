// The monitor's console (main.cpp): its own lines as records the host renders (core/message.hpp,
// docs/console.md), and the raw UART the partitions' consoles write their prefixed lines to.
#pragma once
#include "core/message.hpp"

namespace arm {

core::Sink& uart_console();

/// core::message::encode on the UART: print()'s one call.
void print_message(uint32_t message, ...);

/// A line (or part of one) on the monitor's console, written as a record: `message` is its text
/// in the message table (CELLVISOR_MESSAGE), whose word carries the arguments' kinds; `fmt` is
/// the same text, its conversions checked against the arguments when the call is compiled
/// (core::Format) and nothing else: no byte of it is loaded.
template <typename... Arguments>
[[gnu::always_inline]] inline void print(const char* message, core::Format<Arguments...>,
                                         const Arguments&... arguments)
{
    print_message(uint32_t(uintptr_t(message)) +
                      (core::message::kinds<Arguments...>() << core::message::offset_bits),
                  core::format_kind::word(arguments)...);
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

/// The address of `text` in the monitor's message table: the section .cellvisor.messages, which
/// the linker script places at address 0 and does not load (monitor.ld.in), so the address is
/// the text's offset there. A static of its own at each place it is written.
#define CELLVISOR_MESSAGE(text)                                                                              \
    [] {                                                                                                     \
        [[gnu::section(".cellvisor.messages")]] static const char message_text[] = text;                     \
        return message_text;                                                                                 \
    }()

/// print("text %u", n): the text into the message table, its address and the checked format to
/// arm::print. A macro because only a macro can put a string literal in a section of its own.
#define print(fmt, ...) print(CELLVISOR_MESSAGE(fmt), fmt __VA_OPT__(, ) __VA_ARGS__)
