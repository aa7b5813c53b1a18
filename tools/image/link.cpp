// The bootable image: the monitor's segments and the package, as one ELF and as raw bytes.
#include <elf.h>

#include <cstring>

#include "tools/image/system.hpp"

namespace image {

namespace {

using core::package::package_limit;
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

std::string link_image(const std::vector<uint8_t>& monitor, const std::vector<uint8_t>& package,
                       uint32_t ram_base, std::vector<uint8_t>& elf, std::vector<uint8_t>& raw)
{
    Elf32_Ehdr header;
    if (!arm_executable(monitor, header) || header.e_phentsize != sizeof(Elf32_Phdr))
        return "not an ARM executable ELF";
    if (package.size() > package_limit) return "the package is larger than 15 MiB";
    std::vector<Elf32_Phdr> segments;
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf32_Phdr s;
        if (!read(monitor, header.e_phoff + uint64_t(i) * sizeof s, s)) return "program headers truncated";
        if (s.p_type != PT_LOAD || !s.p_filesz) continue;
        if (uint64_t(s.p_offset) + s.p_filesz > monitor.size()) return "a loadable segment is truncated";
        if (s.p_paddr < ram_base || uint64_t(s.p_paddr) + s.p_memsz > uint64_t(ram_base) + package_offset)
            return "a loadable segment is outside the monitor's MiB at the board's RAM base";
        segments.push_back(s);
    }
    if (segments.empty()) return "no loadable segment";
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
    out.e_phnum = uint16_t(segments.size());
    uint32_t offset = uint32_t(sizeof out + segments.size() * sizeof(Elf32_Phdr));
    elf.assign(offset, 0);
    raw.assign(package_offset + package.size(), 0);
    for (size_t i = 0; i < segments.size(); ++i) {
        Elf32_Phdr& s = segments[i];
        const uint8_t* bytes = i + 1 < segments.size() ? monitor.data() + s.p_offset : package.data();
        offset = (offset + 15) & ~15u;
        elf.resize(offset);
        elf.insert(elf.end(), bytes, bytes + s.p_filesz);
        std::memcpy(raw.data() + (s.p_paddr - ram_base), bytes, s.p_filesz);
        s.p_offset = offset;
        s.p_align = 16;
        offset += s.p_filesz;
    }
    std::memcpy(elf.data(), &out, sizeof out);
    std::memcpy(elf.data() + sizeof out, segments.data(), segments.size() * sizeof(Elf32_Phdr));
    return {};
}

}  // namespace image
