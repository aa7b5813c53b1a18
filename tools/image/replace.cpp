// One partition's image replaced in a built package (cellvisor-image --replace): the new ELF is
// packed as a full build packs it, and every other partition keeps its bytes where they were.
#include <algorithm>
#include <cstring>

#include "tools/image/system.hpp"

extern "C" {
#include <libfdt.h>
}

namespace image {

namespace {

namespace package = core::package;

/// Bytes [offset, offset + size) of a package.
struct Range {
    uint32_t offset, size;
};

/// Every byte of the package that partition `p` owns besides its record: its segment and device
/// records, its rewrite table and its segments' bytes, each padded to a word as the packer pads
/// them (clipped to `size`, the package's).
std::vector<Range> owned(const package::View& view, const package::Partition& p, uint32_t size)
{
    std::vector<Range> ranges{
        {p.segment_offset, p.segment_count * uint32_t(sizeof(package::Segment))},
        {p.device_offset, p.device_count * uint32_t(sizeof(package::Device))},
        {p.rewrite_offset, uint32_t(sizeof(core::rewrite::Table_header) +
                                    view.rewrites(p).count * sizeof(core::rewrite::Entry))}};
    for (uint32_t s = 0; s < p.segment_count; ++s) {
        const package::Segment& segment = view.segments(p)[s];
        ranges.push_back({segment.offset, (segment.file_size + 3) & ~3u});
    }
    for (Range& r : ranges) r.size = std::min(r.size, size - r.offset);  // check(): offsets inside
    return ranges;
}

/// The blobs the system's build loaded after the image's segments (image::build): the initrd,
/// then the device tree, found by the tree's address and its /chosen.
std::vector<pack::Guest::Blob> blobs_of(const package::View& view, const package::Partition& p)
{
    std::vector<pack::Guest::Blob> blobs;
    if (!p.device_tree) return blobs;
    const package::Segment* tree = nullptr;
    for (uint32_t s = 0; s < p.segment_count; ++s)
        if (view.segments(p)[s].address == p.device_tree) tree = &view.segments(p)[s];
    if (!tree) return blobs;
    // libfdt reads a tree 8-byte aligned; in the package it is 4.
    const std::vector<uint8_t> bytes(view.bytes(*tree), view.bytes(*tree) + tree->file_size);
    const void* fdt = bytes.data();
    const int chosen = bytes.size() >= sizeof(fdt_header) && fdt_check_full(fdt, bytes.size()) == 0
                           ? fdt_path_offset(fdt, "/chosen")
                           : -1;
    int start_length = 0, end_length = 0;
    const void* start = chosen < 0 ? nullptr : fdt_getprop(fdt, chosen, "linux,initrd-start", &start_length);
    const void* end = chosen < 0 ? nullptr : fdt_getprop(fdt, chosen, "linux,initrd-end", &end_length);
    if (start && end && start_length == 4 && end_length == 4) {
        const uint32_t initrd = fdt32_ld(static_cast<const fdt32_t*>(start));
        const uint32_t initrd_size = fdt32_ld(static_cast<const fdt32_t*>(end)) - initrd;
        for (uint32_t s = 0; s < p.segment_count; ++s) {
            const package::Segment& segment = view.segments(p)[s];
            if (segment.address == initrd && segment.file_size == initrd_size)
                blobs.push_back({initrd, {view.bytes(segment), view.bytes(segment) + initrd_size}});
        }
    }
    blobs.push_back({tree->address, bytes});
    return blobs;
}

/// The package's bytes in `range`.
std::vector<uint8_t> bytes_in(const std::vector<uint8_t>& package, Range range)
{
    return {package.begin() + range.offset, package.begin() + range.offset + range.size};
}

}  // namespace

bool replace_partition(std::vector<uint8_t>& bytes, const Board_note& note, const std::string& name,
                       const std::string& path, const std::vector<uint8_t>& elf, std::string& report,
                       Error& error)
{
    const std::string node = "/cellvisor/" + name;
    const package::Board board = note.board();
    package::View view;
    if (const auto why = package::validate(bytes.data(), uint32_t(bytes.size()), board, view);
        why != package::Refusal::none) {
        error = {"/", std::string("the package is refused: ") + package::describe(why)};
        return false;
    }
    const uint32_t count = view.header->partition_count, size = view.header->size;
    uint32_t k = 0;
    std::string names;
    for (uint32_t i = 0; i < count; ++i) {
        if (view.partitions[i].name == name) k = i + 1;
        names += (i ? ", " : "") + std::string(view.partitions[i].name);
    }
    if (!k) {
        error = {node, "no such partition: the image has " + names};
        return false;
    }
    const package::Partition old = view.partitions[--k];
    if (elf.empty()) {
        error = {node, "image: cannot read " + path};
        return false;
    }
    if (note.architecture < uint32_t(core::Architecture::v5) ||
        note.architecture > uint32_t(core::Architecture::v7)) {
        error = {"/", "the image does not record the architecture its guests were rewritten for (linked "
                      "before cellvisor-image recorded it): build it again from its system"};
        return false;
    }

    // The new image packed alone with the partition's own settings, as the full build packs it.
    pack::Guest guest;
    guest.name = name;
    guest.path = path;
    guest.elf = elf;
    guest.priority = uint8_t(old.priority);
    guest.budget = old.budget;
    guest.period = old.period;
    guest.window_size = old.window_size;
    guest.window_base = old.window_base;
    guest.devices.assign(view.devices(old), view.devices(old) + old.device_count);
    std::memcpy(guest.interrupts, old.interrupts, sizeof guest.interrupts);
    guest.emulated = old.emulated;
    guest.flags = old.flags;
    guest.blobs = blobs_of(view, old);
    if (old.device_tree && (guest.blobs.empty() || guest.blobs.back().address != old.device_tree)) {
        error = {node, "its device tree is not among its segments: build the image again from its system"};
        return false;
    }
    guest.device_tree = old.device_tree;
    guest.slice = old.slice;
    pack::Settings settings;
    settings.architecture = core::Architecture(note.architecture);
    settings.ram_base = note.ram_base;
    settings.window_size = old.window_size;
    settings.windows_base = old.window_base;
    settings.status_period = view.header->status_period;
    settings.slice = view.header->slice;
    std::vector<pack::Guest> guests{guest};
    const pack::Result alone = pack::build(guests, settings);
    if (!alone.ok) {
        error = {node, "image " + alone.error};
        return false;
    }
    package::View packed;
    if (const auto why =
            package::validate(alone.package.data(), uint32_t(alone.package.size()), board, packed);
        why != package::Refusal::none) {
        error = {node, std::string("image ") + path + ": its package is refused: " + package::describe(why)};
        return false;
    }
    package::Partition record = packed.partitions[0];
    package::Partition settled = record;  // the old record with only what the image decides new
    settled.entry = old.entry;
    settled.segment_count = old.segment_count;
    settled.segment_offset = old.segment_offset;
    settled.device_offset = old.device_offset;
    settled.rewrite_offset = old.rewrite_offset;
    if (std::memcmp(&settled, &old, sizeof old) != 0) {
        error = {node, "the packer gave it settings other than the image's (a bug): nothing written"};
        return false;
    }

    // The old image's bytes zeroed, the package cut after every other partition's bytes, the new
    // partition's records, table and bytes appended: what follows its record in the package it
    // was packed in, its offsets moved by as much.
    std::vector<uint8_t> out = bytes;
    uint32_t end = uint32_t(sizeof(package::Header) + count * sizeof(package::Partition));
    for (uint32_t i = 0; i < count; ++i)
        if (i != k)
            for (const Range& r : owned(view, view.partitions[i], size))
                end = std::max(end, r.offset + r.size);
    for (const Range& r : owned(view, old, size)) std::memset(out.data() + r.offset, 0, r.size);
    end = (end + 3) & ~3u;
    out.resize(end);
    constexpr uint32_t first = sizeof(package::Header) + sizeof(package::Partition);
    const uint32_t moved = end - first;
    out.insert(out.end(), alone.package.begin() + first, alone.package.end());
    record.segment_offset += moved;
    record.device_offset += moved;
    record.rewrite_offset += moved;
    for (uint32_t s = 0; s < record.segment_count; ++s) {
        package::Segment segment;
        const size_t at = record.segment_offset + s * sizeof segment;
        std::memcpy(&segment, out.data() + at, sizeof segment);
        segment.offset += moved;
        std::memcpy(out.data() + at, &segment, sizeof segment);
    }
    std::memcpy(out.data() + sizeof(package::Header) + k * sizeof record, &record, sizeof record);
    package::Header header = *view.header;
    header.size = uint32_t(out.size());
    std::memcpy(out.data(), &header, sizeof header);
    header.checksum = package::crc32(out.data() + package::checksummed_from,
                                     uint32_t(out.size() - package::checksummed_from));
    std::memcpy(out.data(), &header, sizeof header);

    // What it promises, checked: the monitor accepts it, and every other partition's record and
    // bytes are where they were (a package whose partitions shared bytes would fail here).
    package::View result;
    if (const auto why = package::validate(out.data(), uint32_t(out.size()), board, result);
        why != package::Refusal::none) {
        error = {node, std::string("the package with its new image is refused: ") + package::describe(why)};
        return false;
    }
    for (uint32_t i = 0; i < count; ++i) {
        if (i == k) continue;
        bool same = std::memcmp(&result.partitions[i], &view.partitions[i], sizeof(package::Partition)) == 0;
        for (const Range& r : owned(view, view.partitions[i], size))
            same &= r.offset + r.size <= out.size() && bytes_in(out, r) == bytes_in(bytes, r);
        if (!same) {
            error = {node, "its bytes in the package are shared with /cellvisor/" +
                               std::string(view.partitions[i].name) +
                               "'s: build the image again from its system"};
            return false;
        }
    }
    bytes = std::move(out);
    report = alone.report[0];
    return true;
}

}  // namespace image
