// The monitor's own address space.
#pragma once

namespace arm {

/// Replaces the boot mapping (entry.S) with the final one: the image page by page (code and
/// read-only data read-only where the architecture allows, the rest never executable), the
/// monitor's devices, and the vectors; everything privileged-only. Drops the identity
/// megabyte the boot code ran from.
void map_monitor();

}  // namespace arm
