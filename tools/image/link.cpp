// The bootable image: the monitor's segments and the package, as one ELF and as raw bytes.
#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "tools/image/system.hpp"

namespace image {

namespace {

using core::package::package_offset;

template <typename T>
bool read(const std::vector<uint8_t>& bytes, uint64_t offset, T& value)
{
    if (offset > bytes.size() || bytes.size() - offset < sizeof value) return false;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return true;
}

bool arm_executable(const std::vector<uint8_t>& elf, Elf32_Ehdr& header)
{
    return read(elf, 0, header) && std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 &&
           header.e_ident[EI_CLASS] == ELFCLASS32 && header.e_ident[EI_DATA] == ELFDATA2LSB &&
           header.e_machine == EM_ARM && header.e_type == ET_EXEC;
}

}  // namespace

std::string monitor_configuration(const std::vector<uint8_t>& elf)
{
    Elf32_Ehdr header;
    Elf32_Shdr names;
    if (!arm_executable(elf, header) || header.e_shentsize != sizeof(Elf32_Shdr) ||
        !read(elf, header.e_shoff + uint64_t(header.e_shstrndx) * sizeof names, names))
        return {};
    for (unsigned i = 0; i < header.e_shnum; ++i) {
        Elf32_Shdr section;
        if (!read(elf, header.e_shoff + uint64_t(i) * sizeof section, section)) return {};
        const uint64_t name = uint64_t(names.sh_offset) + section.sh_name;
        static constexpr char wanted[] = ".cellvisor.configuration";
        if (name + sizeof wanted > elf.size() || std::memcmp(elf.data() + name, wanted, sizeof wanted) != 0)
            continue;
        if (uint64_t(section.sh_offset) + section.sh_size > elf.size() || section.sh_size == 0) return {};
        const char* text = reinterpret_cast<const char*>(elf.data() + section.sh_offset);
        return std::string(text, strnlen(text, section.sh_size));
    }
    return {};
}

namespace {

/// The loadable segments with bytes of an ARM executable, in the order of its program headers.
std::string loadable_segments(const std::vector<uint8_t>& elf, Elf32_Ehdr& header,
                              std::vector<Elf32_Phdr>& out)
{
    if (!arm_executable(elf, header) || header.e_phentsize != sizeof(Elf32_Phdr))
        return "not an ARM executable ELF";
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf32_Phdr s;
        if (!read(elf, header.e_phoff + uint64_t(i) * sizeof s, s)) return "program headers truncated";
        if (s.p_type != PT_LOAD || !s.p_filesz) continue;
        if (uint64_t(s.p_offset) + s.p_filesz > elf.size()) return "a loadable segment is truncated";
        out.push_back(s);
    }
    if (out.empty()) return "no loadable segment";
    return {};
}

/// The monitor's seal over its segments with bytes (read-only, then data): as stamped, the
/// last word of the first, and as its bytes compute it (core::package::monitor_seal).
std::string seal_of(const std::vector<uint8_t>& elf, const std::vector<Elf32_Phdr>& monitor, Seal& seal)
{
    if (monitor.size() > 2 || monitor[0].p_filesz < 4)
        return "not a sealed monitor (its loadable bytes are not one read-only and one data segment)";
    const uint8_t* read_only = elf.data() + monitor[0].p_offset;
    const uint32_t read_only_size = monitor[0].p_filesz - 4;
    std::memcpy(&seal.stamped, read_only + read_only_size, 4);
    const uint8_t* data = monitor.size() == 2 ? elf.data() + monitor[1].p_offset : nullptr;
    seal.computed = core::package::monitor_seal(read_only, read_only_size, data,
                                                monitor.size() == 2 ? monitor[1].p_filesz : 0);
    return {};
}

}  // namespace

namespace {

constexpr char note_name[] = "Cellvisor";  // with its NUL, 10 bytes: 12 in the note
constexpr uint32_t note_type_board = 1;
constexpr size_t configuration_size = 32;  // NUL-padded

/// The note's bytes: header, name, then the configuration and the board's words.
std::vector<uint8_t> note_bytes(const Board_note& note)
{
    std::vector<uint32_t> words{note.ram_base,
                                note.ram_size,
                                note.windows_base,
                                note.lines[0],
                                note.lines[1],
                                note.lines[2],
                                uint32_t(note.reserved.size())};
    words.insert(words.end(), note.reserved.begin(), note.reserved.end());
    words.push_back(note.architecture);  // after the pages: a reader that predates it stops before
    const Elf32_Nhdr header{sizeof note_name, uint32_t(configuration_size + 4 * words.size()),
                            note_type_board};
    std::vector<uint8_t> bytes(sizeof header + 12 + header.n_descsz, 0);
    std::memcpy(bytes.data(), &header, sizeof header);
    std::memcpy(bytes.data() + sizeof header, note_name, sizeof note_name);
    std::memcpy(bytes.data() + sizeof header + 12, note.configuration.data(),
                std::min(note.configuration.size(), configuration_size - 1));
    std::memcpy(bytes.data() + sizeof header + 12 + configuration_size, words.data(), 4 * words.size());
    return bytes;
}

/// Reads the note of a PT_NOTE segment's bytes; false when it is not ours or is cut short.
bool read_note(const uint8_t* bytes, size_t size, Board_note& note)
{
    Elf32_Nhdr header;
    if (size < sizeof header + 12 + configuration_size + 28) return false;
    std::memcpy(&header, bytes, sizeof header);
    if (header.n_namesz != sizeof note_name || header.n_type != note_type_board ||
        std::memcmp(bytes + sizeof header, note_name, sizeof note_name) != 0 ||
        header.n_descsz > size - sizeof header - 12 || header.n_descsz < configuration_size + 28)
        return false;
    const uint8_t* desc = bytes + sizeof header + 12;
    note.configuration.assign(reinterpret_cast<const char*>(desc),
                              strnlen(reinterpret_cast<const char*>(desc), configuration_size));
    std::vector<uint32_t> words((header.n_descsz - configuration_size) / 4);
    std::memcpy(words.data(), desc + configuration_size, 4 * words.size());
    if (words[6] > words.size() - 7) return false;
    note.ram_base = words[0];
    note.ram_size = words[1];
    note.windows_base = words[2];
    for (unsigned i = 0; i < 3; ++i) note.lines[i] = words[3 + i];
    note.reserved.assign(words.begin() + 7, words.begin() + 7 + words[6]);
    note.architecture = words.size() > 7 + words[6] ? words[7 + words[6]] : 0;
    return true;
}

}  // namespace

Board_note board_note(const Board& b)
{
    Board_note note;
    note.configuration = b.configuration;
    note.ram_base = b.ram_base;
    note.ram_size = b.ram_size;
    note.windows_base = b.ram_base + core::package::windows_offset;
    note.architecture = uint32_t(b.architecture);
    for (unsigned line = b.first_line; line - b.first_line < b.line_count && line < 96; ++line)
        note.lines[line / 32] |= 1u << line % 32;
    for (const Device& d : b.devices) {
        if (d.emulated < 0) continue;
        for (unsigned line : d.lines)
            if (line < 96) note.lines[line / 32] &= ~(1u << line % 32);
        for (const core::package::Device& r : d.ranges) note.reserved.push_back(r.address & ~0xfffu);
    }
    return note;
}

namespace {

/// The image of the monitor whose ELF header is `header` and whose loadable segments with bytes
/// are `segments` (their bytes in `source`), with the package and the note: link_image's, and
/// relink_image's from an image's own segments.
void link(const Elf32_Ehdr& header, const std::vector<uint8_t>& source, std::vector<Elf32_Phdr> segments,
          const std::vector<uint8_t>& package, uint32_t ram_base, std::vector<uint8_t>& elf,
          std::vector<uint8_t>& raw, const Board_note* note)
{
    Elf32_Phdr p{};
    p.p_type = PT_LOAD;
    p.p_vaddr = p.p_paddr = ram_base + package_offset;
    p.p_filesz = p.p_memsz = uint32_t(package.size());
    p.p_flags = PF_R;
    p.p_align = 4;
    segments.push_back(p);

    // ELF header, program headers, then each segment's bytes.
    Elf32_Ehdr out{};
    std::memcpy(out.e_ident, header.e_ident, EI_NIDENT);
    out.e_type = ET_EXEC;
    out.e_machine = EM_ARM;
    out.e_version = EV_CURRENT;
    out.e_entry = header.e_entry;
    out.e_phoff = sizeof out;
    out.e_flags = header.e_flags;
    out.e_ehsize = sizeof out;
    out.e_phentsize = sizeof(Elf32_Phdr);
    out.e_phnum = uint16_t(segments.size() + (note ? 1 : 0));
    uint32_t offset = uint32_t(sizeof out + out.e_phnum * sizeof(Elf32_Phdr));
    elf.assign(offset, 0);
    raw.assign(package_offset + package.size(), 0);
    for (size_t i = 0; i < segments.size(); ++i) {
        Elf32_Phdr& s = segments[i];
        const uint8_t* bytes = i + 1 < segments.size() ? source.data() + s.p_offset : package.data();
        offset = (offset + 15) & ~15u;
        elf.resize(offset);
        elf.insert(elf.end(), bytes, bytes + s.p_filesz);
        std::memcpy(raw.data() + (s.p_paddr - ram_base), bytes, s.p_filesz);
        s.p_offset = offset;
        s.p_align = 16;
        offset += s.p_filesz;
    }
    if (note) {
        const std::vector<uint8_t> bytes = note_bytes(*note);
        Elf32_Phdr n{};
        n.p_type = PT_NOTE;
        n.p_offset = (offset + 3) & ~3u;
        n.p_filesz = uint32_t(bytes.size());
        n.p_align = 4;
        elf.resize(n.p_offset);
        elf.insert(elf.end(), bytes.begin(), bytes.end());
        segments.push_back(n);
    }
    std::memcpy(elf.data(), &out, sizeof out);
    std::memcpy(elf.data() + sizeof out, segments.data(), segments.size() * sizeof(Elf32_Phdr));
}

}  // namespace

std::string link_image(const std::vector<uint8_t>& monitor, const std::vector<uint8_t>& package,
                       uint32_t ram_base, std::vector<uint8_t>& elf, std::vector<uint8_t>& raw,
                       const Board_note* note)
{
    Elf32_Ehdr header;
    std::vector<Elf32_Phdr> segments;
    if (const std::string why = loadable_segments(monitor, header, segments); !why.empty()) return why;
    if (note && uint64_t(package_offset) + package.size() > note->ram_size)
        return "the package (" + std::to_string(package.size() >> 20) + " MiB) does not fit the board's RAM";
    for (const Elf32_Phdr& s : segments)
        if (s.p_paddr < ram_base || uint64_t(s.p_paddr) + s.p_memsz > uint64_t(ram_base) + package_offset)
            return "a loadable segment is outside the monitor's MiB at the board's RAM base";
    Seal seal;
    if (const std::string why = seal_of(monitor, segments, seal); !why.empty()) return why;
    if (!seal.intact()) return seal_mismatch(seal);
    link(header, monitor, segments, package, ram_base, elf, raw, note);
    return {};
}

std::string seal_mismatch(const Seal& seal)
{
    char words[160];
    std::snprintf(words, sizeof words,
                  "the monitor's seal %08x does not match its bytes (%08x): corrupt, or not stamped by "
                  "tools/seal-monitor",
                  unsigned(seal.stamped), unsigned(seal.computed));
    return words;
}

std::string read_image(const std::vector<uint8_t>& elf, Image& image)
{
    Elf32_Ehdr header;
    std::vector<Elf32_Phdr> segments;
    if (const std::string why = loadable_segments(elf, header, segments); !why.empty()) return why;
    for (unsigned i = 0; i < header.e_phnum && !image.has_note; ++i) {
        Elf32_Phdr s;
        if (read(elf, header.e_phoff + uint64_t(i) * sizeof s, s) && s.p_type == PT_NOTE &&
            uint64_t(s.p_offset) + s.p_filesz <= elf.size())
            image.has_note = read_note(elf.data() + s.p_offset, s.p_filesz, image.note);
    }
    // The monitor loads at RAM base (its first byte is its vector page); a package lies 1 MiB above.
    image.ram_base = segments[0].p_paddr;
    for (const Elf32_Phdr& s : segments) image.ram_base = std::min(image.ram_base, s.p_paddr);
    std::vector<Elf32_Phdr> monitor;
    for (const Elf32_Phdr& s : segments) {
        if (s.p_paddr == image.ram_base + package_offset && !image.has_package) {
            image.has_package = true;
            image.package.assign(elf.begin() + s.p_offset, elf.begin() + s.p_offset + s.p_filesz);
        } else if (uint64_t(s.p_paddr) + s.p_memsz <= uint64_t(image.ram_base) + package_offset) {
            monitor.push_back(s);
            image.monitor_size += s.p_filesz;
        } else {
            return "a loadable segment is neither the monitor's (in the MiB at RAM base) nor the package's "
                   "(at RAM base + 1 MiB)";
        }
    }
    if (monitor.empty()) return "no monitor (nothing loads in the MiB at RAM base)";
    std::sort(monitor.begin(), monitor.end(),
              [](const Elf32_Phdr& a, const Elf32_Phdr& b) { return a.p_paddr < b.p_paddr; });
    return seal_of(elf, monitor, image.seal);
}

std::string relink_image(const std::vector<uint8_t>& image, const std::vector<uint8_t>& package,
                         std::vector<uint8_t>& elf, std::vector<uint8_t>& raw)
{
    Image read;
    if (const std::string why = read_image(image, read); !why.empty()) return why;
    if (!read.has_package) return "no package: a monitor alone, not an image";
    if (!read.has_note) return "no note of the board it was built for: not an image cellvisor-image linked";
    if (!read.seal.intact()) return seal_mismatch(read.seal);
    if (uint64_t(package_offset) + package.size() > read.note.ram_size)
        return "the package (" + std::to_string(package.size() >> 20) + " MiB) does not fit the board's RAM";
    Elf32_Ehdr header;
    std::vector<Elf32_Phdr> segments, monitor;
    loadable_segments(image, header, segments);  // read_image has accepted them
    for (const Elf32_Phdr& s : segments)         // in the order link_image wrote them: the package last
        if (s.p_paddr != read.ram_base + package_offset) monitor.push_back(s);
    link(header, image, monitor, package, read.ram_base, elf, raw, &read.note);
    return {};
}

}  // namespace image
