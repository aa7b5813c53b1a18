#include "core/package.hpp"

namespace core::package {

// Out of line: the monitor checks its own image and its package with it.
[[gnu::noinline]] uint32_t crc32(const uint8_t* bytes, uint32_t size, uint32_t crc)
{
    // A bit at a time, without a table: the monitor checks its image and package once, at boot.
    crc = ~crc;
    for (uint32_t i = 0; i < size; ++i) {
        crc ^= bytes[i];
        for (int bit = 0; bit < 8; ++bit) crc = crc >> 1 ^ (0xedb88320 & (0u - (crc & 1)));
    }
    return ~crc;
}

namespace {

/// [offset, offset + size) inside [0, limit), 4-byte aligned at its start.
bool inside(uint32_t offset, uint32_t size, uint32_t limit)
{
    return offset % 4 == 0 && offset <= limit && size <= limit - offset;
}

/// [address, address + size) inside [start, start + length); an address below `start` wraps
/// to far above `length`.
bool within(uint32_t address, uint32_t size, uint32_t start, uint32_t length)
{
    return address - start <= length && size <= length - (address - start);
}

}  // namespace

const char* describe(Refusal r)
{
    switch (r) {
    case Refusal::none: return nullptr;
    case Refusal::no_header: return "no package header";
    case Refusal::bad_magic: return "no package (bad magic)";
    case Refusal::bad_version: return "bad package version";
    case Refusal::bad_size: return "bad package size";
    case Refusal::bad_checksum: return "bad package checksum";
    case Refusal::bad_partition_count: return "bad partition count";
    case Refusal::partition_records_cut_off: return "partition records cut off";
    case Refusal::bad_partition_name: return "bad partition name";
    case Refusal::bad_partition_priority: return "bad partition priority";
    case Refusal::bad_budget: return "budget longer than its period";
    case Refusal::window_not_whole_mib: return "window not whole MiB";
    case Refusal::entry_outside_window: return "entry outside the window";
    case Refusal::bad_segment_count: return "bad segment count";
    case Refusal::segment_records_cut_off: return "segment records cut off";
    case Refusal::segment_larger_on_file: return "segment larger on file than in memory";
    case Refusal::segment_bytes_cut_off: return "segment bytes cut off";
    case Refusal::segment_outside_window: return "segment outside the window";
    case Refusal::rewrite_table_cut_off: return "rewrite table cut off";
    case Refusal::bad_rewrite_table_magic: return "bad rewrite table magic";
    case Refusal::rewrite_entries_cut_off: return "rewrite entries cut off";
    case Refusal::bad_window_placement: return "window outside the partitions' RAM";
    case Refusal::windows_overlap: return "windows overlap";
    case Refusal::bad_device_count: return "bad device count";
    case Refusal::device_records_cut_off: return "device records cut off";
    case Refusal::bad_device: return "device not whole pages outside RAM and the monitor's devices";
    case Refusal::device_shared: return "device passed through to two partitions";
    case Refusal::bad_interrupt: return "interrupt line the board does not pass through";
    case Refusal::interrupt_shared: return "interrupt line passed through to two partitions";
    case Refusal::device_tree_outside_window: return "device tree outside the window";
    }
    return "unknown refusal";
}

namespace {

/// The checks of partition `p` the monitor relies on, on its own.
Refusal check_partition(const Partition& p, const View& view, uint32_t size, const Board& board)
{
    const uint32_t ram_base = board.ram_base;
    // Windows start past the package: at the board's lowest, or at the whole MiB after a larger package.
    const uint32_t end = ram_base + ((package_offset + size + window_align - 1) & ~(window_align - 1));
    const uint32_t windows_base = end > board.windows_base ? end : board.windows_base;
    if (p.name[name_size - 1]) return Refusal::bad_partition_name;
    if (p.window_size == 0 || p.window_size % window_align) return Refusal::window_not_whole_mib;
    if (p.window_base % window_align ||
        !within(p.window_base, p.window_size, windows_base, ram_base + board.ram_size - windows_base))
        return Refusal::bad_window_placement;
    if (p.segment_count > max_segments) return Refusal::bad_segment_count;
    if (!inside(p.segment_offset, p.segment_count * sizeof(Segment), size))
        return Refusal::segment_records_cut_off;
    for (uint32_t s = 0; s < p.segment_count; ++s) {
        const Segment& segment = view.segments(p)[s];
        if (!inside(segment.offset, segment.file_size, size)) return Refusal::segment_bytes_cut_off;
        if (!within(segment.address, segment.file_size, ram_base, p.window_size))
            return Refusal::segment_outside_window;
    }
    if (p.device_count > max_devices) return Refusal::bad_device_count;
    if (!inside(p.device_offset, p.device_count * sizeof(Device), size))
        return Refusal::device_records_cut_off;
    for (uint32_t d = 0; d < p.device_count; ++d) {
        const Device& device = view.devices(p)[d];
        if ((device.address | device.size) & 0xfff || !device.size ||
            device.address + device.size < device.address ||
            overlap(device.address, device.size, ram_base, board.ram_size))
            return Refusal::bad_device;
        for (unsigned r = 0; r < board.reserved_count; ++r)
            if (overlap(device.address, device.size, board.reserved[r], 0x1000)) return Refusal::bad_device;
    }
    for (unsigned w = 0; w < 3; ++w)
        if (p.interrupts[w] & ~board.lines[w]) return Refusal::bad_interrupt;
    if (!inside(p.rewrite_offset, sizeof(rewrite::Table_header), size)) return Refusal::rewrite_table_cut_off;
    const rewrite::Table_header& table = view.rewrites(p);
    if (table.count > rewrite::max_entries ||
        !inside(p.rewrite_offset + sizeof table, table.count * sizeof(rewrite::Entry), size))
        return Refusal::rewrite_entries_cut_off;
    return Refusal::none;
}

/// What partition `p` may not share with `q`, one before it.
Refusal check_pair(const Partition& p, const Partition& q, const View& view)
{
    if (overlap(p.window_base, p.window_size, q.window_base, q.window_size)) return Refusal::windows_overlap;
    for (unsigned w = 0; w < 3; ++w)
        if (p.interrupts[w] & q.interrupts[w]) return Refusal::interrupt_shared;
    for (uint32_t d = 0; d < p.device_count; ++d)
        for (uint32_t e = 0; e < q.device_count; ++e) {
            const Device &a = view.devices(p)[d], &b = view.devices(q)[e];
            if (overlap(a.address, a.size, b.address, b.size)) return Refusal::device_shared;
        }
    return Refusal::none;
}

/// What the host tools promise of partition `p` beyond what the monitor relies on.
Refusal validate_partition(const Partition& p, const View& view, const Board& board)
{
    const uint32_t ram_base = board.ram_base;
    if (p.name[0] == 0) return Refusal::bad_partition_name;
    if (p.priority > 255) return Refusal::bad_partition_priority;
    if (p.budget > p.period) return Refusal::bad_budget;
    if (!within(p.entry, 4, ram_base, p.window_size) || p.entry % 2) return Refusal::entry_outside_window;
    if (p.segment_count == 0) return Refusal::bad_segment_count;
    for (uint32_t s = 0; s < p.segment_count; ++s) {
        const Segment& segment = view.segments(p)[s];
        if (segment.file_size > segment.memory_size) return Refusal::segment_larger_on_file;
        if (!within(segment.address, segment.memory_size, ram_base, p.window_size))
            return Refusal::segment_outside_window;
    }
    if (p.device_tree && (p.device_tree % 4 || !within(p.device_tree, 4, ram_base, p.window_size)))
        return Refusal::device_tree_outside_window;
    if (view.rewrites(p).magic != rewrite::table_magic) return Refusal::bad_rewrite_table_magic;
    return Refusal::none;
}

}  // namespace

// Out of line: smaller than inlined into its one caller, the loader (measured).
[[gnu::noinline]] Refusal check(const uint8_t* bytes, uint32_t available, const Board& board, View& view)
{
    if (available < sizeof(Header)) return Refusal::no_header;
    const auto& header = *reinterpret_cast<const Header*>(bytes);
    if (header.magic != magic) return Refusal::bad_magic;
    if (header.version != version) return Refusal::bad_version;
    // The package ends before the windows start: at 16 MiB, or at the whole MiB it names past that.
    if (header.size < sizeof(Header) || header.size > available) return Refusal::bad_size;
    if (crc32(bytes + checksummed_from, header.size - checksummed_from) != header.checksum)
        return Refusal::bad_checksum;
    if (header.partition_count == 0 || header.partition_count > max_partitions)
        return Refusal::bad_partition_count;
    const uint32_t size = header.size;
    if (!inside(sizeof(Header), header.partition_count * sizeof(Partition), size))
        return Refusal::partition_records_cut_off;
    view.header = &header;
    view.partitions = reinterpret_cast<const Partition*>(bytes + sizeof(Header));
    for (uint32_t i = 0; i < header.partition_count; ++i) {
        const Partition& p = view.partitions[i];
        Refusal why = check_partition(p, view, size, board);
        for (uint32_t j = 0; j < i && why == Refusal::none; ++j)
            why = check_pair(p, view.partitions[j], view);
        if (why != Refusal::none) return why;
    }
    return Refusal::none;
}

Refusal validate(const uint8_t* bytes, uint32_t available, const Board& board, View& view)
{
    if (const Refusal why = check(bytes, available, board, view); why != Refusal::none) return why;
    for (uint32_t i = 0; i < view.header->partition_count; ++i)
        if (const Refusal why = validate_partition(view.partitions[i], view, board); why != Refusal::none)
            return why;
    return Refusal::none;
}

}  // namespace core::package
