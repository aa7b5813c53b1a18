// A Linux kernel as a distribution ships it, made into the guest ELF the packer takes
// (docs/linux.md, "The kernel"): the bytes are the kernel's (a zImage's XZ payload, or the
// decompressed Image itself), the mapping symbols the `-dbg` package's vmlinux's, and the two must
// be one build: vmlinux's loaded bytes laid out by load address are the Image, byte for byte.
#include <elf.h>
#include <lzma.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "core/access.hpp"
#include "tools/image/system.hpp"
#include "tools/rewriter/rewriter.hpp"

namespace image {

namespace {

constexpr uint32_t zimage_magic = 0x016f2818;  // at byte 0x24 of an ARM zImage
constexpr uint8_t xz_magic[6] = {0xfd, '7', 'z', 'X', 'Z', 0};
constexpr uint32_t linear_map_align = 16u << 20;  // PAGE_OFFSET and PHYS_OFFSET: 16 MiB multiples
constexpr size_t max_image = 256u << 20;          // more than any 32-bit board's partition

std::string hex(uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

template <typename T>
bool read_at(const std::vector<uint8_t>& bytes, uint64_t offset, T& out)
{
    if (offset > bytes.size() || bytes.size() - offset < sizeof out) return false;
    std::memcpy(&out, bytes.data() + offset, sizeof out);
    return true;
}

/// The XZ stream at `start` decompressed into `image`: LZMA_STREAM_END when whole.
lzma_ret decompress_at(const uint8_t* start, size_t size, std::vector<uint8_t>& image)
{
    lzma_stream stream = LZMA_STREAM_INIT;
    lzma_ret status = lzma_stream_decoder(&stream, UINT64_MAX, 0);
    stream.next_in = start;
    stream.avail_in = size;
    image.clear();
    while (status == LZMA_OK) {
        if (image.size() >= max_image) {
            status = LZMA_MEMLIMIT_ERROR;
            break;
        }
        const size_t done = image.size();
        image.resize(done + (1u << 20));
        stream.next_out = image.data() + done;
        stream.avail_out = 1u << 20;
        status = lzma_code(&stream, LZMA_FINISH);
        image.resize(image.size() - stream.avail_out);
    }
    lzma_end(&stream);
    return status;
}

/// A zImage's payload, decompressed: the Image. The decompressor's own code may hold the XZ magic
/// too, so each place it appears is tried, first to last. "" or why not.
std::string decompress(const std::vector<uint8_t>& zimage, std::vector<uint8_t>& image)
{
    lzma_ret last = LZMA_FORMAT_ERROR;
    for (size_t i = 0; i + sizeof xz_magic <= zimage.size(); ++i)
        if (std::memcmp(zimage.data() + i, xz_magic, sizeof xz_magic) == 0 &&
            (last = decompress_at(zimage.data() + i, zimage.size() - i, image)) == LZMA_STREAM_END)
            return "";
    if (last == LZMA_FORMAT_ERROR)
        return "a zImage without an XZ payload (decompress the kernel another way and name its Image)";
    return "its XZ payload does not decompress (liblzma: " + std::to_string(int(last)) + ")";
}

/// vmlinux's symbols by name (st_value), from its static symbol table.
std::map<std::string, uint32_t> symbols_of(const std::vector<uint8_t>& elf, const Elf32_Ehdr& header)
{
    std::map<std::string, uint32_t> out;
    for (unsigned i = 0; i < header.e_shnum; ++i) {
        Elf32_Shdr table, strings;
        if (!read_at(elf, uint64_t(header.e_shoff) + uint64_t(i) * sizeof table, table) ||
            table.sh_type != SHT_SYMTAB || table.sh_entsize != sizeof(Elf32_Sym) ||
            !read_at(elf, uint64_t(header.e_shoff) + uint64_t(table.sh_link) * sizeof strings, strings) ||
            uint64_t(strings.sh_offset) + strings.sh_size > elf.size())
            continue;
        for (uint32_t at = 0; at + sizeof(Elf32_Sym) <= table.sh_size; at += sizeof(Elf32_Sym)) {
            Elf32_Sym symbol;
            if (!read_at(elf, uint64_t(table.sh_offset) + at, symbol) || symbol.st_name >= strings.sh_size)
                break;
            const char* name = reinterpret_cast<const char*>(elf.data() + strings.sh_offset + symbol.st_name);
            out.emplace(std::string(name, strnlen(name, strings.sh_size - symbol.st_name)), symbol.st_value);
        }
    }
    return out;
}

/// The places the kernel patches its own text at run time, from the tables it patches them by:
/// none may hold an instruction the rewriter replaces (the patch would write over the UDF, and
/// the monitor would no longer know the original), and no SMP-on-UP replacement may be one (it
/// would run unrewritten). Checked: SMP-on-UP alternatives (relative site, replacement),
/// ARM_PATCH_PHYS_VIRT's sites (relative), ftrace's mcount calls and jump labels (absolute).
/// "" or the first offending site; before them, a Thumb-2 or an LPAE kernel is refused.
std::string check_patch_sites(const std::vector<uint8_t>& vmlinux, const Elf32_Ehdr& header,
                              const std::vector<Elf32_Phdr>& loads, core::Architecture architecture)
{
    const auto word_at = [&](uint32_t address, uint32_t& word, bool executable_only) {
        for (const Elf32_Phdr& s : loads)
            if (s.p_filesz >= 4 && address - s.p_vaddr <= s.p_filesz - 4 &&
                (!executable_only || (s.p_flags & PF_X)) &&
                s.p_vaddr == s.p_paddr)  // in place: the vectors, linked elsewhere, run from a copy
                return read_at(vmlinux, uint64_t(s.p_offset) + (address - s.p_vaddr), word);
        return false;
    };
    const auto rewritten = [&](uint32_t word) {
        return rewriter::is_sensitive(core::decode(word, architecture)) ||
               core::unprivileged_transfer(word, architecture);
    };
    const std::map<std::string, uint32_t> symbols = symbols_of(vmlinux, header);
    // Kernels the monitor cannot run, by what their builds leave in the symbols.
    if (const auto at = symbols.find("start_kernel"); at != symbols.end() && at->second & 1)
        return "vmlinux: a Thumb-2 kernel (CONFIG_THUMB2_KERNEL: start_kernel is Thumb code); the rewriter "
               "takes ARM kernels only";
    if (symbols.count("lpae_pgtables_remap_asm"))
        return "vmlinux: an LPAE kernel (CONFIG_ARM_LPAE); the monitor shadows the short-descriptor "
               "translation tables only";
    const auto range = [&](const char* begin, const char* end, uint32_t& from, uint32_t& to) {
        const auto b = symbols.find(begin), e = symbols.find(end);
        if (b == symbols.end() || e == symbols.end() || e->second < b->second) return false;
        from = b->second;
        to = e->second;
        return true;
    };
    struct Table {
        const char *begin, *end, *what;
        uint32_t stride;
        bool relative, with_replacement;
    };
    static const Table tables[] = {
        {"__smpalt_begin", "__smpalt_end", "an SMP-on-UP alternative", 8, true, true},
        {"__pv_table_begin", "__pv_table_end", "a physical-to-virtual patch", 4, true, false},
        {"__start_mcount_loc", "__stop_mcount_loc", "an ftrace call", 4, false, false},
        {"__start___jump_table", "__stop___jump_table", "a jump label", 12, false, false},
    };
    for (const Table& t : tables) {
        uint32_t from, to;
        if (!range(t.begin, t.end, from, to)) continue;  // a kernel built without it
        for (uint32_t entry = from; entry + t.stride <= to; entry += t.stride) {
            uint32_t value, site_word, replacement;
            if (!word_at(entry, value, false))
                return std::string("vmlinux: ") + t.begin + "'s table is not in its file";
            const uint32_t site = t.relative ? entry + value : value;
            if (!word_at(site, site_word, true)) continue;  // data, not code (SMP-on-UP patches data too)
            if (rewritten(site_word))
                return "vmlinux: " + std::string(t.what) + " at " + hex(site) +
                       " patches an instruction the rewriter replaces: not supported";
            if (t.with_replacement && word_at(entry + 4, replacement, false) && rewritten(replacement))
                return "vmlinux: " + std::string(t.what) + " at " + hex(site) + " would write " +
                       hex(replacement) + ", which must be rewritten: not supported";
        }
    }
    return "";
}

}  // namespace

std::string linux_guest(const std::vector<uint8_t>& kernel, const std::vector<uint8_t>& vmlinux,
                        uint32_t ram_base, core::Architecture architecture, std::vector<uint8_t>& elf)
{
    Elf32_Ehdr header;
    if (!read_at(vmlinux, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS32 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
        header.e_machine != EM_ARM || header.e_type != ET_EXEC || header.e_phentsize != sizeof(Elf32_Phdr))
        return "vmlinux: not a 32-bit little-endian ARM executable";

    // vmlinux by load address: the lowest is the kernel's first byte (_text).
    std::vector<Elf32_Phdr> loads;
    uint32_t low = ~0u, high = 0;
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf32_Phdr s;
        if (!read_at(vmlinux, uint64_t(header.e_phoff) + uint64_t(i) * sizeof s, s))
            return "vmlinux: program headers cut off";
        if (s.p_type != PT_LOAD || !s.p_memsz) continue;
        if (s.p_filesz > s.p_memsz || uint64_t(s.p_offset) + s.p_filesz > vmlinux.size() ||
            uint64_t(s.p_paddr) + s.p_memsz > 0x100000000ull)
            return "vmlinux: a loadable segment outside its file or the address space";
        loads.push_back(s);
        low = std::min(low, s.p_paddr);
        if (s.p_filesz) high = std::max(high, s.p_paddr + s.p_filesz);
    }
    if (loads.empty() || high <= low) return "vmlinux: no loadable bytes";
    const uint32_t page_offset =
        low & ~(linear_map_align - 1);  // the linear map's base (VMSPLIT_3G: 0xc0000000)
    if (low - page_offset >= linear_map_align || header.e_entry != low)
        return "vmlinux: does not start at its entry " + hex(header.e_entry) + " (not an ARM Linux kernel)";
    std::vector<uint8_t> laid_out(high - low);
    for (const Elf32_Phdr& s : loads)
        std::memcpy(laid_out.data() + (s.p_paddr - low), vmlinux.data() + s.p_offset, s.p_filesz);

    // The kernel: a zImage, or the Image it decompresses to.
    std::vector<uint8_t> image;
    uint32_t magic = 0;
    if (read_at(kernel, 0x24, magic) && magic == zimage_magic) {
        if (std::string why = decompress(kernel, image); !why.empty()) return "kernel: " + why;
    } else {
        image = kernel;
    }
    if (image.size() != laid_out.size() || image != laid_out) {
        size_t at = 0;
        while (at < image.size() && at < laid_out.size() && image[at] == laid_out[at]) ++at;
        return "vmlinux: its loaded bytes are not the kernel's (the first difference at offset " +
               hex(uint32_t(at)) + "; the kernel's Image is " + std::to_string(image.size()) +
               " bytes, vmlinux's " + std::to_string(laid_out.size()) + "): not the same build";
    }

    if (std::string why = check_patch_sites(vmlinux, header, loads, architecture); !why.empty()) return why;

    // The guest: vmlinux whole (its sections and mapping symbols for the rewriter), each segment
    // loaded where the kernel expects itself, at RAM base + its offset from PAGE_OFFSET.
    elf = vmlinux;
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        const uint64_t at = uint64_t(header.e_phoff) + uint64_t(i) * sizeof(Elf32_Phdr);
        Elf32_Phdr s;
        read_at(elf, at, s);
        if (s.p_type != PT_LOAD) continue;
        s.p_paddr = ram_base + (s.p_paddr - page_offset);
        std::memcpy(elf.data() + at, &s, sizeof s);
    }
    return "";
}

}  // namespace image
