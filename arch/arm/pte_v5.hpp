// ARMv5 (ARM926EJ-S) translation-table descriptors for the monitor's own mappings.
// ARMv5 ARM (DDI 0100I) B4.3; the ARM926EJ-S TRM asks for bit 4 set in first-level entries.
#pragma once
#include <stdint.h>

namespace arm::v5 {

// boot: the one read-write-executable section entry.S maps before the final tables exist;
// uncached: the monitor's view of all RAM while it loads the partitions (no VIVT alias of a
// guest's lines); guest: a partition's window, read-write-executable from User mode;
// guest_device: a device passed through to a partition, User read-write, uncached.
enum class Mapping {
    boot,
    code,
    data,
    device,
    uncached,
    guest,
    guest_device
};

inline constexpr uint32_t ap_privileged_only = 1;  // AP = 01: privileged RW, user none
inline constexpr uint32_t ap_full = 3;             // AP = 11: RW for User mode too

constexpr uint32_t cacheable(Mapping m)  // C | B: write-back
{
    return m == Mapping::device || m == Mapping::uncached || m == Mapping::guest_device ? 0 : 0xc;
}
constexpr uint32_t access(Mapping m)
{
    return m == Mapping::guest || m == Mapping::guest_device ? ap_full : ap_privileged_only;
}

/// First-level section: 1 MiB at `physical`, domain 0.
constexpr uint32_t section(uint32_t physical, Mapping m)
{
    return (physical & 0xfff00000) | access(m) << 10 | 1u << 4 | cacheable(m) | 0b10;
}

/// First-level coarse page table (256 entries, 1 KiB aligned), domain 0 unless a guest's.
constexpr uint32_t page_table(uint32_t physical, uint32_t domain = 0)
{
    return (physical & 0xfffffc00) | domain << 5 | 1u << 4 | 0b01;
}

/// Second-level small page: 4 KiB, the same AP for its four 1 KiB subpages.
constexpr uint32_t small_page(uint32_t physical, Mapping m)
{
    return (physical & 0xfffff000) | ap_privileged_only * 0x55u << 4 | cacheable(m) | 0b10;
}

/// A partition's shadow page: User read-write or read-only in all four subpages, write-back
/// RAM or a device passed through (uncached, unbuffered).
constexpr uint32_t guest_page(uint32_t physical, bool writable, bool, bool device = false)
{
    return (physical & 0xfffff000) | (writable ? 0xffu : 0xaau) << 4 | (device ? 0 : 0xc) | 0b10;
}

/// A partition's shadow section in the guest's `domain`: as guest_page, for 1 MiB of its RAM.
constexpr uint32_t guest_section(uint32_t physical, bool writable, bool, uint32_t domain)
{
    return (physical & 0xfff00000) | (writable ? 3u : 2u) << 10 | domain << 5 | 1u << 4 | 0xc | 0b10;
}

}  // namespace arm::v5
