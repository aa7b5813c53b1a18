// The monitor's virtual-address window: the last megabyte of the address space, where no
// ARM Linux guest puts anything but its vector page (Documentation/arm/memory.rst), so the
// window rarely collides with a guest's own mappings. The image runs from the window's
// start; the monitor's devices are mapped page by page from device_window.
#pragma once
#include <stdint.h>

#include "board.hpp"

namespace arm::layout {

inline constexpr uint32_t page_size = 0x1000;
inline constexpr uint32_t window = 0xfff00000;              // one first-level entry, 256 pages
inline constexpr uint32_t scratch = 0xfffdf000;             // a page the monitor maps where it reads
inline constexpr uint32_t device_window = 0xfffe0000;       // 16 pages
inline constexpr uint32_t high_vectors = 0xffff0000;        // SCTLR.V = 1 (ARMv5 and ARMv6)
inline constexpr uint32_t physical_base = board::ram_base;  // the image sits at RAM's start

constexpr uint32_t physical(uintptr_t monitor_virtual)
{
    return uint32_t(monitor_virtual) - window + physical_base;
}
constexpr uintptr_t monitor_virtual(uint32_t physical_address)
{
    return physical_address - physical_base + window;
}
constexpr uintptr_t page_index(uintptr_t monitor_virtual) { return (monitor_virtual - window) / page_size; }

/// Where the monitor reaches a device it drives; the board lists the pages it maps.
constexpr uintptr_t device(uint32_t physical_address)
{
    return device_window + board::monitor_devices.index_of(physical_address) * page_size +
           (physical_address & (page_size - 1));
}

static_assert(board::monitor_devices.count() <= 16);

}  // namespace arm::layout
