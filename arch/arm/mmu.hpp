// The monitor's own address space.
#pragma once

#include <stdint.h>

namespace arm {

/// Cleans the data-cache lines of [start, start + bytes) to memory and waits for it: table walks
/// do not look into the data cache, so every descriptor written goes through here.
void clean(const void* start, uint32_t bytes);

/// Replaces the boot mapping (entry.S) with the final one: the image page by page (code and
/// read-only data read-only where the architecture allows, the rest never executable), the
/// monitor's devices, and the vectors; everything privileged-only. Drops the identity
/// megabyte the boot code ran from.
void map_monitor();

}  // namespace arm
