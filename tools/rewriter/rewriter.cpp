#include "tools/rewriter/rewriter.hpp"

#include "core/access.hpp"

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace rewriter {

namespace {

template <typename T>
bool read_at(const std::vector<uint8_t>& bytes, uint64_t offset, T& value)
{
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return true;
}

struct Mapping_symbol {
    uint32_t address;
    char kind;  // 'a', 't' or 'd'
};

}  // namespace

bool is_sensitive(const core::Instruction& in)
{
    using core::Operation;
    switch (in.operation) {
    case Operation::mrs: return !in.spsr();                             // reads mode USR
    case Operation::msr: return !in.spsr() && (in.fields() & 0x3);      // c or x field: dropped in USR
    case Operation::cps: return true;                                   // no effect in USR
    case Operation::wait_for_interrupt: return in.coprocessor() != 15;  // WFI halts the core
    default: return false;  // everything else traps, or runs natively as on the oracle
    }
}

bool is_sensitive_thumb(uint16_t first, uint16_t second)
{
    if ((first & 0xffe8) == 0xb660) return true;  // CPS (16-bit; ARMv7-A ARM A8.8.35 T1)
    if (first == 0xbf30) return true;             // WFI (16-bit)
    if ((first & 0xffef) == 0xf3ef && (second & 0xf0ff) == 0x8000) return !(first & 0x10);  // MRS CPSR
    if ((first & 0xffe0) == 0xf380 && (second & 0xf0ff) == 0x8000)                          // MSR (register)
        return !(first & 0x10) && (second & 0x0300);       // CPSR with the c or x field
    if (first == 0xf3af && (second & 0xd000) == 0x8000) {  // CPS, hints (T2)
        if (second & 0x0700) return true;                  // imod or M: CPS
        return (second & 0xff) == 0x03;                    // WFI.W
    }
    return false;
}

Result rewrite(std::vector<uint8_t>& elf, core::Architecture architecture)
{
    Result result;
    const auto refuse = [&result](std::string reason) {
        result.error = std::move(reason);
        result.rewritten.clear();
        return result;
    };
    Elf32_Ehdr header;
    if (!read_at(elf, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
        return refuse("not an ELF file");
    if (header.e_ident[EI_CLASS] != ELFCLASS32 || header.e_ident[EI_DATA] != ELFDATA2LSB)
        return refuse("not a 32-bit little-endian ELF file");
    if (header.e_machine != EM_ARM)
        return refuse("not an ARM ELF file (e_machine " + std::to_string(header.e_machine) + ")");
    if (header.e_type != ET_EXEC) return refuse("not an executable (linked) ELF file");
    if (header.e_shentsize != sizeof(Elf32_Shdr) || header.e_shnum == 0)
        return refuse("no section headers: code cannot be told from data");

    std::vector<Elf32_Shdr> sections(header.e_shnum);
    for (unsigned i = 0; i < header.e_shnum; ++i)
        if (!read_at(elf, header.e_shoff + uint64_t(i) * sizeof(Elf32_Shdr), sections[i]))
            return refuse("section header table truncated");
    std::vector<Elf32_Phdr> segments(header.e_phnum);
    for (unsigned i = 0; i < header.e_phnum; ++i)
        if (header.e_phentsize != sizeof(Elf32_Phdr) ||
            !read_at(elf, header.e_phoff + uint64_t(i) * sizeof(Elf32_Phdr), segments[i]))
            return refuse("program header table truncated");
    uint32_t entry_offset = 0;  // virtual minus load address of the entry's segment
    for (const Elf32_Phdr& s : segments)
        if (s.p_type == PT_LOAD && header.e_entry - s.p_vaddr < s.p_memsz)
            entry_offset = s.p_vaddr - s.p_paddr;
    const auto section_name = [&](const Elf32_Shdr& s) -> std::string {
        if (header.e_shstrndx >= sections.size()) return "?";
        const Elf32_Shdr& names = sections[header.e_shstrndx];
        if (s.sh_name >= names.sh_size || uint64_t(names.sh_offset) + names.sh_size > elf.size()) return "?";
        const char* start = reinterpret_cast<const char*>(elf.data() + names.sh_offset + s.sh_name);
        return std::string(start, strnlen(start, names.sh_size - s.sh_name));
    };

    // Mapping symbols per section, from the static symbol table (ELF for the ARM Architecture,
    // 5.5.5: "$a", "$t", "$d", optionally followed by ".<anything>").
    std::vector<std::vector<Mapping_symbol>> mapping(sections.size());
    for (const Elf32_Shdr& symtab : sections) {
        if (symtab.sh_type != SHT_SYMTAB || symtab.sh_link >= sections.size()) continue;
        const Elf32_Shdr& strtab = sections[symtab.sh_link];
        if (uint64_t(strtab.sh_offset) + strtab.sh_size > elf.size()) return refuse("string table truncated");
        for (uint64_t offset = 0; offset + sizeof(Elf32_Sym) <= symtab.sh_size; offset += sizeof(Elf32_Sym)) {
            Elf32_Sym symbol;
            if (!read_at(elf, uint64_t(symtab.sh_offset) + offset, symbol))
                return refuse("symbol table truncated");
            if (symbol.st_name + 3 > strtab.sh_size || symbol.st_shndx >= sections.size()) continue;
            const char* name = reinterpret_cast<const char*>(elf.data() + strtab.sh_offset + symbol.st_name);
            if (name[0] == '$' && (name[1] == 'a' || name[1] == 't' || name[1] == 'd') &&
                (name[2] == '\0' || name[2] == '.'))
                mapping[symbol.st_shndx].push_back({symbol.st_value, name[1]});
        }
    }

    std::vector<uint8_t> patched = elf;
    for (unsigned index = 0; index < sections.size(); ++index) {
        const Elf32_Shdr& section = sections[index];
        if (section.sh_type != SHT_PROGBITS || !(section.sh_flags & SHF_EXECINSTR) ||
            !(section.sh_flags & SHF_ALLOC) || section.sh_size == 0)
            continue;
        const std::string name = section_name(section);
        if (uint64_t(section.sh_offset) + section.sh_size > elf.size())
            return refuse(name + ": section data truncated");
        auto& symbols = mapping[index];
        // A mapping symbol outside its section says nothing about it (and a corrupt one must
        // not send the scan beyond the section).
        std::erase_if(symbols, [&section](const Mapping_symbol& m) {
            return m.address < section.sh_addr ||
                   uint64_t(m.address) >= uint64_t(section.sh_addr) + section.sh_size;
        });
        std::stable_sort(symbols.begin(), symbols.end(),
                         [](auto& a, auto& b) { return a.address < b.address; });
        if (symbols.empty() || symbols.front().address != section.sh_addr)
            return refuse(name + ": executable section without mapping symbols ($a/$t/$d) at its start: "
                                 "code cannot be told from data (was the image stripped?)");
        // Its segment: the one holding its bytes (segments may share virtual addresses: Linux's
        // three vector tables are all linked at 0xffff0000).
        const Elf32_Phdr* segment = nullptr;
        for (const Elf32_Phdr& s : segments)
            if (s.p_type == PT_LOAD && section.sh_addr >= s.p_vaddr &&
                uint64_t(section.sh_addr) + section.sh_size <= uint64_t(s.p_vaddr) + s.p_memsz &&
                section.sh_offset - s.p_offset == section.sh_addr - s.p_vaddr)
                segment = &s;
        if (!segment) return refuse(name + ": executable section outside every loadable segment");
        // Code linked to run elsewhere than the image's own offset from its load addresses (the
        // entry's segment's) runs from a copy: its entries name where it runs (core/rewrite.hpp).
        const bool copied = segment->p_vaddr - segment->p_paddr != entry_offset;
        for (size_t m = 0; m < symbols.size(); ++m) {
            const uint64_t start = symbols[m].address;
            const uint64_t end =
                m + 1 < symbols.size() ? symbols[m + 1].address : uint64_t(section.sh_addr) + section.sh_size;
            if (symbols[m].kind == 't') {
                for (uint64_t address = (start + 1) & ~uint64_t(1); address + 2 <= end; address += 2) {
                    const uint64_t file_offset = section.sh_offset + (address - section.sh_addr);
                    uint16_t first = 0, second = 0;  // read_at succeeds: the section lies in the file (above)
                    read_at(elf, file_offset, first);
                    const bool wide = (first >> 11) >= 0x1d;  // 0b11101, 0b11110, 0b11111: 32-bit
                    if (wide && address + 4 <= end) read_at(elf, file_offset + 2, second);
                    if (is_sensitive_thumb(first, second)) {
                        char text[96];
                        if (wide)
                            std::snprintf(text, sizeof text,
                                          ": sensitive Thumb instruction %04x %04x at 0x%08x", first, second,
                                          uint32_t(address));
                        else
                            std::snprintf(text, sizeof text, ": sensitive Thumb instruction %04x at 0x%08x",
                                          first, uint32_t(address));
                        return refuse(name + text + ": Thumb code is not rewritten yet");
                    }
                    if (wide) address += 2;
                }
                continue;
            }
            if (symbols[m].kind != 'a') continue;
            for (uint64_t address = (start + 3) & ~uint64_t(3); address + 4 <= end; address += 4) {
                const uint64_t file_offset = section.sh_offset + (address - section.sh_addr);
                uint32_t word = 0;  // as above
                read_at(elf, file_offset, word);
                if (!is_sensitive(core::decode(word, architecture)) &&
                    !core::unprivileged_transfer(word, architecture))
                    continue;
                if (result.rewritten.size() == core::rewrite::max_entries)
                    return refuse(name + ": more than 65536 sensitive instructions");
                const uint32_t physical =
                    copied ? uint32_t(address) | 1 : segment->p_paddr + uint32_t(address - segment->p_vaddr);
                const uint32_t replacement = core::rewrite::encode(uint32_t(result.rewritten.size()));
                std::memcpy(patched.data() + file_offset, &replacement, 4);
                result.rewritten.push_back({name, uint32_t(address), {physical, word}});
            }
        }
    }
    elf.swap(patched);
    result.ok = true;
    return result;
}

std::vector<uint8_t> table_bytes(const std::vector<Rewritten>& rewritten)
{
    const core::rewrite::Table_header header{core::rewrite::table_magic, uint32_t(rewritten.size())};
    std::vector<uint8_t> bytes(sizeof header + rewritten.size() * sizeof(core::rewrite::Entry));
    std::memcpy(bytes.data(), &header, sizeof header);
    for (size_t i = 0; i < rewritten.size(); ++i)
        std::memcpy(bytes.data() + sizeof header + i * sizeof(core::rewrite::Entry), &rewritten[i].entry,
                    sizeof(core::rewrite::Entry));
    return bytes;
}

}  // namespace rewriter
