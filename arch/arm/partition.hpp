// The partitions: loaded from the package at boot, run deprivileged in User mode, their traps
// emulated against their virtual CPUs, their devices emulated on the monitor's clock.
#pragma once
#include "arch/arm/exception.hpp"

namespace arm {

/// Validates the package QEMU's loader placed at RAM base + 1 MiB and loads every partition
/// into its window. Reports and runs no partition when the package is refused.
void load_partitions();

/// An IRQ taken in the monitor's idle loop (`frame`): returns what runs next (a partition, or
/// the idle loop afresh). A partition's traps come in through handle_partition_trap.
Exception_frame* handle_idle_interrupt(Exception_frame& frame);

/// The monitor's event timer fired: brings the partitions' virtual timers up to the clock.
void partition_event();

/// The console's receive interrupt: what was typed goes to the partition in focus, as much as
/// its receive FIFO takes and a little more held back, or switches the focus (the focus key).
void console_input();
/// The console's next received character (main.cpp).
bool console_read(char& c);

/// An interrupt of a partition's device passed through, which the caller has masked on the
/// controller: it is now the partition's until the device lets go. False: nobody's.
bool route_interrupt(unsigned line);
/// The controller (main.cpp): whether a device drives `line`, and unmasking it.
bool interrupt_asserted(unsigned line);
void enable_interrupt(unsigned line);

/// Monotonic microseconds since boot (main.cpp).
uint64_t now();
/// The event timer's next interrupt: at `when` (microseconds), or within a second.
void set_event(uint64_t when);

/// A data abort taken by the monitor itself: true when it came from a guest-memory access
/// (guest_access.S), which then returns failure instead of faulting.
bool fix_up_guest_access(Exception_frame& frame);

}  // namespace arm
