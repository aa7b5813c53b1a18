// The one definition of the partition package: the guests the monitor boots, written by the
// host tool (tools/pack) and validated by the monitor before it trusts a byte of it.
//
// Layout, every offset from the package's start and 4-byte aligned:
//   Header | Partition[partition_count] | Segment[...] | Device[...] | rewrite tables | segment bytes
// Each partition names its segments (guest-physical address, bytes in the package, size in
// memory; the rest of the window reads as zero), the devices and interrupt lines passed through
// to it, and its rewrite table (core/rewrite.hpp).
// The checksum is CRC-32 (IEEE 802.3) of every byte after the checksum field: the rest of the
// header and everything after it (magic, version and size are checked as such).
#pragma once
#include <stdint.h>

#include "core/rewrite.hpp"

namespace core::package {

inline constexpr uint32_t magic = 0x4b505643;  // "CVPK" little-endian
inline constexpr uint32_t version = 4;         // 4: the checksum covers the header after it
inline constexpr unsigned max_partitions = 4;
inline constexpr unsigned max_segments = 16;  // per partition: a Linux vmlinux has 10
inline constexpr unsigned max_devices = 8;    // passed through, per partition
// Second-level tables the monitor has for every partition's devices together (guest MMU off):
// one per MiB a device range covers in part; a MiB a range covers whole is one section.
inline constexpr unsigned device_tables = 8;
inline constexpr unsigned name_size = 32;           // NUL-terminated: the ELF file's stem
inline constexpr uint32_t window_align = 1u << 20;  // windows are whole sections

// Machine-physical RAM, from the board's RAM base: the monitor's MiB, then the package (placed
// by the image, or QEMU's loader), then the partitions' windows: from 16 MiB, or from the whole
// MiB after a package larger than 15 MiB (a Linux kernel's).
inline constexpr uint32_t package_offset = 1u << 20;
inline constexpr uint32_t package_limit = 15u << 20;  // the package's room when windows start at 16 MiB
inline constexpr uint32_t windows_offset = package_offset + package_limit;

/// [a, a + a_size) and [b, b + b_size) share a byte (sizes not 0).
constexpr bool overlap(uint32_t a, uint32_t a_size, uint32_t b, uint32_t b_size)
{
    return a - b < b_size || b - a < a_size;
}

struct Header {
    uint32_t magic;
    uint32_t version;
    uint32_t size;      // the whole package, header included
    uint32_t checksum;  // CRC-32 of bytes [checksummed_from, size)
    uint32_t partition_count;
    uint32_t status_period;  // milliseconds between the monitor's status lines; 0: none
    uint32_t slice;          // microseconds of round robin among equal priorities; 0: 10 ms
    uint32_t reserved;
};

inline constexpr uint32_t flag_semihosting = 1u << 0;    // the guest may exit through semihosting
inline constexpr uint32_t flag_abort_unowned = 1u << 1;  // an address it does not own aborts (else reads 0)

struct Partition {
    char name[name_size];
    uint32_t entry;        // guest-physical
    uint32_t window_size;  // bytes of RAM, a multiple of window_align
    uint32_t window_base;  // machine-physical, a multiple of window_align
    uint32_t segment_offset;
    uint32_t segment_count;
    uint32_t device_offset;  // Device records: machine-physical ranges passed through
    uint32_t device_count;
    uint32_t rewrite_offset;  // a rewrite::Table_header, then its entries
    uint32_t interrupts[3];   // interrupt lines passed through: bit n % 32 of word n / 32
    uint32_t emulated;        // the board's emulated devices it sees: bit n = Virtual_board device n
    uint32_t device_tree;     // guest-physical address of its device tree (r2 at entry); 0: none
    uint32_t flags;
    uint32_t priority;  // 0-255: the scheduler runs the highest runnable first
    uint32_t budget;    // microseconds of processor time per period at most; 0: no budget
    uint32_t period;    // microseconds; with a budget, budget <= period
    uint32_t slice;     // microseconds of round robin among its equals; 0: the header's
};

struct Segment {
    uint32_t address;      // guest-physical
    uint32_t offset;       // of its bytes in the package
    uint32_t file_size;    // bytes in the package
    uint32_t memory_size;  // bytes in the window (the rest of file_size..memory_size is zero)
};

/// A device passed through: the guest reaches [address, address + size) at the same address,
/// uncached, and nothing else of the page it is in.
struct Device {
    uint32_t address;  // machine-physical = guest-physical, 4 KiB aligned
    uint32_t size;     // a multiple of 4 KiB
};

static_assert(sizeof(Header) == 32 && sizeof(Partition) == 104 && sizeof(Segment) == 16 &&
              sizeof(Device) == 8);

/// The first byte the checksum covers: the one after the checksum field.
inline constexpr uint32_t checksummed_from = 16;
static_assert(checksummed_from == __builtin_offsetof(Header, checksum) + 4);

/// What the monitor's board allows a package (boards/*/board.hpp): where windows may go, which
/// interrupt lines a partition may own, and the pages no partition may have passed through (the
/// monitor's own devices and the ones it emulates).
struct Board {
    uint32_t ram_base, ram_size;
    uint32_t windows_base;  // the lowest a window may start (RAM base + windows_offset), unless the
                            // package reaches past it: then the whole MiB after the package
    uint32_t lines[3];      // the lines that may be passed through, as Partition::interrupts
    const uint32_t* reserved;
    unsigned reserved_count;
};

/// CRC-32 (reflected, polynomial 0xedb88320), continuing from `crc` (0 to start).
uint32_t crc32(const uint8_t* bytes, uint32_t size, uint32_t crc = 0);

/// The monitor's seal: the last word of its read-only segment (.text, .rodata, then .seal),
/// the CRC-32 of the `read_only_size` bytes before it and then of its initialised data (.data),
/// stamped after the link (tools/seal-monitor). The monitor checks it first thing at boot;
/// cellvisor-image checks it before it links a monitor and reads it back from an image.
inline uint32_t monitor_seal(const uint8_t* read_only, uint32_t read_only_size, const uint8_t* data,
                             uint32_t data_size)
{
    return crc32(data, data_size, crc32(read_only, read_only_size));
}

/// The view of a validated package: pointers into its bytes.
struct View {
    const Header* header;
    const Partition* partitions;
    const Segment* segments(const Partition& p) const { return at<Segment>(p.segment_offset); }
    const Device* devices(const Partition& p) const { return at<Device>(p.device_offset); }
    const rewrite::Table_header& rewrites(const Partition& p) const
    {
        return *at<rewrite::Table_header>(p.rewrite_offset);
    }
    const rewrite::Entry* rewrite_entries(const Partition& p) const
    {
        return at<rewrite::Entry>(p.rewrite_offset + sizeof(rewrite::Table_header));
    }
    const uint8_t* bytes(const Segment& s) const { return base() + s.offset; }

private:
    const uint8_t* base() const { return reinterpret_cast<const uint8_t*>(header); }
    template <typename T>
    const T* at(uint32_t offset) const
    {
        return reinterpret_cast<const T*>(base() + offset);
    }
};

enum class Refusal : uint8_t {
    none,
    no_header,
    bad_magic,
    bad_version,
    bad_size,
    bad_checksum,
    bad_partition_count,
    partition_records_cut_off,
    bad_partition_name,
    bad_partition_priority,
    bad_budget,
    window_not_whole_mib,
    entry_outside_window,
    bad_segment_count,
    segment_records_cut_off,
    segment_larger_on_file,
    segment_bytes_cut_off,
    segment_outside_window,
    rewrite_table_cut_off,
    bad_rewrite_table_magic,
    rewrite_entries_cut_off,
    bad_window_placement,
    windows_overlap,
    bad_device_count,
    device_records_cut_off,
    bad_device,
    device_shared,
    bad_interrupt,
    interrupt_shared,
    device_tree_outside_window,
};
/// What a refusal means, in words (nullptr for none). The monitor prints only the number:
/// `cellvisor-pack --check PACKAGE` and docs/configuration.md say it in words.
const char* describe(Refusal r);

/// What the monitor checks before it trusts a byte of the package: the header (magic, version,
/// size within `available`), the checksum, and what it needs to stay inside memory it owns and
/// keep partitions apart: counts within its pools, every record and every byte it copies inside
/// the package, every byte it copies inside the partition's window, windows whole MiB in the
/// board's RAM above `windows_base` and apart, devices whole pages outside RAM and the reserved
/// pages and apart, interrupt lines the board allows and apart, names terminated in their last
/// byte. The host tools wrote the package and checked the rest (validate); the checksum tells
/// a package they wrote from a corrupted one. Returns Refusal::none and fills `view`, or why
/// the package is refused. `bytes` must be 4-byte aligned.
Refusal check(const uint8_t* bytes, uint32_t available, const Board& board, View& view);

/// check(), then what the host tools promise beyond what the monitor relies on: names not
/// empty, priorities 0-255, budgets within their periods, at least one segment, each no larger
/// on file than in memory and inside the window in memory, the entry and the device tree inside
/// the window, rewrite tables with their magic. The packer and the image tool refuse to write
/// a package this refuses; `cellvisor-pack --check` and `cellvisor-image --check` read one back
/// with it.
Refusal validate(const uint8_t* bytes, uint32_t available, const Board& board, View& view);

}  // namespace core::package
