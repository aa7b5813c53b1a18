// The partitions: loaded from the package at boot, run deprivileged in User mode, their traps
// emulated against their virtual CPUs, scheduled round robin on the monitor's tick.
#pragma once
#include "arch/arm/exception.hpp"

namespace arm {

/// Validates the package QEMU's loader placed at RAM base + 1 MiB and loads every partition
/// into its window. Reports and runs no partition when the package is refused.
void load_partitions();

/// An exception taken from User mode, or an IRQ: handles it and leaves in `frame` whatever runs
/// next (a partition, or the monitor's idle loop).
void handle_partition_exception(Exception_frame& frame, core::Exception kind);

/// The monitor's periodic tick: ends the current time slice.
void partition_tick();

/// A data abort taken by the monitor itself: true when it came from a guest-memory access
/// (guest_access.S), which then returns failure instead of faulting.
bool fix_up_guest_access(Exception_frame& frame);

/// Whether any partition exists (the tick then stays quiet).
bool have_partitions();

}  // namespace arm
