// ARMv6 (SCTLR.XP = 1) and ARMv7-A short-descriptor translation-table entries for the
// monitor's own mappings. ARMv7-A ARM (DDI 0406C) B3.5.1; ARM1176 TRM 6.11.
#pragma once
#include <stdint.h>

namespace arm::v6 {

// boot: the one read-write-executable section entry.S maps before the final tables exist;
// uncached: the monitor's view of all RAM while it loads the partitions; guest: a partition's
// window, read-write-executable from User mode; guest_device: a device passed through to a
// partition, User read-write, never executable.
enum class Mapping {
    boot,
    code,
    data,
    device,
    uncached,
    guest,
    guest_device
};

constexpr bool executable(Mapping m)
{
    return m == Mapping::boot || m == Mapping::code || m == Mapping::guest;
}

// AP[2:0]: 0b001 privileged RW, 0b101 privileged read-only, 0b011 RW for User mode too.
constexpr bool partition_owned(Mapping m) { return m == Mapping::guest || m == Mapping::guest_device; }
constexpr uint32_t ap(Mapping m) { return m == Mapping::code ? 0b101 : partition_owned(m) ? 0b011 : 0b001; }
constexpr uint32_t section_access(Mapping m) { return (ap(m) >> 2) << 15 | (ap(m) & 3) << 10; }
constexpr uint32_t page_access(Mapping m) { return (ap(m) >> 2) << 9 | (ap(m) & 3) << 4; }
// TEX = 000 with C B = 11: normal, write-back; C B = 01: shareable device; TEX = 001 with
// C B = 00: normal, non-cacheable (TEX sits at bits 14:12 of a section, 8:6 of a small page).
constexpr uint32_t memory_type(Mapping m)
{
    return m == Mapping::device || m == Mapping::guest_device ? 0x4 : m == Mapping::uncached ? 0 : 0xc;
}
constexpr uint32_t section_tex(Mapping m) { return m == Mapping::uncached ? 1u << 12 : 0; }
constexpr uint32_t page_tex(Mapping m) { return m == Mapping::uncached ? 1u << 6 : 0; }

/// First-level section: 1 MiB at `physical`, domain 0; bit 4 is XN. A partition's is not global
/// (nG, bit 17): its TLB entries carry the table's ASID; the monitor's are global.
constexpr uint32_t section(uint32_t physical, Mapping m)
{
    return (physical & 0xfff00000) | section_access(m) | section_tex(m) | (executable(m) ? 0 : 1u << 4) |
           memory_type(m) | (partition_owned(m) ? 1u << 17 : 0) | 0b10;
}

/// First-level page table (256 entries, 1 KiB aligned), domain 0 unless a guest's.
constexpr uint32_t page_table(uint32_t physical, uint32_t domain = 0)
{
    return (physical & 0xfffffc00) | domain << 5 | 0b01;
}

/// Second-level small page: 4 KiB; bit 0 is XN.
constexpr uint32_t small_page(uint32_t physical, Mapping m)
{
    return (physical & 0xfffff000) | page_access(m) | page_tex(m) | memory_type(m) | 0b10 |
           (executable(m) ? 0 : 1);
}

/// A partition's shadow page: AP 011 (User read-write) or 010 (User read-only), XN unless
/// executable; write-back RAM, or a device passed through (shareable device, never executable);
/// not global (nG, bit 11).
constexpr uint32_t guest_page(uint32_t physical, bool writable, bool executable, bool device = false)
{
    return (physical & 0xfffff000) | 1u << 11 | (writable ? 3u : 2u) << 4 | (device ? 0x4 : 0xc) | 0b10 |
           (executable && !device ? 0 : 1);
}

/// A partition's shadow section in the guest's `domain`: as guest_page, for 1 MiB of its RAM
/// (nG is bit 17, XN bit 4).
constexpr uint32_t guest_section(uint32_t physical, bool writable, bool executable, uint32_t domain)
{
    return (physical & 0xfff00000) | 1u << 17 | (writable ? 3u : 2u) << 10 | domain << 5 |
           (executable ? 0 : 1u << 4) | 0xc | 0b10;
}

}  // namespace arm::v6
