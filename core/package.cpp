#include "core/package.hpp"

namespace core::package {

uint32_t crc32(const uint8_t* bytes, uint32_t size, uint32_t crc)
{
    // Half a byte at a time from a 16-entry table: 64 bytes of table instead of 1 KiB.
    static constexpr uint32_t nibble[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
        0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    crc = ~crc;
    for (uint32_t i = 0; i < size; ++i) {
        crc ^= bytes[i];
        crc = crc >> 4 ^ nibble[crc & 15];
        crc = crc >> 4 ^ nibble[crc & 15];
    }
    return ~crc;
}

namespace {

/// [offset, offset + size) inside [0, limit), 4-byte aligned at its start.
bool inside(uint32_t offset, uint32_t size, uint32_t limit)
{
    return offset % 4 == 0 && offset <= limit && size <= limit - offset;
}

bool within_window(uint32_t address, uint32_t size, uint32_t ram_base, uint32_t window)
{
    return address >= ram_base && address - ram_base <= window && size <= window - (address - ram_base);
}

}  // namespace

const char* validate(const uint8_t* bytes, uint32_t available, uint32_t ram_base, View& view)
{
    if (available < sizeof(Header)) return "no package header";
    const auto& header = *reinterpret_cast<const Header*>(bytes);
    if (header.magic != magic) return "no package (bad magic)";
    if (header.version != version) return "bad package version";
    if (header.size < sizeof(Header) || header.size > available) return "bad package size";
    if (crc32(bytes + sizeof(Header), header.size - sizeof(Header)) != header.checksum)
        return "bad package checksum";
    if (header.partition_count == 0 || header.partition_count > max_partitions) return "bad partition count";
    const uint32_t size = header.size;
    if (!inside(sizeof(Header), header.partition_count * sizeof(Partition), size))
        return "partition records cut off";
    view.header = &header;
    view.partitions = reinterpret_cast<const Partition*>(bytes + sizeof(Header));
    for (uint32_t i = 0; i < header.partition_count; ++i) {
        const Partition& p = view.partitions[i];
        bool terminated = false;
        for (char c : p.name) terminated |= c == 0;
        if (!terminated || p.name[0] == 0) return "bad partition name";
        if (p.window_size == 0 || p.window_size % window_align) return "window not whole MiB";
        if (!within_window(p.entry, 4, ram_base, p.window_size) || p.entry % 2)
            return "entry outside the window";
        if (p.segment_count == 0 || p.segment_count > max_segments) return "bad segment count";
        if (!inside(p.segment_offset, p.segment_count * sizeof(Segment), size))
            return "segment records cut off";
        for (uint32_t s = 0; s < p.segment_count; ++s) {
            const Segment& segment = view.segments(p)[s];
            if (segment.file_size > segment.memory_size) return "segment larger on file than in memory";
            if (!inside(segment.offset, segment.file_size, size)) return "segment bytes cut off";
            if (!within_window(segment.address, segment.memory_size, ram_base, p.window_size))
                return "segment outside the window";
        }
        if (!inside(p.rewrite_offset, sizeof(rewrite::Table_header), size)) return "rewrite table cut off";
        const rewrite::Table_header& table = view.rewrites(p);
        if (table.magic != rewrite::table_magic) return "bad rewrite table magic";
        if (table.count > rewrite::max_entries ||
            !inside(p.rewrite_offset + sizeof table, table.count * sizeof(rewrite::Entry), size))
            return "rewrite entries cut off";
    }
    return nullptr;
}

}  // namespace core::package
