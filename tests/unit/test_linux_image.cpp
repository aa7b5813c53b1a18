// linux_guest (tools/image/linux.cpp): a kernel as a distribution ships it (zImage or Image) and
// its vmlinux made into the packer's guest ELF, refused unless they are one build; and the
// system properties that name them. The vmlinux here is made in the shape of an ARM kernel's:
// linked in the linear map from its entry, a vector page linked at 0xffff0000 but loaded after
// the text, data with bss.
#include <catch2/catch.hpp>
#include <elf.h>
#include <lzma.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/unit/system_source.hpp"
#include "tools/image/system.hpp"
#include "tools/rewriter/rewriter.hpp"

using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;
using system_source::scratch;

struct Load {
    uint32_t vaddr, paddr, filesz, memsz;
    uint8_t fill;
};

constexpr uint32_t mrs_r0_cpsr = 0xe10f0000;  // sensitive: rewritten

constexpr Load kernel_loads[] = {
    {0xc0008000, 0xc0008000, 0x100, 0x100, 0x11},  // text, from the entry
    {0xffff0000, 0xc0008100, 0x20, 0x20, 0x22},    // the vectors: linked high, loaded after it
    {0xc0008200, 0xc0008200, 0x40, 0x1000, 0x33},  // data, then bss
};

/// The vmlinux: ELF header, program headers, each segment's bytes (`fill`, then its offset's low byte).
/// Its ftrace table (__start_mcount_loc) has one entry, `mcount_site`: by default a data word.
std::vector<uint8_t> vmlinux(uint32_t mcount_site = 0xc0008200, const char* extra = "start_kernel",
                             uint32_t extra_value = 0xc0008400)
{
    const size_t count = std::size(kernel_loads);
    std::vector<uint8_t> elf(0x1000 * (count + 1));
    Elf32_Ehdr h{};
    std::memcpy(h.e_ident, ELFMAG, SELFMAG);
    h.e_ident[EI_CLASS] = ELFCLASS32;
    h.e_ident[EI_DATA] = ELFDATA2LSB;
    h.e_ident[EI_VERSION] = EV_CURRENT;
    h.e_type = ET_EXEC;
    h.e_machine = EM_ARM;
    h.e_version = EV_CURRENT;
    h.e_entry = 0xc0008000;
    h.e_phoff = sizeof h;
    h.e_ehsize = sizeof h;
    h.e_phentsize = sizeof(Elf32_Phdr);
    h.e_phnum = uint16_t(count + 1);
    std::memcpy(elf.data(), &h, sizeof h);
    for (size_t i = 0; i < count; ++i) {
        const Load& l = kernel_loads[i];
        const uint32_t flags = i < 2 ? PF_R | PF_X : PF_R | PF_W;  // text and vectors executable
        Elf32_Phdr p{PT_LOAD, uint32_t(0x1000 * (i + 1)), l.vaddr, l.paddr, l.filesz, l.memsz, flags, 0x1000};
        std::memcpy(elf.data() + sizeof h + i * sizeof p, &p, sizeof p);
        for (uint32_t b = 0; b < l.filesz; ++b) elf[p.p_offset + b] = uint8_t(l.fill ^ b);
        if (i < 2)
            std::memcpy(elf.data() + p.p_offset, &mrs_r0_cpsr, 4);  // the text's and the vectors' first word
        if (i == 2) std::memcpy(elf.data() + p.p_offset + 0x10, &mcount_site, 4);
    }
    const Elf32_Phdr note{PT_NOTE, 0, 0, 0, 0, 0, PF_R, 4};
    std::memcpy(elf.data() + sizeof h + count * sizeof note, &note, sizeof note);

    // Sections: the text, its mapping symbol ($d: nothing to rewrite) and the names.
    const auto append = [&elf](const void* bytes, size_t size) {
        const uint32_t at = uint32_t(elf.size());
        elf.insert(elf.end(), static_cast<const uint8_t*>(bytes), static_cast<const uint8_t*>(bytes) + size);
        return at;
    };
    // Names: .text 1, .symtab 7, .strtab 15, .shstrtab 23, $a 33, $d 36, .vectors 39,
    // __start_mcount_loc 48, __stop_mcount_loc 67, `extra` 85.
    std::string names(
        "\0.text\0.symtab\0.strtab\0.shstrtab\0$a\0$d\0.vectors\0__start_mcount_loc\0__stop_mcount_loc\0",
        85);
    names += extra;
    const uint32_t names_at = append(names.c_str(), names.size() + 1);
    const Elf32_Sym symbols[8] = {{},
                                  {85, extra_value, 0, STT_FUNC, 0, 1},
                                  {33, 0xc0008000, 0, STT_NOTYPE, 0, 1},
                                  {36, 0xc0008004, 0, STT_NOTYPE, 0, 1},
                                  {33, 0xffff0000, 0, STT_NOTYPE, 0, 5},
                                  {36, 0xffff0004, 0, STT_NOTYPE, 0, 5},
                                  {48, 0xc0008210, 0, STT_NOTYPE, 0, SHN_ABS},
                                  {67, 0xc0008214, 0, STT_NOTYPE, 0, SHN_ABS}};
    const uint32_t symbols_at = append(symbols, sizeof symbols);
    const Elf32_Shdr sections[6] = {
        {},
        {1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0xc0008000, 0x1000, 0x100, 0, 0, 4, 0},
        {7, SHT_SYMTAB, 0, 0, symbols_at, sizeof symbols, 3, 1, 4, sizeof(Elf32_Sym)},
        {15, SHT_STRTAB, 0, 0, names_at, uint32_t(names.size() + 1), 0, 0, 1, 0},
        {23, SHT_STRTAB, 0, 0, names_at, uint32_t(names.size() + 1), 0, 0, 1, 0},
        {39, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0xffff0000, 0x2000, 0x20, 0, 0, 4, 0},
    };
    h.e_shoff = append(sections, sizeof sections);
    h.e_shentsize = sizeof(Elf32_Shdr);
    h.e_shnum = 6;
    h.e_shstrndx = 4;
    std::memcpy(elf.data(), &h, sizeof h);
    return elf;
}

/// What `objcopy -O binary` makes of it: the loaded bytes by load address, gaps zero.
std::vector<uint8_t> kernel_image(uint32_t mcount_site = 0xc0008200)
{
    std::vector<uint8_t> out(0x240);
    for (const Load& l : kernel_loads)
        for (uint32_t b = 0; b < l.filesz; ++b) out[l.paddr - 0xc0008000 + b] = uint8_t(l.fill ^ b);
    std::memcpy(out.data(), &mrs_r0_cpsr, 4);
    std::memcpy(out.data() + 0x100, &mrs_r0_cpsr, 4);
    std::memcpy(out.data() + 0x210, &mcount_site, 4);
    return out;
}

std::vector<uint8_t> xz(const std::vector<uint8_t>& bytes)
{
    std::vector<uint8_t> out(bytes.size() + 1024);
    size_t size = 0;
    REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, nullptr, bytes.data(), bytes.size(), out.data(),
                                    &size, out.size()) == LZMA_OK);
    out.resize(size);
    return out;
}

/// A zImage: its magic at 0x24, a decoy XZ magic in the decompressor's code, then the payload
/// and its size, as the kernel's build appends it.
std::vector<uint8_t> zimage(const std::vector<uint8_t>& payload)
{
    std::vector<uint8_t> z(0x200, 0);
    const uint32_t magic = 0x016f2818;
    std::memcpy(z.data() + 0x24, &magic, 4);
    const uint8_t decoy[] = {0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3};
    std::memcpy(z.data() + 0x100, decoy, sizeof decoy);
    const std::vector<uint8_t> stream = xz(payload);
    z.insert(z.end(), stream.begin(), stream.end());
    const uint32_t size = uint32_t(payload.size());
    z.insert(z.end(), reinterpret_cast<const uint8_t*>(&size), reinterpret_cast<const uint8_t*>(&size) + 4);
    return z;
}

Elf32_Phdr program_header(const std::vector<uint8_t>& elf, unsigned i)
{
    Elf32_Phdr p;
    std::memcpy(&p, elf.data() + sizeof(Elf32_Ehdr) + i * sizeof p, sizeof p);
    return p;
}

std::string refusal(const std::vector<uint8_t>& kernel, const std::vector<uint8_t>& symbols)
{
    std::vector<uint8_t> elf;
    return image::linux_guest(kernel, symbols, 0x60000000, core::Architecture::v7, elf);
}

}  // namespace

TEST_CASE("linux kernel: an Image and its vmlinux become vmlinux loaded from RAM base + TEXT_OFFSET")
{
    const std::vector<uint8_t> symbols = vmlinux();
    for (const std::vector<uint8_t>& kernel : {kernel_image(), zimage(kernel_image())}) {
        std::vector<uint8_t> elf;
        REQUIRE(image::linux_guest(kernel, symbols, 0x60000000, core::Architecture::v7, elf).empty());
        REQUIRE(elf.size() == symbols.size());
        for (unsigned i = 0; i < std::size(kernel_loads); ++i) {
            const Elf32_Phdr p = program_header(elf, i), q = program_header(symbols, i);
            CHECK(p.p_paddr == kernel_loads[i].paddr - 0xc0000000 + 0x60000000);
            CHECK(p.p_vaddr == q.p_vaddr);  // the sections' addresses: the rewriter maps them by these
            CHECK((p.p_offset == q.p_offset && p.p_filesz == q.p_filesz && p.p_memsz == q.p_memsz));
        }
        CHECK(program_header(elf, 3).p_type == PT_NOTE);
        CHECK(program_header(elf, 3).p_paddr == 0);  // not a loadable one: left alone
        const size_t headers = sizeof(Elf32_Ehdr) + 4 * sizeof(Elf32_Phdr);
        CHECK(std::vector<uint8_t>(elf.begin() + headers, elf.end()) ==
              std::vector<uint8_t>(symbols.begin() + headers, symbols.end()));
    }
}

TEST_CASE("linux kernel: a vmlinux of another build, or not a vmlinux, is refused with the difference")
{
    std::vector<uint8_t> other = kernel_image();
    other[0x105] ^= 1;
    CHECK_THAT(
        refusal(other, vmlinux()),
        Contains(
            "vmlinux: its loaded bytes are not the kernel's (the first difference at offset 0x00000105") &&
            Contains("not the same build"));
    CHECK_THAT(refusal(zimage(other), vmlinux()), Contains("first difference at offset 0x00000105"));
    std::vector<uint8_t> longer = kernel_image();
    longer.push_back(0);
    CHECK_THAT(refusal(longer, vmlinux()), Contains("the kernel's Image is 577 bytes, vmlinux's 576"));
    CHECK_THAT(refusal(kernel_image(), kernel_image()),
               Contains("vmlinux: not a 32-bit little-endian ARM executable"));
    std::vector<uint8_t> moved = vmlinux();
    Elf32_Ehdr h;
    std::memcpy(&h, moved.data(), sizeof h);
    h.e_entry += 4;
    std::memcpy(moved.data(), &h, sizeof h);
    CHECK_THAT(refusal(kernel_image(), moved), Contains("vmlinux: does not start at its entry 0xc0008004"));
}

TEST_CASE("linux kernel: a zImage without an XZ payload, or a damaged one, is refused")
{
    std::vector<uint8_t> gzip(0x400, 0);
    const uint32_t magic = 0x016f2818;
    std::memcpy(gzip.data() + 0x24, &magic, 4);
    gzip[0x200] = 0x1f;
    gzip[0x201] = 0x8b;
    CHECK_THAT(refusal(gzip, vmlinux()), Contains("kernel: a zImage without an XZ payload"));
    std::vector<uint8_t> damaged = zimage(kernel_image());
    damaged[damaged.size() - 40] ^= 0xff;
    CHECK_THAT(refusal(damaged, vmlinux()), Contains("kernel: its XZ payload does not decompress"));
}

TEST_CASE("linux kernel: a partition boots an image or a kernel with its vmlinux, which must exist")
{
    const auto load_error = [](const std::string& properties) {
        const std::string source =
            "/dts-v1/;\n/include/ \"vexpress-a9.dtsi\"\n/ {\ncellvisor {\ncompatible = "
            "\"cellvisor,system\";\nlinux {\n" +
            properties + "\n};\n};\n};\n";
        std::string messages;
        const std::vector<uint8_t> blob = system_source::compile(source, &messages);
        INFO(messages);
        REQUIRE_FALSE(blob.empty());
        image::System system;
        image::Error error;
        CHECK_FALSE(
            image::load(blob, {scratch().string(), {fs::absolute("samples").string()}}, system, error));
        CHECK(error.node == "/cellvisor/linux");
        return error.reason;
    };
    system_source::write_bytes(scratch() / "zImage", zimage(kernel_image()));
    system_source::write_bytes(scratch() / "vmlinux", vmlinux());
    CHECK_THAT(load_error("kernel = \"zImage\";"), Contains("kernel: needs vmlinux"));
    CHECK_THAT(load_error("kernel = \"zImage\"; image = \"rewrite_sample.elf\"; vmlinux = \"vmlinux\";"),
               Contains("image and kernel: a partition boots one of them"));
    CHECK_THAT(load_error("image = \"rewrite_sample.elf\"; vmlinux = \"vmlinux\";"),
               Contains("vmlinux: only with kernel"));
    CHECK_THAT(load_error("kernel = \"zImage\"; vmlinux = \"no-vmlinux\";"),
               Contains("vmlinux: no file 'no-vmlinux'"));
    CHECK_THAT(load_error(""), Contains("no image"));
}

TEST_CASE(
    "linux kernel: build packs it entered at RAM base + TEXT_OFFSET with its device tree, or names the file")
{
    system_source::write_bytes(scratch() / "zImage", zimage(kernel_image()));
    system_source::write_bytes(scratch() / "vmlinux", vmlinux());
    std::vector<uint8_t> other = kernel_image();
    other[0x10] ^= 1;
    system_source::write_bytes(scratch() / "zImage-other", zimage(other));
    const auto build = [](const std::string& kernel, image::System& system, pack::Result& result) {
        const std::string source =
            "/dts-v1/;\n/include/ \"vexpress-a9.dtsi\"\n/ {\ncellvisor {\ncompatible = "
            "\"cellvisor,system\";\nlinux {\nkernel = \"" +
            kernel + "\"; vmlinux = \"vmlinux\"; bootargs = \"console=ttyAMA0\";\n};\n};\n};\n";
        const std::vector<uint8_t> blob = system_source::compile(source);
        REQUIRE_FALSE(blob.empty());
        image::Error error;
        const bool ok = image::build(blob, {scratch().string(), {}}, system, result, error);
        return ok ? std::string() : error.node + ": " + error.reason;
    };
    image::System system;
    pack::Result result;
    CHECK(build("zImage", system, result) == "");
    REQUIRE(result.ok);
    REQUIRE(system.partitions[0].device_tree);
    CHECK(system.guests[0].device_tree == 0x60000000 + 16 * (1u << 20) - 0x10000);
    REQUIRE(result.ok);
    CHECK_THAT(result.report.at(0), Contains("entry 0x60008000"));

    CHECK(build("zImage-other", system, result) ==
          "/cellvisor/linux: vmlinux: " + (scratch() / "vmlinux").string() +
              ": its loaded bytes are not the kernel's (the first difference at offset 0x00000010; the "
              "kernel's "
              "Image is 576 bytes, vmlinux's 576): not the same build");
}

TEST_CASE("linux kernel: its text's rewrites name load addresses, the copied vectors' where they run")
{
    std::vector<uint8_t> elf;
    REQUIRE(image::linux_guest(zimage(kernel_image()), vmlinux(), 0x60000000, core::Architecture::v7, elf)
                .empty());
    const rewriter::Result r = rewriter::rewrite(elf, core::Architecture::v7);
    REQUIRE(r.ok);
    REQUIRE(r.rewritten.size() == 2);
    CHECK(r.rewritten[0].entry.address == 0x60008000);        // in place: the guest-physical address
    CHECK(r.rewritten[1].entry.address == (0xffff0000 | 1));  // copied by the kernel: where it runs
    CHECK(r.rewritten[1].entry.original == mrs_r0_cpsr);
}

TEST_CASE("linux kernel: a place the kernel patches at run time may not hold a rewritten instruction")
{
    // ftrace's table naming the text's first word, `mrs r0, cpsr`, which the rewriter replaces.
    CHECK(
        refusal(kernel_image(0xc0008000), vmlinux(0xc0008000)) ==
        "vmlinux: an ftrace call at 0xc0008000 patches an instruction the rewriter replaces: not supported");
    CHECK(refusal(kernel_image(0xc0008200), vmlinux(0xc0008200)).empty());  // a data word: not patched code
}

TEST_CASE("linux kernel: a Thumb-2 or an LPAE kernel is refused with the reason")
{
    CHECK(refusal(kernel_image(), vmlinux(0xc0008200, "start_kernel", 0xc0008401)) ==
          "vmlinux: a Thumb-2 kernel (CONFIG_THUMB2_KERNEL: start_kernel is Thumb code); the rewriter takes "
          "ARM "
          "kernels only");
    CHECK(refusal(kernel_image(), vmlinux(0xc0008200, "lpae_pgtables_remap_asm")) ==
          "vmlinux: an LPAE kernel (CONFIG_ARM_LPAE); the monitor shadows the short-descriptor translation "
          "tables only");
    CHECK(refusal(kernel_image(), vmlinux()).empty());  // an ARM start_kernel
}
