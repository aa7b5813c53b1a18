#include "tools/pack/pack.hpp"

#include <elf.h>

#include <cstring>

#include "tools/rewriter/rewriter.hpp"

namespace pack {

namespace {

namespace package = core::package;

template <typename T>
void append(std::vector<uint8_t>& out, const T& value)
{
    const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof value);
}

struct Loaded {
    std::vector<Elf32_Phdr> segments;  // PT_LOAD with bytes in memory
    uint32_t entry = 0;                // guest-physical
};

/// The loadable segments and the physical entry of an ELF the rewriter has already accepted.
std::string read_segments(const Guest& guest, const Settings& settings, uint32_t window_size, Loaded& loaded)
{
    Elf32_Ehdr header;
    std::memcpy(&header, guest.elf.data(), sizeof header);
    const uint64_t window_end = uint64_t(settings.ram_base) + window_size;
    bool entry_found = false;
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf32_Phdr s;
        const uint64_t at = header.e_phoff + uint64_t(i) * sizeof s;
        if (header.e_phentsize != sizeof s || at + sizeof s > guest.elf.size())
            return "program headers truncated";
        std::memcpy(&s, guest.elf.data() + at, sizeof s);
        if (s.p_type != PT_LOAD || s.p_memsz == 0) continue;
        if (s.p_filesz > s.p_memsz || uint64_t(s.p_offset) + s.p_filesz > guest.elf.size())
            return "a loadable segment is truncated";
        if (s.p_paddr < settings.ram_base || uint64_t(s.p_paddr) + s.p_memsz > window_end) {
            char text[160];
            std::snprintf(text, sizeof text,
                          "loadable segment at physical 0x%08x-0x%08x is outside the partition's RAM window "
                          "0x%08x-0x%08llx",
                          s.p_paddr, s.p_paddr + s.p_memsz, settings.ram_base,
                          (unsigned long long)window_end);
            return text;
        }
        if (header.e_entry >= s.p_vaddr && header.e_entry - s.p_vaddr < s.p_memsz) {
            loaded.entry = header.e_entry - s.p_vaddr + s.p_paddr;
            entry_found = true;
        }
        loaded.segments.push_back(s);
    }
    if (loaded.segments.empty()) return "no loadable segment";
    if (loaded.segments.size() > package::max_segments)
        return "more than " + std::to_string(package::max_segments) + " loadable segments";
    if (!entry_found) return "the entry point is in no loadable segment";
    return {};
}

}  // namespace

Result build(std::vector<Guest>& guests, const Settings& settings)
{
    Result result;
    const auto refuse = [&](const std::string& file, const std::string& reason) {
        result.error = file + ": " + reason;
        return result;
    };
    if (guests.empty()) return refuse("(no guest)", "at least one guest is needed");
    if (guests.size() > package::max_partitions)
        return refuse(guests[package::max_partitions].path, "more than 4 partitions");
    if (settings.window_size == 0 || settings.window_size % package::window_align)
        return refuse("(settings)", "the window size must be a whole number of MiB");
    uint32_t next_window =
        settings.windows_base ? settings.windows_base : settings.ram_base + package::windows_offset;

    std::vector<package::Partition> records(guests.size());
    std::vector<Loaded> loaded(guests.size());
    std::vector<std::vector<uint8_t>> tables(guests.size());
    for (size_t i = 0; i < guests.size(); ++i) {
        Guest& guest = guests[i];
        result.guest = i;  // whom a refusal below is about
        if (guest.name.empty() || guest.name.size() >= package::name_size)
            return refuse(guest.path, "the partition name (the file's stem) must have 1 to 31 characters");
        for (char c : guest.name)  // the monitor's records carry it as it is (core/message.hpp)
            if (c < 0x20 || c > 0x7e)
                return refuse(guest.path, "the partition name (the file's stem) must be printable ASCII");
        for (size_t j = 0; j < i; ++j)
            if (guests[j].name == guest.name)
                return refuse(guest.path, "a second partition named '" + guest.name + "'");
        const rewriter::Result rewritten = rewriter::rewrite(guest.elf, settings.architecture);
        if (!rewritten.ok) return refuse(guest.path, rewritten.error);
        const uint32_t window_size = guest.window_size ? guest.window_size : settings.window_size;
        if (window_size % package::window_align)
            return refuse(guest.path, "the window size must be a whole number of MiB");
        if (const std::string error = read_segments(guest, settings, window_size, loaded[i]); !error.empty())
            return refuse(guest.path, error);
        if (guest.devices.size() > package::max_devices)
            return refuse(guest.path, "more than 8 devices passed through");
        tables[i] = rewriter::table_bytes(rewritten.rewritten);
        package::Partition& record = records[i];
        std::memset(&record, 0, sizeof record);
        std::memcpy(record.name, guest.name.data(), guest.name.size());
        record.entry = loaded[i].entry;
        record.window_size = window_size;
        record.window_base = guest.window_base ? guest.window_base : next_window;
        next_window = record.window_base + window_size;
        record.device_count = uint32_t(guest.devices.size());
        std::memcpy(record.interrupts, guest.interrupts, sizeof record.interrupts);
        record.emulated = guest.emulated;
        record.device_tree = guest.device_tree;
        record.slice = guest.slice;
        for (const Guest::Blob& blob : guest.blobs) {
            const uint32_t size = uint32_t(blob.bytes.size());
            bool clear = blob.address >= settings.ram_base &&
                         blob.address - settings.ram_base <= window_size &&
                         size <= window_size - (blob.address - settings.ram_base);
            for (const Elf32_Phdr& s : loaded[i].segments)
                clear &= blob.address + size <= s.p_paddr || s.p_paddr + s.p_memsz <= blob.address;
            if (!clear) return refuse(guest.path, "a blob to load overlaps the image or leaves the window");
            if (loaded[i].segments.size() == package::max_segments)
                return refuse(guest.path, "more than " + std::to_string(package::max_segments) +
                                              " loadable segments with its device tree and initrd");
            Elf32_Phdr segment{};
            segment.p_paddr = blob.address;
            segment.p_filesz = segment.p_memsz = size;
            segment.p_offset = uint32_t(guest.elf.size());  // its bytes appended to the ELF's
            guest.elf.insert(guest.elf.end(), blob.bytes.begin(), blob.bytes.end());
            loaded[i].segments.push_back(segment);
        }
        if (record.device_tree && (record.device_tree % 4 || record.device_tree < settings.ram_base ||
                                   record.device_tree - settings.ram_base >= window_size))
            return refuse(guest.path, "the device tree is outside the window");
        record.segment_count = uint32_t(loaded[i].segments.size());
        record.flags = guest.flags.value_or(settings.flags);
        record.priority = guest.priority;
        record.budget = guest.budget;
        record.period = guest.period;
        char line[200];
        std::snprintf(
            line, sizeof line,
            "%s: %u loadable segments, entry 0x%08x, %zu sensitive instructions rewritten, priority %u",
            guest.name.c_str(), record.segment_count, record.entry, rewritten.rewritten.size(),
            unsigned(record.priority));
        if (record.budget)
            std::snprintf(line + std::strlen(line), sizeof line - std::strlen(line),
                          ", budget %u us per %u us", unsigned(record.budget), unsigned(record.period));
        if (record.flags & core::package::flag_semihosting)
            std::snprintf(line + std::strlen(line), sizeof line - std::strlen(line), ", semihosting");
        result.report.push_back(line);
    }

    result.guest = SIZE_MAX;

    // Offsets: header, records, every partition's segment records, tables, then the bytes.
    uint32_t offset = uint32_t(sizeof(package::Header) + records.size() * sizeof(package::Partition));
    for (size_t i = 0; i < records.size(); ++i) {
        records[i].segment_offset = offset;
        offset += records[i].segment_count * uint32_t(sizeof(package::Segment));
    }
    for (size_t i = 0; i < records.size(); ++i) {
        records[i].device_offset = offset;
        offset += records[i].device_count * uint32_t(sizeof(package::Device));
    }
    for (size_t i = 0; i < records.size(); ++i) {
        records[i].rewrite_offset = offset;
        offset += uint32_t(tables[i].size());
    }
    std::vector<package::Segment> segments;
    for (size_t i = 0; i < records.size(); ++i)
        for (const Elf32_Phdr& s : loaded[i].segments) {
            segments.push_back({s.p_paddr, offset, s.p_filesz, s.p_memsz});
            offset += (s.p_filesz + 3) & ~3u;
        }

    // Windows start past the package (core/package.cpp): at RAM base + 16 MiB, or at the whole
    // MiB after a package larger than 15 MiB, where the ones placed here move together.
    const uint32_t package_end =
        settings.ram_base +
        ((package::package_offset + offset + package::window_align - 1) & ~(package::window_align - 1));
    result.package_end = package_end;
    const uint32_t first_window =
        settings.windows_base ? settings.windows_base : settings.ram_base + package::windows_offset;
    if (package_end > first_window)
        for (size_t i = 0; i < records.size(); ++i) {
            if (!guests[i].window_base && !settings.windows_base)
                records[i].window_base += package_end - first_window;
            if (records[i].window_base < package_end) {
                result.guest = i;
                char why[160];
                std::snprintf(why, sizeof why,
                              "its window at 0x%08x is below the package's end, 0x%08x (a %u MiB package)",
                              unsigned(records[i].window_base), unsigned(package_end),
                              unsigned(offset >> 20));
                return refuse(guests[i].path, why);
            }
        }

    std::vector<uint8_t>& out = result.package;
    package::Header header{};
    header.magic = package::magic;
    header.version = package::version;
    header.size = offset;
    header.partition_count = uint32_t(records.size());
    header.status_period = settings.status_period;
    header.slice = settings.slice;
    append(out, header);
    for (const auto& record : records) append(out, record);
    for (const auto& segment : segments) append(out, segment);
    for (const Guest& guest : guests)
        for (const package::Device& device : guest.devices) append(out, device);
    for (const auto& table : tables) out.insert(out.end(), table.begin(), table.end());
    for (size_t i = 0; i < records.size(); ++i)
        for (const Elf32_Phdr& s : loaded[i].segments) {
            out.insert(out.end(), guests[i].elf.begin() + s.p_offset,
                       guests[i].elf.begin() + s.p_offset + s.p_filesz);
            out.resize((out.size() + 3) & ~size_t(3));
        }
    std::memcpy(out.data(), &header, sizeof header);
    header.checksum = package::crc32(out.data() + package::checksummed_from,
                                     uint32_t(out.size() - package::checksummed_from));
    std::memcpy(out.data(), &header, sizeof header);
    result.ok = true;
    return result;
}

std::vector<std::string> describe(const package::View& view)
{
    std::vector<std::string> lines;
    for (uint32_t i = 0; i < view.header->partition_count; ++i) {
        const package::Partition& p = view.partitions[i];
        char line[200];
        std::snprintf(line, sizeof line,
                      "%s: %u MiB at %08x, entry %08x, %u rewritten instructions, priority %u", p.name,
                      unsigned(p.window_size >> 20), unsigned(p.window_base), unsigned(p.entry),
                      unsigned(view.rewrites(p).count), unsigned(p.priority));
        lines.push_back(line);
    }
    return lines;
}

}  // namespace pack
