// cellvisor-image (tools/image) on systems compiled by dtc: every class of refusal names the node
// and says why; a valid system's windows, devices and lines; the device tree a partition boots
// with; the bootable image the monitor and the package link into. Guest images are the samples
// (tests/data, built into samples/ beside the test binary, which runs in that directory).
#include <catch2/catch.hpp>
#include <elf.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

#include "tests/unit/system_source.hpp"
#include "tools/image/system.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

namespace fs = std::filesystem;
namespace package = core::package;
using system_source::scratch;

constexpr uint32_t mib = 1u << 20;

// --- Systems -----------------------------------------------------------------------------------

/// A partition node with the sample image and `properties`.
std::string partition(const std::string& name, const std::string& properties = "")
{
    return name + " {\n image = \"rewrite_sample.elf\";\n" + properties + "\n};\n";
}

/// A system on boards/dts/BOARD.dtsi: `changes` to the board after it, `partitions` in /cellvisor.
std::string system_on(const std::string& board, const std::string& partitions,
                      const std::string& changes = "")
{
    return "/dts-v1/;\n/include/ \"" + board + ".dtsi\"\n" + changes +
           "\n/ {\ncellvisor {\ncompatible = \"cellvisor,system\";\n" + partitions + "};\n};\n";
}

std::vector<uint8_t> compiled(const std::string& source)
{
    std::string messages;
    std::vector<uint8_t> blob = system_source::compile(source, &messages);
    INFO("dtc: " << messages << "\n" << source);
    REQUIRE_FALSE(blob.empty());
    return blob;
}

/// Images beside the system (the scratch directory), then among the samples.
image::Paths sample_paths() { return {scratch().string(), {fs::absolute("samples").string()}}; }

image::System loaded(const std::string& source, const image::Paths& paths = sample_paths())
{
    image::System system;
    image::Error error;
    const bool ok = image::load(compiled(source), paths, system, error);
    INFO(error.node << ": " << error.reason << "\n" << source);
    REQUIRE(ok);
    return system;
}

image::Error load_refusal(const std::string& source)
{
    image::System system;
    image::Error error;
    const bool ok = image::load(compiled(source), sample_paths(), system, error);
    INFO(source);
    REQUIRE_FALSE(ok);
    return error;
}

struct Built {
    std::vector<uint8_t> blob;
    image::System system;
    pack::Result result;
};

Built built(const std::string& source, const image::Paths& paths = sample_paths())
{
    Built b{compiled(source), {}, {}};
    image::Error error;
    const bool ok = image::build(b.blob, paths, b.system, b.result, error);
    INFO(error.node << ": " << error.reason << "\n" << source);
    REQUIRE(ok);
    REQUIRE(b.result.ok);
    return b;
}

image::Error build_refusal(const std::string& source)
{
    image::System system;
    pack::Result result;
    image::Error error;
    const bool ok = image::build(compiled(source), sample_paths(), system, result, error);
    INFO(source);
    REQUIRE_FALSE(ok);
    return error;
}

std::string sample_path(const char* name) { return fs::absolute(fs::path("samples") / name).string(); }

std::vector<uint8_t> sample(const char* name)
{
    std::vector<uint8_t> bytes = system_source::read_bytes(fs::path("samples") / name);
    REQUIRE_FALSE(bytes.empty());
    return bytes;
}

/// The rewrite sample with its loadable segments moved to physical `ram_base` + their address:
/// a guest linked for a board whose RAM does not start at 0.
std::vector<uint8_t> relocated_sample(uint32_t ram_base)
{
    std::vector<uint8_t> elf = sample("rewrite_sample.elf");
    Elf32_Ehdr header;
    std::memcpy(&header, elf.data(), sizeof header);
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        Elf32_Phdr segment;
        std::memcpy(&segment, elf.data() + header.e_phoff + i * sizeof segment, sizeof segment);
        segment.p_paddr += ram_base;
        std::memcpy(elf.data() + header.e_phoff + i * sizeof segment, &segment, sizeof segment);
    }
    return elf;
}

/// A directory of its own holding `files` (name, bytes): for systems whose images have names.
image::Paths directory_with(const std::string& name,
                            const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files)
{
    const fs::path directory = scratch() / name;
    fs::create_directories(directory);
    for (const auto& [file, bytes] : files) system_source::write_bytes(directory / file, bytes);
    return {directory.string(), {}};
}

/// What the monitor of versatilepb allows a package (boards/versatilepb/board.hpp).
constexpr uint32_t versatilepb_reserved[] = {0x10140000, 0x10003000, 0x101e2000, 0x101e3000, 0x101f1000};
constexpr package::Board versatilepb_monitor{
    0, 128 * mib, 16 * mib, {~(1u << 4 | 1u << 5 | 1u << 12 | 1u << 31), 0, 0}, versatilepb_reserved, 5};
/// ... and of vexpress-a9 (boards/vexpress-a9/board.hpp).
constexpr uint32_t vexpress_reserved[] = {0x1e000000, 0x1e001000, 0x10011000, 0x10012000,
                                          0x10009000, 0x10000000, 0x10001000};
constexpr package::Board vexpress_monitor{
    0x60000000, 1024 * mib, 0x61000000, {0, ~(1u << 2 | 1u << 3 | 1u << 5), ~0u}, vexpress_reserved, 7};

/// The package validated as the monitor validates it, word-aligned.
struct Validated {
    std::vector<uint32_t> words;
    package::View view{};
    package::Refusal refusal = package::Refusal::none;
};

Validated validated(const std::vector<uint8_t>& bytes, const package::Board& board)
{
    Validated v;
    v.words.resize((bytes.size() + 3) / 4);
    std::memcpy(v.words.data(), bytes.data(), bytes.size());
    v.refusal = package::validate(reinterpret_cast<const uint8_t*>(v.words.data()), uint32_t(bytes.size()),
                                  board, v.view);
    return v;
}

size_t device_index(const image::Board& board, const std::string& path)
{
    for (size_t d = 0; d < board.devices.size(); ++d)
        if (board.devices[d].path == path) return d;
    FAIL("no board device " << path);
    return 0;
}

// --- Device trees read back ----------------------------------------------------------------------

std::vector<uint32_t> cells(const void* fdt, const char* path, const char* property)
{
    const int node = fdt_path_offset(fdt, path);
    INFO(path << " " << property);
    REQUIRE(node >= 0);
    int length = 0;
    const auto* value = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, property, &length));
    REQUIRE(value);
    REQUIRE(length % 4 == 0);
    std::vector<uint32_t> out(size_t(length) / 4);
    for (size_t i = 0; i < out.size(); ++i) out[i] = fdt32_to_cpu(value[i]);
    return out;
}

std::string string_property(const void* fdt, const char* path, const char* property)
{
    const int node = fdt_path_offset(fdt, path);
    INFO(path << " " << property);
    REQUIRE(node >= 0);
    const char* value = static_cast<const char*>(fdt_getprop(fdt, node, property, nullptr));
    REQUIRE(value);
    return value;
}

/// Every node's path and every property's name, in the order of the tree.
void walk(const void* fdt, int node, std::set<std::string>& nodes, std::vector<std::string>& properties)
{
    char path[256];
    REQUIRE(fdt_get_path(fdt, node, path, sizeof path) == 0);
    nodes.insert(path);
    int offset;
    fdt_for_each_property_offset(offset, fdt, node)
    {
        const char* name = nullptr;
        REQUIRE(fdt_getprop_by_offset(fdt, offset, &name, nullptr));
        properties.push_back(std::string(path) + ":" + name);
    }
    int child;
    fdt_for_each_subnode(child, fdt, node) walk(fdt, child, nodes, properties);
}

// --- Monitor images -----------------------------------------------------------------------------

/// A monitor ELF as the cross build links one: its code at RAM base (run at fff00000), data
/// with bss after it, a bss-only segment, a non-loadable segment, and a configuration section.
struct Fake_monitor {
    std::vector<uint8_t> elf;
    std::vector<uint8_t> code, data;
    uint32_t entry = 0xfff00000;
};

constexpr uint32_t monitor_phoff = sizeof(Elf32_Ehdr);
constexpr uint32_t code_offset = 0x100, data_offset = 0x200, strings_offset = 0x240,
                   configuration_offset = 0x280, sections_offset = 0x300;
constexpr char section_names[] = "\0.shstrtab\0.cellvisor.configuration";

template <typename T>
void put(std::vector<uint8_t>& bytes, size_t offset, const T& value)
{
    if (bytes.size() < offset + sizeof value) bytes.resize(offset + sizeof value);
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

template <typename T>
T get(const std::vector<uint8_t>& bytes, size_t offset)
{
    T value;
    REQUIRE(offset + sizeof value <= bytes.size());
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

Elf32_Phdr segment(uint32_t type, uint32_t offset, uint32_t virtual_address, uint32_t physical,
                   uint32_t file_size, uint32_t memory_size)
{
    Elf32_Phdr s{};
    s.p_type = type;
    s.p_offset = offset;
    s.p_vaddr = virtual_address;
    s.p_paddr = physical;
    s.p_filesz = file_size;
    s.p_memsz = memory_size;
    s.p_flags = PF_R | PF_X;
    s.p_align = 4;
    return s;
}

Fake_monitor fake_monitor(uint32_t ram_base, const std::string& configuration)
{
    Fake_monitor m;
    for (unsigned i = 0; i < 0x100; ++i) m.code.push_back(uint8_t(0x40 + i));
    for (unsigned i = 0; i < 0x20; ++i) m.data.push_back(uint8_t(0xa0 + i));
    // Sealed as tools/seal-monitor seals a monitor: the last word of its read-only segment.
    const uint32_t seal = package::monitor_seal(m.code.data(), 0xfc, m.data.data(), 0x20);
    std::memcpy(m.code.data() + 0xfc, &seal, 4);
    const Elf32_Phdr segments[] = {
        segment(PT_LOAD, code_offset, 0xfff00000, ram_base, 0x100, 0x100),
        segment(PT_LOAD, data_offset, 0xfff08000, ram_base + 0x8000, 0x20, 0x2000),  // data, then bss
        segment(PT_LOAD, 0, 0xfff10000, ram_base + 0x10000, 0, 0x1000),              // bss only
        segment(0x70000001, code_offset, 0xfff00000, ram_base, 8, 8),                // PT_ARM_EXIDX
    };
    Elf32_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS32;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_EXEC;
    header.e_machine = EM_ARM;
    header.e_version = EV_CURRENT;
    header.e_entry = m.entry;
    header.e_phoff = monitor_phoff;
    header.e_shoff = sections_offset;
    header.e_flags = 0x05000200;
    header.e_ehsize = sizeof header;
    header.e_phentsize = sizeof(Elf32_Phdr);
    header.e_phnum = 4;
    header.e_shentsize = sizeof(Elf32_Shdr);
    header.e_shnum = 3;
    header.e_shstrndx = 1;
    put(m.elf, 0, header);
    for (unsigned i = 0; i < 4; ++i) put(m.elf, monitor_phoff + i * sizeof(Elf32_Phdr), segments[i]);
    m.elf.resize(sections_offset);
    std::memcpy(m.elf.data() + code_offset, m.code.data(), m.code.size());
    std::memcpy(m.elf.data() + data_offset, m.data.data(), m.data.size());
    std::memcpy(m.elf.data() + strings_offset, section_names, sizeof section_names);
    std::memcpy(m.elf.data() + configuration_offset, configuration.c_str(), configuration.size() + 1);
    Elf32_Shdr names{}, configuration_section{};
    names.sh_name = 1;  // .shstrtab
    names.sh_type = SHT_STRTAB;
    names.sh_offset = strings_offset;
    names.sh_size = sizeof section_names;
    configuration_section.sh_name = 11;  // .cellvisor.configuration
    configuration_section.sh_type = SHT_PROGBITS;
    configuration_section.sh_offset = configuration_offset;
    configuration_section.sh_size = uint32_t(configuration.size() + 1);
    put(m.elf, sections_offset, Elf32_Shdr{});
    put(m.elf, sections_offset + sizeof(Elf32_Shdr), names);
    put(m.elf, sections_offset + 2 * sizeof(Elf32_Shdr), configuration_section);
    return m;
}

size_t segment_at(unsigned index) { return monitor_phoff + index * sizeof(Elf32_Phdr); }

/// Runs `work` in a child process: a crash fails a check instead of the test binary. Returns
/// the child's exit status, or 128 + the signal that ended it.
template <typename Work>
int in_child(Work work)
{
    const pid_t child = fork();
    if (child == 0) {
        for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
            std::signal(signal, SIG_DFL);  // not Catch's
        _exit(work());
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// Where property `name` of node `path` starts in `blob`: its tag, its length, its name's offset.
size_t property_at(const std::vector<uint8_t>& blob, const char* path, const char* name)
{
    const void* fdt = blob.data();
    const int node = fdt_path_offset(fdt, path);
    REQUIRE(node >= 0);
    int offset;
    fdt_for_each_property_offset(offset, fdt, node)
    {
        const char* n = nullptr;
        fdt_getprop_by_offset(fdt, offset, &n, nullptr);
        if (n && std::strcmp(n, name) == 0) return fdt_off_dt_struct(fdt) + size_t(offset);
    }
    FAIL("no property " << name << " in " << path);
    return 0;
}

void set_cell(std::vector<uint8_t>& blob, size_t offset, uint32_t value)
{
    const fdt32_t cell = cpu_to_fdt32(value);
    REQUIRE(offset + sizeof cell <= blob.size());
    std::memcpy(blob.data() + offset, &cell, sizeof cell);
}

/// In a child process: 0 built, 1 refused with a node and a reason, 2 refused without, 3 thrown;
/// 128 + a signal when it crashed.
int build_in_child(const std::vector<uint8_t>& blob)
{
    return in_child([&] {
        try {
            image::System system;
            pack::Result result;
            image::Error error;
            if (image::build(blob, sample_paths(), system, result, error)) return 0;
            return error.node.empty() || error.reason.empty() ? 2 : 1;
        } catch (...) {
            return 3;
        }
    });
}

}  // namespace

// === Refusals: the blob and the board ============================================================

TEST_CASE("image: a blob that is not a device tree is refused at /")
{
    const std::vector<uint8_t> valid = compiled(system_on("versatilepb", partition("a")));
    std::vector<uint8_t> bad_magic = valid;
    bad_magic[0] ^= 0xff;
    const std::vector<uint8_t> truncated(valid.begin(), valid.end() - 8);  // totalsize beyond the bytes
    const std::string text = "/ { cellvisor { }; };";
    const std::vector<std::vector<uint8_t>> blobs = {
        {}, {0xd0, 0x0d, 0xfe, 0xed}, {text.begin(), text.end()}, bad_magic, truncated};
    for (const auto& blob : blobs) {
        CAPTURE(blob.size());
        image::System system;
        image::Error error;
        REQUIRE_FALSE(image::load(blob, sample_paths(), system, error));
        CHECK(error.node == "/");
        CHECK_THAT(error.reason, StartsWith("not a device tree blob"));
    }
}

TEST_CASE("image: a system without the board's description is refused")
{
    const image::Error e = load_refusal(
        "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
        "cellvisor { compatible = \"cellvisor,system\"; a { image = \"rewrite_sample.elf\"; }; }; };\n");
    CHECK(e.node == "/");
    CHECK(e.reason == "no cellvisor,configuration: include the board's description (boards/dts)");
}

TEST_CASE("image: the board's description must be one the monitor can use")
{
    const std::string a = partition("a");
    struct Case {
        const char* board;
        const char* changes;
        const char* node;
        const char* reason;
    };
    const Case cases[] = {
        {"versatilepb", "/ { cellvisor,architecture = \"v8\"; };", "/",
         "cellvisor,architecture: expected \"v5\", \"v6\" or \"v7\""},
        {"versatilepb", "/ { /delete-property/ cellvisor,architecture; };", "/",
         "cellvisor,architecture: expected \"v5\", \"v6\" or \"v7\""},
        {"versatilepb", "/ { #address-cells = <2>; };", "/",
         "the board's description must use #address-cells = <1> and #size-cells = <1>"},
        {"vexpress-a9", "/ { #size-cells = <2>; };", "/",
         "the board's description must use #address-cells = <1> and #size-cells = <1>"},
        {"versatilepb", "/ { /delete-property/ interrupt-parent; };", "/",
         "interrupt-parent: no node with phandle 0"},
        {"versatilepb", "/ { interrupt-parent = <0x4242>; };", "/",
         "interrupt-parent: no node with phandle 16962"},
        {"versatilepb", "&vic { /delete-property/ cellvisor,lines; };", "/interrupt-controller@10140000",
         "the interrupt controller needs cellvisor,lines = <FIRST COUNT> (below 96) and #interrupt-cells of "
         "1 or 3"},
        {"vexpress-a9", "&gic { cellvisor,lines = <32 65>; };", "/interrupt-controller@1e001000",
         "the interrupt controller needs cellvisor,lines"},
        {"vexpress-a9", "&gic { #interrupt-cells = <2>; };", "/interrupt-controller@1e001000",
         "the interrupt controller needs cellvisor,lines"},
        {"versatilepb", "/ { memory@0 { reg = <0 0x4000000 0x8000000 0x4000000>; }; };", "/memory@0",
         "reg: expected one <ADDRESS SIZE>"},
        {"versatilepb", "/ { /delete-node/ memory@0; };", "/", "no memory node"},
        {"versatilepb", "/ { memory@0 { reg = <0 0x1000000>; }; };", "/",
         "the memory node must be whole MiB, more than 16 MiB"},
        {"vexpress-a9", "/ { memory@60000000 { reg = <0x60080000 0x8000000>; }; };", "/",
         "the memory node must be whole MiB, more than 16 MiB"},
        {"versatilepb", "&uart2 { reg = <0x101f3000 0x1000 0x101f4000>; };", "/serial@101f3000",
         "reg: expected <ADDRESS SIZE> pairs"},
        {"vexpress-a9", "&uart1 { interrupts = <0 6>; };", "/serial@1000a000",
         "interrupts: cells do not match the controller's"},
        {"versatilepb", "&uart2 { cellvisor,emulated = <32>; };", "/serial@101f3000",
         "cellvisor,emulated: a bit number, 0 to 31"},
        {"versatilepb", "&uart2 { cellvisor,emulated = <1 2>; };", "/serial@101f3000",
         "cellvisor,emulated: expected one 32-bit cell"},
    };
    for (const Case& c : cases) {
        const image::Error e = load_refusal(system_on(c.board, a, c.changes));
        CHECK(e.node == c.node);
        CHECK_THAT(e.reason, StartsWith(c.reason));
    }
}

// === Refusals: /cellvisor and its partitions =====================================================

TEST_CASE("image: a system without /cellvisor is refused")
{
    const image::Error e = load_refusal("/dts-v1/;\n/include/ \"versatilepb.dtsi\"\n");
    CHECK(e.node == "/cellvisor");
    CHECK(e.reason == "no such node: the partitions are its children");
}

TEST_CASE("image: /cellvisor must be compatible with cellvisor,system")
{
    for (const char* compatible : {"compatible = \"cellvisor,sistem\";", "", "compatible = \"a\", \"b\";"}) {
        const image::Error e =
            load_refusal(std::string("/dts-v1/;\n/include/ \"versatilepb.dtsi\"\n/ { cellvisor { ") +
                         compatible + " a { image = \"rewrite_sample.elf\"; }; }; };\n");
        CHECK(e.node == "/cellvisor");
        CHECK_THAT(e.reason, StartsWith("compatible: expected"));
    }
}

TEST_CASE("image: unknown properties are refused on /cellvisor and on a partition")
{
    const std::string on_system =
        "/dts-v1/;\n/include/ \"versatilepb.dtsi\"\n"
        "/ { cellvisor { compatible = \"cellvisor,system\"; status-period = <1000>;\n" +
        partition("a") + "}; };\n";
    const image::Error s = load_refusal(on_system);
    CHECK(s.node == "/cellvisor");
    CHECK(s.reason == "unknown property 'status-period'");

    const image::Error p =
        load_refusal(system_on("versatilepb", partition("a", "memory-sise = <0x2000000>;")));
    CHECK(p.node == "/cellvisor/a");
    CHECK(p.reason == "unknown property 'memory-sise'");
}

TEST_CASE("image: a node inside a partition is refused")
{
    const image::Error e = load_refusal(system_on("versatilepb", partition("a", "console { };")));
    CHECK(e.node == "/cellvisor/a/console");
    CHECK(e.reason == "unknown node");
}

TEST_CASE("image: one to four partitions")
{
    const image::Error five = load_refusal(system_on(
        "versatilepb", partition("a") + partition("b") + partition("c") + partition("d") + partition("e")));
    CHECK(five.node == "/cellvisor/e");
    CHECK(five.reason == "more than 4 partitions");

    const image::Error none = load_refusal(system_on("versatilepb", ""));
    CHECK(none.node == "/cellvisor");
    CHECK(none.reason == "no partition: give it one child node per partition");

    CHECK(loaded(system_on("versatilepb", partition("a") + partition("b") + partition("c") +
                                              partition("d", "memory-size = <0x1000000>;")))
              .guests.size() == 4);
}

TEST_CASE("image: a partition's name has 1 to 31 characters and no unit address")
{
    const image::Error unit = load_refusal(system_on("versatilepb", partition("radio@1000")));
    CHECK(unit.node == "/cellvisor/radio@1000");
    CHECK(unit.reason == "a partition's name (its node's) must have 1 to 31 characters and no unit address");

    const std::string long_name(32, 'n');
    const image::Error too_long = load_refusal(system_on("versatilepb", partition(long_name)));
    CHECK(too_long.node == "/cellvisor/" + long_name);
    CHECK_THAT(too_long.reason, Contains("1 to 31 characters"));

    CHECK(loaded(system_on("versatilepb", partition(std::string(31, 'n')))).guests[0].name ==
          std::string(31, 'n'));
}

TEST_CASE("image: a partition needs an image file that exists")
{
    const image::Error missing = load_refusal(system_on("versatilepb", "a { priority = <1>; };\n"));
    CHECK(missing.node == "/cellvisor/a");
    CHECK(missing.reason == "no image: the guest's ELF file");

    const image::Error absent = load_refusal(system_on("versatilepb", "a { image = \"absent.elf\"; };\n"));
    CHECK(absent.node == "/cellvisor/a");
    CHECK(absent.reason == "image: no file 'absent.elf' (looked for " + (scratch() / "absent.elf").string() +
                               ", " + sample_path("absent.elf") + ")");

    const image::Error absolute =
        load_refusal(system_on("versatilepb", "a { image = \"/nonexistent/a.elf\"; };\n"));
    CHECK(absolute.reason == "image: no file '/nonexistent/a.elf' (looked for /nonexistent/a.elf)");

    const image::Error directory = load_refusal(system_on("versatilepb", "a { image = \"/tmp\"; };\n"));
    CHECK_THAT(directory.reason, StartsWith("image: no file '/tmp'"));

    // Found beside the system before the search path; an absolute path as it is.
    image::Paths beside = directory_with("beside", {{"rewrite_sample.elf", sample("stripped_sample.elf")}});
    beside.search = sample_paths().search;
    CHECK(loaded(system_on("versatilepb", partition("a")), beside).guests[0].path ==
          (fs::path(beside.system_directory) / "rewrite_sample.elf").string());
    CHECK(loaded(system_on("versatilepb", partition("a"))).guests[0].path ==
          sample_path("rewrite_sample.elf"));
    const std::string absolute_source =
        system_on("versatilepb", "a { image = \"" + sample_path("thumb_sample.elf") + "\"; };\n");
    CHECK(loaded(absolute_source).guests[0].path == sample_path("thumb_sample.elf"));
}

TEST_CASE("image: priority is 0 to 255")
{
    const image::Error e = load_refusal(system_on("versatilepb", partition("a", "priority = <256>;")));
    CHECK(e.node == "/cellvisor/a");
    CHECK(e.reason == "priority: 0 to 255");
    CHECK(loaded(system_on("versatilepb", partition("a", "priority = <255>;"))).guests[0].priority == 255);
}

TEST_CASE("image: budget and period come together, the budget within the period")
{
    for (const char* properties :
         {"budget-us = <1000>;", "period-us = <1000>;", "budget-us = <2000>; period-us = <1000>;",
          "budget-us = <0>; period-us = <1000>;"}) {
        const image::Error e = load_refusal(system_on("versatilepb", partition("a", properties)));
        CHECK(e.node == "/cellvisor/a");
        CHECK(e.reason == "budget-us and period-us come together, 0 < budget-us <= period-us");
    }
    const image::System s =
        loaded(system_on("versatilepb", partition("a", "budget-us = <10000>; period-us = <100000>;")));
    CHECK(s.guests[0].budget == 10000);
    CHECK(s.guests[0].period == 100000);
    CHECK(loaded(system_on("versatilepb", partition("a", "budget-us = <500>; period-us = <500>;")))
              .guests[0]
              .budget == 500);
}

TEST_CASE("image: memory-size is whole MiB and at most the board's RAM for partitions")
{
    const image::Error half =
        load_refusal(system_on("versatilepb", partition("a", "memory-size = <0x180000>;")));
    CHECK(half.node == "/cellvisor/a");
    CHECK(half.reason == "memory-size: a whole number of MiB (0x00180000)");
    const image::Error zero = load_refusal(system_on("versatilepb", partition("a", "memory-size = <0>;")));
    CHECK(zero.reason == "memory-size: a whole number of MiB (0x00000000)");

    const image::Error large =
        load_refusal(system_on("versatilepb", partition("a", "memory-size = <0x8000000>;")));
    CHECK(large.node == "/cellvisor/a");
    CHECK(large.reason == "memory-size: 128 MiB, more than the board's 112 MiB for partitions");
    const image::Error vexpress =
        load_refusal(system_on("vexpress-a9", partition("a", "memory-size = <0x3f100000>;")));
    CHECK(vexpress.reason == "memory-size: 1009 MiB, more than the board's 1008 MiB for partitions");

    const image::System all = loaded(system_on("versatilepb", partition("a", "memory-size = <0x7000000>;")));
    CHECK(all.guests[0].window_size == 112 * mib);
    CHECK(all.guests[0].window_base == 16 * mib);
}

TEST_CASE("image: memory-base is a MiB of RAM above the monitor's with room for the window")
{
    struct Case {
        const char* board;
        const char* properties;
        const char* reason;
    };
    const Case cases[] = {
        {"versatilepb", "memory-base = <0x800000>;",
         "memory-base: 0x00800000 is not a MiB of the board's RAM from 0x01000000 "
         "(below: the monitor's and the package's) with room for memory-size"},
        {"versatilepb", "memory-base = <0>;", "memory-base: 0x00000000 is not a MiB"},
        {"versatilepb", "memory-base = <0x1080000>;", "memory-base: 0x01080000 is not a MiB"},
        {"versatilepb", "memory-base = <0x8000000>;", "memory-base: 0x08000000 is not a MiB"},
        {"versatilepb", "memory-base = <0x7800000>;", "memory-base: 0x07800000 is not a MiB"},  // 8 MiB left
        {"versatilepb", "memory-base = <0x6000000>; memory-size = <0x2100000>;",
         "memory-base: 0x06000000 is not"},
        {"vexpress-a9", "memory-base = <0x1000000>;",
         "memory-base: 0x01000000 is not a MiB of the board's RAM from 0x61000000"},
        {"vexpress-a9", "memory-base = <0x60800000>;", "memory-base: 0x60800000 is not a MiB"},
        {"vexpress-a9", "memory-base = <0xff000000>;", "memory-base: 0xff000000 is not a MiB"},
    };
    for (const Case& c : cases) {
        const image::Error e = load_refusal(system_on(c.board, partition("a", c.properties)));
        CHECK(e.node == "/cellvisor/a");
        CHECK_THAT(e.reason, StartsWith(c.reason));
    }
    // The last 16 MiB of RAM is a place for a window.
    CHECK(loaded(system_on("versatilepb", partition("a", "memory-base = <0x7000000>;")))
              .guests[0]
              .window_base == 0x07000000);
    CHECK(loaded(system_on("vexpress-a9", partition("a", "memory-base = <0x9f000000>;")))
              .guests[0]
              .window_base == 0x9f000000);
}

TEST_CASE("image: placed windows must not overlap")
{
    const image::Error e = load_refusal(
        system_on("versatilepb", partition("a", "memory-base = <0x1000000>; memory-size = <0x2000000>;") +
                                     partition("b", "memory-base = <0x2000000>;")));
    CHECK(e.node == "/cellvisor/b");
    CHECK(e.reason == "memory-base: its window overlaps /cellvisor/a's");

    const image::Error inside = load_refusal(system_on(
        "versatilepb", partition("a", "memory-base = <0x3000000>;") + partition("b") +
                           partition("c", "memory-base = <0x2000000>; memory-size = <0x4000000>;")));
    CHECK(inside.node == "/cellvisor/c");
    CHECK(inside.reason == "memory-base: its window overlaps /cellvisor/a's");
}

TEST_CASE("image: the windows must fit the board's RAM")
{
    const std::string big = "memory-size = <0x2000000>;";
    const image::Error e =
        load_refusal(system_on("versatilepb", partition("a", big) + partition("b", big) +
                                                  partition("c", big) + partition("d", big)));
    CHECK(e.node == "/cellvisor/d");
    CHECK(e.reason == "no room for its 32 MiB window: the system's RAM does not fit the board "
                      "(144 MiB with the monitor's 16, of 128)");

    // Room enough in all, but not where a placed window leaves it.
    const image::Error placed = load_refusal(
        system_on("versatilepb", partition("a", "memory-base = <0x4000000>; memory-size = <0x4000000>;") +
                                     partition("b", "memory-size = <0x3100000>;")));
    CHECK(placed.node == "/cellvisor/b");
    CHECK(placed.reason == "no room for its 49 MiB window: the system's RAM does not fit the board "
                           "(129 MiB with the monitor's 16, of 128)");
}

TEST_CASE("image: passed-through devices must be devices of the board")
{
    struct Case {
        const char* devices;
        const char* reason;
    };
    const Case cases[] = {
        {"devices = <&{/cpus/cpu@0}>;", "devices: /cpus/cpu@0 is not a device of the board"},
        {"devices = <&{/memory@0}>;", "devices: /memory@0 is not a device of the board"},
        {"devices = <&{/cpus}>;", "devices: /cpus is not a device of the board"},
        {"devices = <&{/cellvisor/b}>;", "devices: /cellvisor/b is not a device of the board"},
        {"devices = <0x4242>;", "devices: no node with phandle 16962"},
        {"devices = <0>;", "devices: no node with phandle 0"},
    };
    for (const Case& c : cases) {
        const image::Error e =
            load_refusal(system_on("versatilepb", partition("a", c.devices) + partition("b")));
        CHECK(e.node == "/cellvisor/a");
        CHECK(e.reason == c.reason);
    }
}

TEST_CASE("image: a device the monitor emulates cannot be passed through")
{
    const image::Error uart = load_refusal(system_on("versatilepb", partition("a", "devices = <&uart0>;")));
    CHECK(uart.node == "/cellvisor/a");
    CHECK(uart.reason == "devices: /serial@101f1000 is emulated by the monitor: list it in emulated");
    const image::Error gic =
        load_refusal(system_on("vexpress-a9", partition("a", "devices = <&uart1 &gic>;")));
    CHECK(gic.reason ==
          "devices: /interrupt-controller@1e001000 is emulated by the monitor: list it in emulated");
}

TEST_CASE("image: a device is passed through to one partition")
{
    const image::Error e = load_refusal(system_on(
        "versatilepb", partition("a", "devices = <&uart1>;") + partition("b", "devices = <&uart2 &uart1>;")));
    CHECK(e.node == "/cellvisor/b");
    CHECK(e.reason == "devices: /serial@101f2000 is already /cellvisor/a's");

    const image::Error twice =
        load_refusal(system_on("versatilepb", partition("a", "devices = <&uart1 &uart1>;")));
    CHECK(twice.node == "/cellvisor/a");
    CHECK(twice.reason == "devices: /serial@101f2000 is already /cellvisor/a's");
}

TEST_CASE("image: a device whose interrupts are on a secondary controller cannot be passed through")
{
    const image::Error e = load_refusal(system_on("versatilepb", partition("a", "devices = <&mmc0>;")));
    CHECK(e.node == "/cellvisor/a");
    CHECK(e.reason ==
          "devices: /mmc@10005000's interrupts are on a secondary controller, which cannot be passed "
          "through");
    // Without interrupts it can.
    const image::System s = loaded(system_on("versatilepb", partition("a", "devices = <&mmc0>;"),
                                             "&mmc0 { /delete-property/ interrupts; };"));
    CHECK(s.guests[0].devices.size() == 1);
}

TEST_CASE("image: a passed-through device is whole pages outside RAM and the emulated devices' pages")
{
    struct Case {
        const char* changes;
        const char* devices;
        const char* reason;
    };
    const Case cases[] = {
        {"/ { sram@800000 { reg = <0x800000 0x1000>; }; };", "devices = <&{/sram@800000}>;",
         "devices: /sram@800000 is in RAM"},
        {"/ { edge@7fff000 { reg = <0x7fff000 0x2000>; }; };", "devices = <&{/edge@7fff000}>;",
         "devices: /edge@7fff000 is in RAM"},
        {"/ { half@20000800 { reg = <0x20000800 0x800>; }; };", "devices = <&{/half@20000800}>;",
         "devices: /half@20000800's reg is not whole 4 KiB pages"},
        {"/ { empty@20000000 { reg = <0x20000000 0>; }; };", "devices = <&{/empty@20000000}>;",
         "devices: /empty@20000000's reg is not whole 4 KiB pages"},
        {"/ { wraps@fffff000 { reg = <0xfffff000 0x2000>; }; };", "devices = <&{/wraps@fffff000}>;",
         "devices: /wraps@fffff000's reg is not whole 4 KiB pages"},
        {"/ { beside@101f1000 { reg = <0x101f1800 0x800>; }; };", "devices = <&{/beside@101f1000}>;",
         "devices: /beside@101f1000's reg is not whole 4 KiB pages"},
        {"/ { over@101f0000 { reg = <0x101f0000 0x3000>; }; };", "devices = <&{/over@101f0000}>;",
         "devices: /over@101f0000 shares a page with /serial@101f1000, which the monitor emulates"},
        {"/ { f@fff10000 { reg = <0xfff10000 0x1000>; }; };", "devices = <&{/f@fff10000}>;",
         "devices: /f@fff10000 is in the monitor's address window, 0xfff00000 up (docs/memory.md)"},
        {"/ { f@ffeff000 { reg = <0xffeff000 0x2000>; }; };", "devices = <&{/f@ffeff000}>;",
         "devices: /f@ffeff000 is in the monitor's address window, 0xfff00000 up (docs/memory.md)"},
    };
    for (const Case& c : cases) {
        const image::Error e = load_refusal(system_on("versatilepb", partition("a", c.devices), c.changes));
        CHECK(e.node == "/cellvisor/a");
        CHECK(e.reason == c.reason);
    }
}

TEST_CASE("image: at most 8 address ranges per partition; 8 second-level tables for all partial MiB")
{
    const image::Error ranges = load_refusal(system_on(
        "versatilepb", partition("a", "devices = <&{/many@20000000}>;"),
        "/ { many@20000000 { reg = <0x20000000 0x1000 0x20002000 0x1000 0x20004000 0x1000 0x20006000 0x1000 "
        "0x20008000 0x1000 0x2000a000 0x1000 0x2000c000 0x1000 0x2000e000 0x1000 0x20010000 0x1000>; }; };"));
    CHECK(ranges.node == "/cellvisor/a");
    CHECK(ranges.reason == "devices: more than 8 address ranges");

    // Three regions, one straddling a MiB boundary, and two 64 MiB flashes (sections) pass.
    const image::System s = loaded(system_on(
        "versatilepb",
        partition("a", "devices = <&uart1 &ethernet &{/far@20000000} &{/wide@200ff000} &{/flash@34000000}>;"),
        "/ { far@20000000 { reg = <0x20000000 0x1000>; }; wide@200ff000 { reg = <0x200ff000 0x2000>; }; "
        "flash@34000000 { reg = <0x34000000 0x4000000 0x38000000 0x4000000>; }; };"));
    CHECK(s.guests[0].devices.size() == 6);

    // Nine MiB covered in part, over two partitions: one more than the monitor's tables.
    std::string nine;
    for (unsigned m = 0; m < 9; ++m)
        nine += "p" + std::to_string(m) + "@" + std::to_string(20 + m) + "000000 { reg = <0x" +
                std::to_string(20 + m) + "000000 0x1000>; }; ";
    const image::Error tables = load_refusal(system_on(
        "versatilepb",
        partition("a", "devices = <&{/p0@20000000} &{/p1@21000000} &{/p2@22000000} &{/p3@23000000}>;") +
            partition("b", "devices = <&{/p4@24000000} &{/p5@25000000} &{/p6@26000000} &{/p7@27000000} "
                           "&{/p8@28000000}>;"),
        "/ { " + nine + "};"));
    CHECK(tables.node == "/cellvisor/b");
    CHECK(tables.reason == "devices: their pages outside whole MiB need 9 second-level tables with the "
                           "partitions before; the monitor has 8 for all (a whole MiB needs none)");

    // Eight ranges in one region pass.
    const image::System eight = loaded(
        system_on("versatilepb",
                  partition("a", "devices = <&uart1 &uart2 &rtc &gpio0 &gpio1 &gpio2 &gpio3 &ethernet>;")));
    CHECK(eight.guests[0].devices.size() == 8);
}

TEST_CASE("image: interrupt lines are the controller's, not the emulated devices', and owned once")
{
    struct Case {
        const char* board;
        std::string partitions;
        const char* node;
        const char* reason;
    };
    const Case cases[] = {
        {"versatilepb", partition("a", "interrupt-lines = <32>;"), "/cellvisor/a",
         "interrupt-lines: line 32 is not one the board's interrupt controller passes through (0-31)"},
        {"vexpress-a9", partition("a", "interrupt-lines = <31>;"), "/cellvisor/a",
         "interrupt-lines: line 31 is not one the board's interrupt controller passes through (32-95)"},
        {"vexpress-a9", partition("a", "interrupt-lines = <96>;"), "/cellvisor/a",
         "interrupt-lines: line 96 is not one the board's interrupt controller passes through (32-95)"},
        {"versatilepb", partition("a", "interrupt-lines = <12>;"), "/cellvisor/a",
         "interrupt-lines: line 12 is already /serial@101f1000 (emulated by the monitor)'s"},
        {"versatilepb", partition("a", "interrupt-lines = <31>;"), "/cellvisor/a",
         "interrupt-lines: line 31 is already /interrupt-controller@10003000 (emulated by the monitor)'s"},
        {"vexpress-a9", partition("a", "interrupt-lines = <34>;"), "/cellvisor/a",
         "interrupt-lines: line 34 is already /timer@10011000 (emulated by the monitor)'s"},
        {"versatilepb",
         partition("a", "interrupt-lines = <20>;") + partition("b", "interrupt-lines = <21 20>;"),
         "/cellvisor/b", "interrupt-lines: line 20 is already /cellvisor/a's"},
        {"versatilepb", partition("a", "interrupt-lines = <13>;") + partition("b", "devices = <&uart1>;"),
         "/cellvisor/b", "devices: /serial@101f2000: line 13 is already /cellvisor/a's"},
        {"vexpress-a9", partition("a", "devices = <&uart1>;") + partition("b", "interrupt-lines = <38>;"),
         "/cellvisor/b", "interrupt-lines: line 38 is already /cellvisor/a's"},
    };
    for (const Case& c : cases) {
        const image::Error e = load_refusal(system_on(c.board, c.partitions));
        CHECK(e.node == c.node);
        CHECK(e.reason == c.reason);
    }
    // Its own device's line, listed again, is its own.
    const image::System s =
        loaded(system_on("versatilepb", partition("a", "devices = <&uart1>; interrupt-lines = <13>;")));
    CHECK(s.guests[0].interrupts[0] == 1u << 13);
}

TEST_CASE("image: emulated names only devices the monitor emulates")
{
    const image::Error e =
        load_refusal(system_on("versatilepb", partition("a", "emulated = <&uart0 &uart1>;")));
    CHECK(e.node == "/cellvisor/a");
    CHECK(e.reason == "emulated: /serial@101f2000 is not a device the monitor emulates");
    const image::Error cpu =
        load_refusal(system_on("vexpress-a9", partition("a", "emulated = <&{/cpus/cpu@0}>;")));
    CHECK(cpu.reason == "emulated: /cpus/cpu@0 is not a device the monitor emulates");
    const image::Error phandle = load_refusal(system_on("vexpress-a9", partition("a", "emulated = <77>;")));
    CHECK(phandle.reason == "emulated: no node with phandle 77");
}

TEST_CASE("image: a partition with a device tree must see the interrupt controller")
{
    for (const char* tree : {"device-tree;", "bootargs = \"quiet\";", "initrd = \"rewrite_sample.elf\";"}) {
        const image::Error e = load_refusal(
            system_on("versatilepb", partition("a", std::string("emulated = <&uart0>; ") + tree)));
        CHECK(e.node == "/cellvisor/a");
        CHECK(e.reason == "emulated: a partition with a device tree must see the interrupt controller, "
                          "/interrupt-controller@10140000 (its tree's interrupt-parent)");
    }
    const image::Error none =
        load_refusal(system_on("vexpress-a9", partition("a", "emulated = <>; device-tree;")));
    CHECK(none.reason == "emulated: a partition with a device tree must see the interrupt controller, "
                         "/interrupt-controller@1e001000 (its tree's interrupt-parent)");
    // Without a tree it need not.
    CHECK(loaded(system_on("versatilepb", partition("a", "emulated = <&uart0>;"))).guests[0].emulated ==
          1u << 4);
}

TEST_CASE("image: properties of the wrong size or type are refused")
{
    struct Case {
        const char* properties;
        const char* reason;
    };
    const Case cases[] = {
        {"priority = /bits/ 8 <3>;", "priority: expected 32-bit cells"},
        {"priority = /bits/ 16 <3 4 5>;", "priority: expected 32-bit cells"},
        {"priority = <1 2>;", "priority: expected one 32-bit cell"},
        {"priority;", "priority: expected 32-bit cells"},
        {"memory-size = /bits/ 64 <0x1000000>;", "memory-size: expected one 32-bit cell"},
        {"memory-base = <0x1000000 0>;", "memory-base: expected one 32-bit cell"},
        {"budget-us = \"1000\"; period-us = <1000>;", "budget-us: expected 32-bit cells"},
        {"slice-us = <1 2>;", "slice-us: expected one 32-bit cell"},
        {"devices = /bits/ 16 <1>;", "devices: expected 32-bit cells"},
        {"interrupt-lines = \"13\";", "interrupt-lines: expected 32-bit cells"},
        {"semihosting = <1>;", "semihosting: a boolean takes no value"},
        {"unowned-access = \"zero\";", "unowned-access: \"zero\" is neither \"read-as-zero\" nor \"abort\""},
        {"unowned-access = <1>;", "unowned-access: expected one string"},
        {"device-tree = \"yes\";", "device-tree: a boolean takes no value"},
        {"bootargs = <1>;", "bootargs: expected one string"},
        {"bootargs = \"a\", \"b\";", "bootargs: expected one string"},
        {"bootargs = \"\";", "bootargs: expected one string"},
    };
    for (const Case& c : cases) {
        const image::Error e = load_refusal(system_on("versatilepb", partition("a", c.properties)));
        CHECK(e.node == "/cellvisor/a");
        CHECK(e.reason == c.reason);
    }
    const image::Error image_cells = load_refusal(system_on("versatilepb", "a { image = <1>; };\n"));
    CHECK(image_cells.node == "/cellvisor/a");
    CHECK(image_cells.reason == "image: expected one string");
    const image::Error status = load_refusal(
        "/dts-v1/;\n/include/ \"versatilepb.dtsi\"\n/ { cellvisor { compatible = \"cellvisor,system\";\n"
        "status-period-ms = /bits/ 64 <1000>;\n" +
        partition("a") + "}; };\n");
    CHECK(status.node == "/cellvisor");
    CHECK(status.reason == "status-period-ms: expected one 32-bit cell");
}

TEST_CASE("image: an initrd must exist")
{
    const image::Error e =
        load_refusal(system_on("versatilepb", partition("a", "initrd = \"absent.cpio\";")));
    CHECK(e.node == "/cellvisor/a");
    CHECK_THAT(e.reason, StartsWith("initrd: no file 'absent.cpio' (looked for "));
}

// === Refusals: images, when the system is built =================================================

TEST_CASE("image: an image that is not an ARM ELF is refused at its partition")
{
    system_source::write_text(scratch() / "notes.elf", "not an image\n");
    system_source::write_bytes(scratch() / "empty.elf", {});
    std::vector<uint8_t> x86 = sample("rewrite_sample.elf");
    put(x86, offsetof(Elf32_Ehdr, e_machine), uint16_t(EM_386));
    system_source::write_bytes(scratch() / "x86.elf", x86);
    struct Case {
        std::string image;
        std::string reason;
    };
    const std::string in_scratch = scratch().string() + "/";
    const Case cases[] = {
        {"notes.elf", "image " + in_scratch + "notes.elf: not an ELF file"},
        {"empty.elf", "image: cannot read " + in_scratch + "empty.elf"},
        {"/bin/true", "image /bin/true: not a 32-bit little-endian ELF file"},  // the host's: x86-64
        {"x86.elf", "image " + in_scratch + "x86.elf: not an ARM ELF file (e_machine 3)"},
    };
    for (const Case& c : cases) {
        const image::Error e =
            build_refusal(system_on("versatilepb", partition("a") + "b { image = \"" + c.image + "\"; };\n"));
        CHECK(e.node == "/cellvisor/b");
        CHECK(e.reason == c.reason);
    }
}

TEST_CASE("image: an image linked outside its window is refused")
{
    // The sample is linked at 0x10000: in versatilepb's RAM, below vexpress-a9's at 0x60000000.
    const image::Error e = build_refusal(system_on("vexpress-a9", partition("a")));
    CHECK(e.node == "/cellvisor/a");
    CHECK(e.reason ==
          "image " + sample_path("rewrite_sample.elf") +
              ": loadable segment at physical 0x00010000-0x0001004c is outside the partition's RAM "
              "window 0x60000000-0x61000000");
    // Moved to 0x60010000 it fits.
    system_source::write_bytes(scratch() / "relocated.elf", relocated_sample(0x60000000));
    const Built b = built(system_on("vexpress-a9", "a { image = \"relocated.elf\"; };\n"));
    CHECK(b.system.guests[0].window_base == 0x61000000);
}

TEST_CASE("image: an image whose code cannot be told from data is refused")
{
    const image::Error e = build_refusal(
        system_on("versatilepb", "a { image = \"" + sample_path("stripped_sample.elf") + "\"; };\n"));
    CHECK(e.node == "/cellvisor/a");
    CHECK(e.reason ==
          "image " + sample_path("stripped_sample.elf") +
              ": .text: executable section without mapping symbols ($a/$t/$d) at its start: code cannot "
              "be told from data (was the image stripped?)");
}

TEST_CASE("image: an initrd is not empty and at most half the window")
{
    system_source::write_bytes(scratch() / "empty.cpio", {});
    system_source::write_bytes(scratch() / "large.cpio", std::vector<uint8_t>(mib + 1, 0x5a));
    const image::Error empty =
        build_refusal(system_on("versatilepb", partition("a", "initrd = \"empty.cpio\";")));
    CHECK(empty.node == "/cellvisor/a");
    CHECK(empty.reason ==
          "initrd: " + (scratch() / "empty.cpio").string() + " is empty, or larger than half the window");
    const image::Error large = build_refusal(
        system_on("versatilepb", partition("a", "initrd = \"large.cpio\"; memory-size = <0x200000>;")));
    CHECK(large.node == "/cellvisor/a");
    CHECK(large.reason ==
          "initrd: " + (scratch() / "large.cpio").string() + " is empty, or larger than half the window");
    // Half of a 4 MiB window is room enough.
    CHECK(
        built(system_on("versatilepb", partition("a", "initrd = \"large.cpio\"; memory-size = <0x400000>;")))
            .system.guests[0]
            .blobs.size() == 2);
}

TEST_CASE("image: a refused image shared by two partitions names the partition it is refused for")
{
    // The same file fits a 32 MiB window, not a 16 MiB one: b is refused, not a.
    std::vector<uint8_t> high = sample("rewrite_sample.elf");
    const auto header = get<Elf32_Ehdr>(high, 0);
    auto s = get<Elf32_Phdr>(high, header.e_phoff);
    s.p_paddr = 0x01800000;
    put(high, header.e_phoff, s);
    system_source::write_bytes(scratch() / "high.elf", high);
    const image::Error e = build_refusal(
        system_on("versatilepb",
                  "a { image = \"high.elf\"; memory-size = <0x2000000>; };\nb { image = \"high.elf\"; };\n"));
    CHECK_THAT(e.reason, Contains("outside the partition's RAM window 0x00000000-0x01000000"));
    CHECK(e.node == "/cellvisor/b");
}

TEST_CASE("image: a device tree larger than its 64 KiB is refused")
{
    const std::string bootargs(70000, 'x');
    const std::vector<uint8_t> blob = compiled(
        system_on("versatilepb", partition("a") + partition("b", "bootargs = \"" + bootargs + "\";")));
    image::System system;
    pack::Result result;
    image::Error error;
    bool ok = true;
    REQUIRE_NOTHROW(ok = image::build(blob, sample_paths(), system, result, error));
    CHECK_FALSE(ok);
    CHECK(error.node == "/cellvisor/b");
    CHECK(error.reason == "its device tree: FDT_ERR_NOSPACE (at most 64 KiB)");
}

TEST_CASE("image: a device tree or an initrd over the image is refused")
{
    // The sample moved into the window's last 64 KiB, where the tree goes, and just below it,
    // where a 64 KiB initrd goes.
    const auto moved = [](const char* name, uint32_t physical) {
        std::vector<uint8_t> elf = sample("rewrite_sample.elf");
        const auto header = get<Elf32_Ehdr>(elf, 0);
        auto s = get<Elf32_Phdr>(elf, header.e_phoff);
        s.p_paddr = physical;
        put(elf, header.e_phoff, s);
        system_source::write_bytes(scratch() / name, elf);
        return (scratch() / name).string();
    };
    const std::string top = moved("top.elf", 0x00ff0100), below = moved("below.elf", 0x00fe0100);
    system_source::write_bytes(scratch() / "initrd-64k.cpio", std::vector<uint8_t>(0x10000, 1));
    const image::Error tree =
        build_refusal(system_on("versatilepb", "a { image = \"top.elf\"; device-tree; };\n"));
    CHECK(tree.node == "/cellvisor/a");
    CHECK(tree.reason == "image " + top + ": a blob to load overlaps the image or leaves the window");
    const image::Error initrd = build_refusal(
        system_on("versatilepb", "a { image = \"below.elf\"; initrd = \"initrd-64k.cpio\"; };\n"));
    CHECK(initrd.node == "/cellvisor/a");
    CHECK(initrd.reason == "image " + below + ": a blob to load overlaps the image or leaves the window");
    // Without them each loads where it is linked.
    CHECK(built(system_on("versatilepb", "a { image = \"top.elf\"; };\n")).system.guests[0].blobs.empty());
    CHECK(built(system_on("versatilepb", "a { image = \"below.elf\"; device-tree; };\n"))
              .system.guests[0]
              .blobs.size() == 1);
}

TEST_CASE("image: a controller's line range that wraps is refused")
{
    // cellvisor,lines = <0xffffffff 2>: FIRST + COUNT wraps to 1, below 96.
    const std::vector<uint8_t> blob =
        compiled(system_on("versatilepb", partition("a", "interrupt-lines = <0xffffffff>;"),
                           "&vic { cellvisor,lines = <0xffffffff 2>; };"));
    const int status = in_child([&] {
        image::System system;
        image::Error error;
        if (image::load(blob, sample_paths(), system, error)) return 0;
        return error.node == "/interrupt-controller@10140000" ? 1 : 2;
    });
    CHECK(status == 1);  // refused at the controller: not 0 (accepted), 2 (elsewhere) or 128 + a signal
}

TEST_CASE("image: RAM up to the top of the address space: a window past it is refused")
{
    // 2 GiB from 0x80000000: a fills its top 2032 MiB, b finds no room (its base wraps to 0).
    const std::string source = system_on(
        "vexpress-a9",
        "a { image = \"relocated.elf\"; memory-base = <0x81000000>; memory-size = <0x7f000000>; };\n"
        "b { image = \"relocated.elf\"; };\n",
        "/ { memory@60000000 { reg = <0x80000000 0x80000000>; }; };");
    system_source::write_bytes(scratch() / "relocated.elf", relocated_sample(0x80000000));
    image::System system;
    image::Error error;
    const bool ok = image::load(compiled(source), sample_paths(), system, error);
    INFO("b's window: " << (ok ? system.guests[1].window_base : 0));
    CHECK_FALSE(ok);
    CHECK(error.node == "/cellvisor/b");
    CHECK_THAT(error.reason, StartsWith("no room for its 16 MiB window"));
}

TEST_CASE("image: two devices whose ranges overlap are not given to two partitions")
{
    // The board names UART1's page twice; the monitor refuses a package that shares it.
    const std::string source =
        system_on("versatilepb",
                  partition("a", "devices = <&uart1>;") + partition("b", "devices = <&{/alias@101f2000}>;"),
                  "/ { alias@101f2000 { reg = <0x101f2000 0x1000>; }; };");
    image::System system;
    pack::Result result;
    image::Error error;
    const bool ok = image::build(compiled(source), sample_paths(), system, result, error);
    if (ok) {
        const Validated v = validated(result.package, versatilepb_monitor);
        INFO("built; the monitor's validate says: " << package::describe(v.refusal));
        CHECK_FALSE(ok);
    }
    CHECK(error.node == "/cellvisor/b");
    CHECK(error.reason ==
          "devices: /alias@101f2000 shares its pages with /serial@101f2000, already /cellvisor/a's");
}

TEST_CASE("image: a property length over 2 GiB is refused, not thrown")
{
    // libfdt 1.6.1 reports a length field of 0xfffffffc as -4.
    std::vector<uint8_t> blob =
        compiled(system_on("versatilepb", "a { image = \"rewrite_sample.elf\"; priority = <1>; };\n"));
    set_cell(blob, property_at(blob, "/cellvisor/a", "priority") + 4, 0xfffffffc);
    image::System system;
    image::Error error;
    bool ok = true;
    CHECK_NOTHROW(ok = image::load(blob, sample_paths(), system, error));
    CHECK_FALSE(ok);
    CHECK_FALSE(error.node.empty());
    CHECK_FALSE(error.reason.empty());
}

TEST_CASE("image: a damaged property the guest tree would copy is refused when the system is loaded")
{
    // The controller's empty interrupt-controller with the length 0xffffffff: libfdt 1.6.1 and
    // its fdt_check_full take it as -1 and parse the rest of the tree as it was. copy_node hands
    // the -1 to fdt_setprop, which copies that many bytes: under AddressSanitizer (fuzz_image) a
    // negative-size memcpy; natively libfdt happens to refuse here.
    std::vector<uint8_t> blob = compiled(system_on("versatilepb", partition("a", "device-tree;")));
    set_cell(blob, property_at(blob, "/interrupt-controller@10140000", "interrupt-controller") + 4,
             0xffffffff);
    REQUIRE(fdt_check_full(blob.data(), blob.size()) == 0);
    int length = 0;
    REQUIRE(fdt_getprop(blob.data(), fdt_path_offset(blob.data(), "/interrupt-controller@10140000"),
                        "interrupt-controller", &length));
    REQUIRE(length == -1);
    image::System system;
    image::Error error;
    CHECK_FALSE(image::load(blob, sample_paths(), system, error));
    CHECK(build_in_child(blob) == 1);  // refused, not crashed on
}

TEST_CASE("image: a property the guest tree would copy without a readable name is refused")
{
    std::vector<uint8_t> blob = compiled(system_on("versatilepb", partition("a", "device-tree;")));
    set_cell(blob, property_at(blob, "/cpus/cpu@0", "compatible") + 8, 0x7ffffff0);  // its name's offset
    CHECK(build_in_child(blob) == 1);                                                // not strncmp(nullptr)
    std::vector<uint8_t> root = compiled(system_on("versatilepb", partition("a", "device-tree;")));
    set_cell(root, property_at(root, "/", "model") + 8, 0x7ffffff0);
    CHECK(build_in_child(root) == 1);
}

TEST_CASE("image: a structure libfdt's full check refuses is refused")
{
    // cpu@0's begin-node token and name made FDT_NOPs: its end-node closes /cpus, /cpus's the
    // root, and the board's devices follow at depth -1 and below.
    std::vector<uint8_t> blob = compiled(system_on("versatilepb", partition("a")));
    const int cpu = fdt_path_offset(blob.data(), "/cpus/cpu@0");
    REQUIRE(cpu >= 0);
    for (size_t i = 0; i < 3; ++i)
        set_cell(blob, fdt_off_dt_struct(blob.data()) + size_t(cpu) + 4 * i, FDT_NOP);
    REQUIRE(fdt_check_header(blob.data()) == 0);
    REQUIRE(fdt_check_full(blob.data(), blob.size()) != 0);
    CHECK(build_in_child(blob) == 1);  // not a crash in fdt_get_path
}

// === Valid systems =============================================================================

TEST_CASE("image: the demo systems load with 16 MiB windows from RAM base + 16 MiB")
{
    struct Case {
        const char* configuration;
        core::Architecture architecture;
        uint32_t ram_base, ram_size;
        unsigned first_line, line_count;
        uint32_t emulated;  // every emulated device of the board
    };
    const Case cases[] = {
        {"versatilepb", core::Architecture::v5, 0, 128 * mib, 0, 32, 0x1f},
        {"versatilepb-v6", core::Architecture::v6, 0, 128 * mib, 0, 32, 0x1f},
        {"vexpress-a9", core::Architecture::v7, 0x60000000, 1024 * mib, 32, 64, 0x3f},
    };
    for (const Case& c : cases) {
        INFO(c.configuration);
        const std::vector<uint8_t> guest = relocated_sample(c.ram_base);
        const image::Paths paths =
            directory_with(std::string("demo-") + c.configuration,
                           {{"radio.elf", guest}, {"work.elf", guest}, {"home.elf", guest}});
        const Built b = built("/include/ \"" CELLVISOR_SYSTEMS_DIRECTORY "/demo-" +
                                  std::string(c.configuration) + ".dts\"\n",
                              paths);
        const image::System& s = b.system;
        CHECK(s.board.configuration == c.configuration);
        CHECK(s.board.architecture == c.architecture);
        CHECK(s.board.ram_base == c.ram_base);
        CHECK(s.board.ram_size == c.ram_size);
        CHECK(s.board.first_line == c.first_line);
        CHECK(s.board.line_count == c.line_count);
        CHECK(s.settings.architecture == c.architecture);
        CHECK(s.settings.ram_base == c.ram_base);
        CHECK(s.settings.windows_base == c.ram_base + 16 * mib);
        CHECK(s.settings.status_period == 1000);
        CHECK(s.settings.slice == 0);
        CHECK(s.settings.flags == 0);  // no semihosting unless a partition asks
        REQUIRE(s.guests.size() == 3);
        const char* names[] = {"radio", "work", "home"};
        const uint8_t priorities[] = {2, 1, 1};
        for (size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            const pack::Guest& g = s.guests[i];
            CHECK(g.name == names[i]);
            CHECK(s.partitions[i].node == std::string("/cellvisor/") + names[i]);
            CHECK(g.path == (fs::path(paths.system_directory) / (std::string(names[i]) + ".elf")).string());
            CHECK(g.priority == priorities[i]);
            CHECK(g.window_size == 16 * mib);
            CHECK(g.window_base == c.ram_base + (16 + 16 * uint32_t(i)) * mib);
            CHECK(g.emulated == c.emulated);
            CHECK(g.devices.empty());
            CHECK((g.interrupts[0] | g.interrupts[1] | g.interrupts[2]) == 0);
            CHECK_FALSE(g.flags.has_value());
            CHECK(g.device_tree == 0);
            CHECK(g.blobs.empty());
            CHECK(s.partitions[i].devices.empty());
            CHECK_FALSE(s.partitions[i].device_tree);
        }
        // The monitor of the board takes the package as it is.
        const package::Board& monitor = c.ram_base ? vexpress_monitor : versatilepb_monitor;
        const Validated v = validated(b.result.package, monitor);
        REQUIRE(v.refusal == package::Refusal::none);
        REQUIRE(v.view.header->partition_count == 3);
        CHECK(v.view.header->status_period == 1000);
        CHECK(v.view.partitions[0].priority == 2);
        CHECK(v.view.partitions[2].window_base == c.ram_base + 48 * mib);
        CHECK(v.view.partitions[1].flags == 0);
        CHECK(v.view.partitions[1].emulated == c.emulated);
    }
}

TEST_CASE("image: a placed window is kept and the others fill the lowest free MiBs around it")
{
    const image::System s =
        loaded(system_on("versatilepb", partition("a", "memory-base = <0x2000000>;") + partition("b") +
                                            partition("c") + partition("d", "memory-size = <0x2000000>;")));
    CHECK(s.guests[0].window_base == 0x02000000);
    CHECK(s.guests[1].window_base == 0x01000000);
    CHECK(s.guests[2].window_base == 0x03000000);
    CHECK(s.guests[3].window_base == 0x04000000);
    CHECK(s.guests[3].window_size == 32 * mib);

    // A gap below a placed window too small for one is left; a smaller window takes it.
    const image::System gap =
        loaded(system_on("vexpress-a9", partition("a", "memory-base = <0x61800000>;") + partition("b") +
                                            partition("c", "memory-size = <0x800000>;")));
    CHECK(gap.guests[0].window_base == 0x61800000);
    CHECK(gap.guests[1].window_base == 0x62800000);
    CHECK(gap.guests[2].window_base == 0x61000000);
    CHECK(gap.guests[2].window_size == 8 * mib);
}

TEST_CASE("image: passed-through devices and lines become the package's ranges and bitmasks")
{
    const image::System v =
        loaded(system_on("versatilepb", partition("a", "devices = <&uart1>; interrupt-lines = <30>;") +
                                            partition("b", "devices = <&ethernet &uart2>;")));
    REQUIRE(v.guests[0].devices.size() == 1);
    CHECK(v.guests[0].devices[0].address == 0x101f2000);
    CHECK(v.guests[0].devices[0].size == 0x1000);
    CHECK(v.guests[0].interrupts[0] == (1u << 13 | 1u << 30));
    CHECK(v.guests[0].interrupts[1] == 0);
    CHECK(v.guests[0].interrupts[2] == 0);
    REQUIRE(v.partitions[0].devices.size() == 1);
    CHECK(v.board.devices[v.partitions[0].devices[0]].path == "/serial@101f2000");
    REQUIRE(v.guests[1].devices.size() == 2);
    CHECK(v.guests[1].devices[0].address == 0x10010000);
    CHECK(v.guests[1].devices[0].size == 0x10000);
    CHECK(v.guests[1].devices[1].address == 0x101f3000);
    CHECK(v.guests[1].interrupts[0] == (1u << 25 | 1u << 14));

    // GIC triples: <0 N 4> is line 32 + N.
    const image::System x =
        loaded(system_on("vexpress-a9", partition("a", "devices = <&uart1>;") +
                                            partition("b", "devices = <&mmc>; interrupt-lines = <95>;")));
    REQUIRE(x.guests[0].devices.size() == 1);
    CHECK(x.guests[0].devices[0].address == 0x1000a000);
    CHECK(x.guests[0].devices[0].size == 0x1000);
    CHECK(x.guests[0].interrupts[0] == 0);
    CHECK(x.guests[0].interrupts[1] == 1u << (38 - 32));
    CHECK(x.guests[0].interrupts[2] == 0);
    CHECK(x.guests[1].interrupts[1] == (1u << (41 - 32) | 1u << (42 - 32)));
    CHECK(x.guests[1].interrupts[2] == 1u << (95 - 64));

    // The board as read: the controller's lines, the emulated set's bits, the lines per device.
    const image::Device& uart1 = x.board.devices[device_index(x.board, "/serial@1000a000")];
    CHECK(uart1.emulated == -1);
    CHECK(uart1.lines == std::vector<unsigned>{38});
    CHECK(uart1.lines_passable);
    const image::Device& gic = x.board.devices[device_index(x.board, "/interrupt-controller@1e001000")];
    CHECK(gic.emulated == 0);
    CHECK(gic.ranges.size() == 2);
    const image::Device& mmc0 = v.board.devices[device_index(v.board, "/mmc@10005000")];
    CHECK_FALSE(mmc0.lines_passable);
    CHECK(mmc0.lines.empty());
}

TEST_CASE("image: a partition sees every emulated device unless it lists them")
{
    const image::System s = loaded(
        system_on("versatilepb", partition("all") + partition("some", "emulated = <&uart0 &vic &uart0>;")));
    CHECK(s.guests[0].emulated == 0x1f);  // vic, sic, timer01, timer23, uart0
    CHECK(s.partitions[0].emulated.size() == 5);
    CHECK(s.guests[1].emulated == (1u << 0 | 1u << 4));
    CHECK(s.partitions[1].emulated.size() == 2);
    const image::System x = loaded(
        system_on("vexpress-a9", partition("all") + partition("timers", "emulated = <&timer23 &timer01>;")));
    CHECK(x.guests[0].emulated == 0x3f);  // gic, timer01, timer23, uart0, sysreg, sysctl
    CHECK(x.guests[1].emulated == (1u << 1 | 1u << 2));
    // <>: none.
    const image::System none = loaded(system_on("versatilepb", partition("none", "emulated = <>;")));
    CHECK(none.guests[0].emulated == 0);
    CHECK(none.partitions[0].emulated.empty());
}

TEST_CASE("image: scheduling, semihosting and the system's settings")
{
    const std::string source =
        "/dts-v1/;\n/include/ \"versatilepb.dtsi\"\n/ { cellvisor { compatible = \"cellvisor,system\";\n"
        "status-period-ms = <200>; slice-us = <5000>;\n" +
        partition("a",
                  "priority = <7>; slice-us = <2000>; budget-us = <1000>; period-us = <4000>; semihosting;") +
        partition("b", "device-tree; unowned-access = \"abort\";") +
        partition("c", "unowned-access = \"read-as-zero\";") + "}; };\n";
    const image::System s = loaded(source);
    CHECK(s.settings.status_period == 200);
    CHECK(s.settings.slice == 5000);
    const pack::Guest& a = s.guests[0];
    CHECK(a.priority == 7);
    CHECK(a.slice == 2000);
    CHECK(a.budget == 1000);
    CHECK(a.period == 4000);
    CHECK(a.flags == package::flag_semihosting);
    CHECK(s.guests[1].flags == package::flag_abort_unowned);
    CHECK_FALSE(s.guests[2].flags.has_value());  // the default: no flag
    CHECK_FALSE(s.partitions[0].device_tree);
    CHECK(s.partitions[1].device_tree);
    CHECK(s.partitions[1].bootargs.empty());
}

// === A partition's device tree =================================================================

TEST_CASE("image: a partition's device tree: its memory, its chosen, its devices, no cellvisor property")
{
    system_source::write_bytes(scratch() / "initrd.cpio", std::vector<uint8_t>(3000, 1));
    const std::string source = system_on(
        "versatilepb",
        partition(
            "a",
            "devices = <&uart1>; bootargs = \"console=ttyAMA0 root=/dev/ram\"; initrd = \"initrd.cpio\";") +
            partition(
                "b",
                "devices = <&uart2>; emulated = <&vic &uart0>; memory-size = <0x2000000>; device-tree;"));
    const std::vector<uint8_t> blob = compiled(source);
    image::System system;
    image::Error error;
    REQUIRE(image::load(blob, sample_paths(), system, error));
    REQUIRE(system.partitions[0].initrd == (scratch() / "initrd.cpio").string());

    const std::vector<uint8_t> a = image::guest_tree(blob, system, 0, 0x00fe0000, 3000);
    const void* fdt = a.data();
    REQUIRE(fdt_check_full(fdt, a.size()) == 0);
    CHECK(fdt_totalsize(fdt) == a.size());
    CHECK(cells(fdt, "/memory@0", "reg") == std::vector<uint32_t>{0, 16 * mib});
    CHECK(string_property(fdt, "/memory@0", "device_type") == "memory");
    CHECK(string_property(fdt, "/chosen", "bootargs") == "console=ttyAMA0 root=/dev/ram");
    CHECK(cells(fdt, "/chosen", "linux,initrd-start") == std::vector<uint32_t>{0x00fe0000});
    CHECK(cells(fdt, "/chosen", "linux,initrd-end") == std::vector<uint32_t>{0x00fe0000 + 3000});
    CHECK(string_property(fdt, "/", "model") == "ARM Versatile PB");
    CHECK(string_property(fdt, "/", "compatible") == "arm,versatile-pb");
    CHECK(cells(fdt, "/", "#address-cells") == std::vector<uint32_t>{1});
    CHECK(string_property(fdt, "/cpus/cpu@0", "compatible") == "arm,arm926ej-s");
    CHECK(cells(fdt, "/cpus", "#size-cells") == std::vector<uint32_t>{0});
    CHECK(cells(fdt, "/serial@101f2000", "reg") == std::vector<uint32_t>{0x101f2000, 0x1000});
    CHECK(cells(fdt, "/serial@101f2000", "interrupts") == std::vector<uint32_t>{13});

    std::set<std::string> nodes;
    std::vector<std::string> properties;
    walk(fdt, 0, nodes, properties);
    const std::set<std::string> expected = {"/",
                                            "/cpus",
                                            "/cpus/cpu@0",
                                            "/chosen",
                                            "/memory@0",
                                            "/interrupt-controller@10140000",  // emulated: every one
                                            "/interrupt-controller@10003000",
                                            "/timer@101e2000",
                                            "/timer@101e3000",
                                            "/serial@101f1000",
                                            "/serial@101f2000"};  // passed through
    CHECK(nodes == expected);
    for (const std::string& p : properties) {
        INFO(p);
        CHECK(p.find(":cellvisor,") == std::string::npos);
    }
    // The root's interrupt-parent still names the controller.
    const uint32_t parent = cells(fdt, "/", "interrupt-parent")[0];
    CHECK(fdt_node_offset_by_phandle(fdt, parent) == fdt_path_offset(fdt, "/interrupt-controller@10140000"));

    // b: its window, its emulated devices only, its passed-through one, no bootargs or initrd.
    const std::vector<uint8_t> b = image::guest_tree(blob, system, 1, 0, 0);
    REQUIRE(fdt_check_full(b.data(), b.size()) == 0);
    CHECK(cells(b.data(), "/memory@0", "reg") == std::vector<uint32_t>{0, 32 * mib});
    std::set<std::string> b_nodes;
    std::vector<std::string> b_properties;
    walk(b.data(), 0, b_nodes, b_properties);
    CHECK(b_nodes == std::set<std::string>{"/", "/cpus", "/cpus/cpu@0", "/chosen", "/memory@0",
                                           "/interrupt-controller@10140000", "/serial@101f1000",
                                           "/serial@101f3000"});
    const int chosen = fdt_path_offset(b.data(), "/chosen");
    CHECK(fdt_first_property_offset(b.data(), chosen) < 0);  // empty
}

TEST_CASE("image: a partition's device tree on vexpress-a9")
{
    const std::string source =
        system_on("vexpress-a9", partition("a", "devices = <&uart1 &mmc>; device-tree;"));
    const std::vector<uint8_t> blob = compiled(source);
    image::System system;
    image::Error error;
    REQUIRE(image::load(blob, sample_paths(), system, error));
    const std::vector<uint8_t> tree = image::guest_tree(blob, system, 0, 0, 0);
    const void* fdt = tree.data();
    REQUIRE(fdt_check_full(fdt, tree.size()) == 0);
    CHECK(cells(fdt, "/memory@60000000", "reg") == std::vector<uint32_t>{0x60000000, 16 * mib});
    CHECK(string_property(fdt, "/cpus/cpu@0", "compatible") == "arm,cortex-a9");
    CHECK(cells(fdt, "/serial@1000a000", "interrupts") == std::vector<uint32_t>{0, 6, 4});
    CHECK(cells(fdt, "/interrupt-controller@1e001000", "reg") ==
          std::vector<uint32_t>{0x1e001000, 0x1000, 0x1e000100, 0x100});
    CHECK(fdt_path_offset(fdt, "/mmc@10005000") >= 0);
    CHECK(fdt_path_offset(fdt, "/serial@1000b000") < 0);  // not its
    CHECK(fdt_path_offset(fdt, "/ethernet@4e000000") < 0);
    CHECK(fdt_getprop(fdt, fdt_path_offset(fdt, "/interrupt-controller@1e001000"), "cellvisor,lines",
                      nullptr) == nullptr);
    CHECK(fdt_getprop(fdt, 0, "cellvisor,configuration", nullptr) == nullptr);
}

TEST_CASE("image: build places the device tree at the window's last 64 KiB and the package carries it")
{
    system_source::write_bytes(scratch() / "relocated.elf", relocated_sample(0x60000000));
    const Built b =
        built(system_on("vexpress-a9", "a { image = \"relocated.elf\"; bootargs = \"quiet\"; };\n"
                                       "b { image = \"relocated.elf\"; memory-size = <0x2000000>; "
                                       "device-tree; };\nc { image = \"relocated.elf\"; };\n"));
    const uint32_t a_tree = 0x60000000 + 16 * mib - 0x10000, b_tree = 0x60000000 + 32 * mib - 0x10000;
    CHECK(b.system.guests[0].device_tree == a_tree);
    CHECK(b.system.guests[1].device_tree == b_tree);
    CHECK(b.system.guests[2].device_tree == 0);
    REQUIRE(b.system.guests[0].blobs.size() == 1);
    CHECK(b.system.guests[0].blobs[0].address == a_tree);
    CHECK(b.system.guests[0].blobs[0].bytes == image::guest_tree(b.blob, b.system, 0, 0, 0));
    CHECK(b.system.guests[2].blobs.empty());

    const Validated v = validated(b.result.package, vexpress_monitor);
    REQUIRE(v.refusal == package::Refusal::none);
    REQUIRE(v.view.header->partition_count == 3);
    const package::Partition& a = v.view.partitions[0];
    CHECK(a.device_tree == a_tree);
    CHECK(v.view.partitions[1].device_tree == b_tree);
    CHECK(v.view.partitions[2].device_tree == 0);
    CHECK(a.window_base == 0x61000000);
    CHECK(v.view.partitions[1].window_base == 0x62000000);
    CHECK(v.view.partitions[2].window_base == 0x64000000);
    // The tree is one of a's segments: the blob's bytes at its address, bootargs inside.
    bool found = false;
    for (uint32_t i = 0; i < a.segment_count; ++i) {
        const package::Segment& s = v.view.segments(a)[i];
        if (s.address != a_tree) continue;
        found = true;
        REQUIRE(s.file_size == b.system.guests[0].blobs[0].bytes.size());
        // libfdt reads a tree 8-byte aligned; in the package it is 4 (the monitor copies it).
        const std::vector<uint8_t> tree(v.view.bytes(s), v.view.bytes(s) + s.file_size);
        REQUIRE(fdt_check_full(tree.data(), tree.size()) == 0);
        CHECK(string_property(tree.data(), "/chosen", "bootargs") == "quiet");
    }
    CHECK(found);
}

TEST_CASE("image: build loads an initrd page-aligned below the device tree")
{
    system_source::write_bytes(scratch() / "initrd-5000.cpio", std::vector<uint8_t>(5000, 0xa5));
    const Built b = built(system_on("versatilepb", partition("a", "initrd = \"initrd-5000.cpio\";")));
    const pack::Guest& g = b.system.guests[0];
    const uint32_t tree = 16 * mib - 0x10000, initrd = (tree - 5000) & ~0xfffu;
    CHECK(g.device_tree == tree);
    REQUIRE(g.blobs.size() == 2);
    CHECK(g.blobs[0].address == initrd);
    CHECK(g.blobs[0].bytes == std::vector<uint8_t>(5000, 0xa5));
    CHECK(g.blobs[1].address == tree);
    const void* fdt = g.blobs[1].bytes.data();
    REQUIRE(fdt_check_full(fdt, g.blobs[1].bytes.size()) == 0);
    CHECK(cells(fdt, "/chosen", "linux,initrd-start") == std::vector<uint32_t>{initrd});
    CHECK(cells(fdt, "/chosen", "linux,initrd-end") == std::vector<uint32_t>{initrd + 5000});
    const Validated v = validated(b.result.package, versatilepb_monitor);
    REQUIRE(v.refusal == package::Refusal::none);
    CHECK(v.view.partitions[0].segment_count == 3);  // the image's, the initrd's, the tree's
}

// === The bootable image ========================================================================

TEST_CASE("image: monitor_configuration reads the monitor's configuration section")
{
    CHECK(image::monitor_configuration(fake_monitor(0x60000000, "vexpress-a9").elf) == "vexpress-a9");
    CHECK(image::monitor_configuration(fake_monitor(0, "versatilepb").elf) == "versatilepb");

    std::vector<uint8_t> x86 = fake_monitor(0, "versatilepb").elf;
    put(x86, offsetof(Elf32_Ehdr, e_machine), uint16_t(EM_386));
    CHECK(image::monitor_configuration(x86).empty());
    std::vector<uint8_t> renamed = fake_monitor(0, "versatilepb").elf;
    renamed[strings_offset + 12] = 'k';  // .kellvisor.configuration
    CHECK(image::monitor_configuration(renamed).empty());
    std::vector<uint8_t> cut = fake_monitor(0, "versatilepb").elf;
    cut.resize(sections_offset + sizeof(Elf32_Shdr));  // the section headers cut off
    CHECK(image::monitor_configuration(cut).empty());
    std::vector<uint8_t> beyond = fake_monitor(0, "versatilepb").elf;
    put(beyond, sections_offset + 2 * sizeof(Elf32_Shdr) + offsetof(Elf32_Shdr, sh_offset),
        uint32_t(0xfffffff0));
    CHECK(image::monitor_configuration(beyond).empty());
    CHECK(image::monitor_configuration(sample("rewrite_sample.elf")).empty());  // a guest, not a monitor
    CHECK(image::monitor_configuration({}).empty());
}

TEST_CASE("image: link_image puts the monitor's segments and the package at RAM base + 1 MiB")
{
    const uint32_t ram_base = 0x60000000;
    const Fake_monitor monitor = fake_monitor(ram_base, "vexpress-a9");
    std::vector<uint8_t> package_bytes(0x1234);
    for (size_t i = 0; i < package_bytes.size(); ++i) package_bytes[i] = uint8_t(i * 7);
    std::vector<uint8_t> elf, raw;
    REQUIRE(image::link_image(monitor.elf, package_bytes, ram_base, elf, raw).empty());

    const auto header = get<Elf32_Ehdr>(elf, 0);
    CHECK(std::memcmp(header.e_ident, ELFMAG, SELFMAG) == 0);
    CHECK(header.e_ident[EI_CLASS] == ELFCLASS32);
    CHECK(header.e_type == ET_EXEC);
    CHECK(header.e_machine == EM_ARM);
    CHECK(header.e_entry == monitor.entry);
    CHECK(header.e_flags == 0x05000200);
    CHECK(header.e_phentsize == sizeof(Elf32_Phdr));
    REQUIRE(header.e_phnum == 3);  // code, data: the ones with bytes; then the package
    const auto code = get<Elf32_Phdr>(elf, header.e_phoff);
    const auto data = get<Elf32_Phdr>(elf, header.e_phoff + sizeof(Elf32_Phdr));
    const auto pack_segment = get<Elf32_Phdr>(elf, header.e_phoff + 2 * sizeof(Elf32_Phdr));
    CHECK(code.p_type == PT_LOAD);
    CHECK(code.p_paddr == ram_base);
    CHECK(code.p_vaddr == 0xfff00000);
    CHECK(code.p_filesz == 0x100);
    CHECK(data.p_paddr == ram_base + 0x8000);
    CHECK(data.p_filesz == 0x20);
    CHECK(data.p_memsz == 0x2000);  // its bss kept
    CHECK(pack_segment.p_type == PT_LOAD);
    CHECK(pack_segment.p_paddr == ram_base + mib);
    CHECK(pack_segment.p_vaddr == ram_base + mib);
    CHECK(pack_segment.p_filesz == package_bytes.size());
    CHECK(pack_segment.p_memsz == package_bytes.size());
    const auto bytes_of = [&](const Elf32_Phdr& s) {
        REQUIRE(uint64_t(s.p_offset) + s.p_filesz <= elf.size());
        return std::vector<uint8_t>(elf.begin() + s.p_offset, elf.begin() + s.p_offset + s.p_filesz);
    };
    CHECK(bytes_of(code) == monitor.code);
    CHECK(bytes_of(data) == monitor.data);
    CHECK(bytes_of(pack_segment) == package_bytes);

    // The raw image: RAM from its base, the package at 1 MiB, zeros between.
    std::vector<uint8_t> expected(mib, 0);
    std::copy(monitor.code.begin(), monitor.code.end(), expected.begin());
    std::copy(monitor.data.begin(), monitor.data.end(), expected.begin() + 0x8000);
    expected.insert(expected.end(), package_bytes.begin(), package_bytes.end());
    CHECK(raw == expected);
}

TEST_CASE("image: a built system links into an image whose package the monitor accepts")
{
    const Built b = built(system_on("versatilepb", partition("radio", "priority = <2>; devices = <&uart1>;") +
                                                       partition("work", "bootargs = \"x\";")));
    std::vector<uint8_t> elf, raw;
    REQUIRE(image::link_image(fake_monitor(0, "versatilepb").elf, b.result.package, 0, elf, raw).empty());
    const std::vector<uint8_t> placed(raw.begin() + mib, raw.end());
    CHECK(placed == b.result.package);
    const Validated v = validated(placed, versatilepb_monitor);
    REQUIRE(v.refusal == package::Refusal::none);
    CHECK(std::string(v.view.partitions[0].name) == "radio");
    CHECK(v.view.partitions[0].device_count == 1);
    CHECK(v.view.devices(v.view.partitions[0])[0].address == 0x101f2000);
    CHECK(v.view.partitions[0].interrupts[0] == 1u << 13);
    CHECK(v.view.partitions[1].device_tree == 16 * mib - 0x10000);
}

TEST_CASE("image: read_image reads a linked image back: the monitor's seal, the package, the board")
{
    const uint32_t ram_base = 0x60000000;
    const Fake_monitor monitor = fake_monitor(ram_base, "vexpress-a9");
    const std::vector<uint8_t> package_bytes(0x321, 0x5a);
    image::Board_note note;
    note.configuration = "vexpress-a9";
    note.ram_base = ram_base;
    note.ram_size = 128 * mib;
    note.windows_base = ram_base + 16 * mib;
    note.lines[1] = 0xfffffff0;
    note.reserved = {0x1e000000, 0x10009000};
    std::vector<uint8_t> elf, raw;
    REQUIRE(image::link_image(monitor.elf, package_bytes, ram_base, elf, raw, &note).empty());
    const std::vector<uint8_t> raw_without_note = raw;
    std::vector<uint8_t> plain_elf;
    REQUIRE(image::link_image(monitor.elf, package_bytes, ram_base, plain_elf, raw).empty());
    CHECK(raw == raw_without_note);  // the note is the ELF's only

    image::Image read;
    REQUIRE(image::read_image(elf, read).empty());
    CHECK(read.ram_base == ram_base);
    CHECK(read.monitor_size == 0x120);
    CHECK(read.seal.intact());
    CHECK(read.seal.stamped == package::monitor_seal(monitor.code.data(), 0xfc, monitor.data.data(), 0x20));
    REQUIRE(read.has_package);
    CHECK(read.package == package_bytes);
    REQUIRE(read.has_note);
    CHECK(read.note.configuration == "vexpress-a9");
    const package::Board board = read.note.board();
    CHECK(board.ram_base == ram_base);
    CHECK(board.ram_size == 128 * mib);
    CHECK(board.windows_base == ram_base + 16 * mib);
    CHECK(board.lines[1] == 0xfffffff0);
    REQUIRE(board.reserved_count == 2);
    CHECK(board.reserved[1] == 0x10009000);

    image::Image plain;
    REQUIRE(image::read_image(plain_elf, plain).empty());
    CHECK(!plain.has_note);
    image::Image alone;  // the monitor's own ELF: no package
    REQUIRE(image::read_image(monitor.elf, alone).empty());
    CHECK(alone.seal.intact());
    CHECK(!alone.has_package);

    // A byte of the monitor's code, of its data, or of its seal changed: the seal no longer matches.
    const auto header = get<Elf32_Ehdr>(elf, 0);
    const auto code = get<Elf32_Phdr>(elf, header.e_phoff);
    const auto data = get<Elf32_Phdr>(elf, header.e_phoff + sizeof(Elf32_Phdr));
    for (const uint32_t offset : {code.p_offset + 0x10, code.p_offset + 0xfd, data.p_offset + 3}) {
        std::vector<uint8_t> corrupt = elf;
        corrupt[offset] ^= 0x01;
        image::Image bad;
        REQUIRE(image::read_image(corrupt, bad).empty());
        CHECK(!bad.seal.intact());
        CHECK(image::seal_mismatch(bad.seal).find("does not match its bytes") != std::string::npos);
    }
    CHECK(!image::read_image(std::vector<uint8_t>(elf.begin(), elf.begin() + 60), read).empty());
    image::Image guest;  // an ELF that is no monitor: nothing seals it
    REQUIRE(image::read_image(sample("rewrite_sample.elf"), guest).empty());
    CHECK(!guest.seal.intact());
    std::vector<uint8_t> three = monitor.elf;  // a third segment with bytes: not a monitor's layout
    put(three, segment_at(2) + offsetof(Elf32_Phdr, p_filesz), uint32_t(0x10));
    put(three, segment_at(2) + offsetof(Elf32_Phdr, p_offset), uint32_t(code_offset));
    CHECK(image::read_image(three, read) ==
          "not a sealed monitor (its loadable bytes are not one read-only and one data segment)");
}

TEST_CASE("image: link_image refuses a monitor it cannot use")
{
    const uint32_t ram_base = 0x60000000;
    const auto refusal = [&](const std::vector<uint8_t>& monitor,
                             const std::vector<uint8_t>& package = std::vector<uint8_t>(64, 1)) {
        std::vector<uint8_t> elf, raw;
        return image::link_image(monitor, package, ram_base, elf, raw);
    };
    const std::vector<uint8_t> good = fake_monitor(ram_base, "vexpress-a9").elf;
    REQUIRE(refusal(good).empty());

    std::vector<uint8_t> x86 = good;
    put(x86, offsetof(Elf32_Ehdr, e_machine), uint16_t(EM_386));
    CHECK(refusal(x86) == "not an ARM executable ELF");
    std::vector<uint8_t> relocatable = good;
    put(relocatable, offsetof(Elf32_Ehdr, e_type), uint16_t(ET_REL));
    CHECK(refusal(relocatable) == "not an ARM executable ELF");
    std::vector<uint8_t> big_endian = good;
    big_endian[EI_DATA] = ELFDATA2MSB;
    CHECK(refusal(big_endian) == "not an ARM executable ELF");
    CHECK(refusal(std::vector<uint8_t>(good.begin(), good.begin() + 40)) == "not an ARM executable ELF");

    // The program headers moved to the end of the file, the last one cut short.
    std::vector<uint8_t> at_end = good;
    at_end.insert(at_end.end(), good.begin() + segment_at(0), good.begin() + segment_at(4));
    put(at_end, offsetof(Elf32_Ehdr, e_phoff), uint32_t(good.size()));
    REQUIRE(refusal(at_end).empty());
    at_end.resize(at_end.size() - 8);
    CHECK(refusal(at_end) == "program headers truncated");
    std::vector<uint8_t> far = good;
    put(far, offsetof(Elf32_Ehdr, e_phoff), uint32_t(0xfffffff0));
    CHECK(refusal(far) == "program headers truncated");

    std::vector<uint8_t> cut = good;
    put(cut, segment_at(1) + offsetof(Elf32_Phdr, p_filesz), uint32_t(0x10000));
    CHECK(refusal(cut) == "a loadable segment is truncated");

    const std::string outside = "a loadable segment is outside the monitor's MiB at the board's RAM base";
    std::vector<uint8_t> below = good;
    put(below, segment_at(0) + offsetof(Elf32_Phdr, p_paddr), ram_base - 0x1000);
    CHECK(refusal(below) == outside);
    std::vector<uint8_t> over = good;
    put(over, segment_at(1) + offsetof(Elf32_Phdr, p_paddr),
        ram_base + mib - 0x1000);  // its bss past the MiB
    CHECK(refusal(over) == outside);
    std::vector<uint8_t> at_package = good;
    put(at_package, segment_at(0) + offsetof(Elf32_Phdr, p_paddr), ram_base + mib);
    CHECK(refusal(at_package) == outside);
    CHECK(refusal(sample("rewrite_sample.elf")) == outside);  // a guest linked at 0x10000

    std::vector<uint8_t> no_load = good;
    for (unsigned i = 0; i < 3; ++i)
        put(no_load, segment_at(i) + offsetof(Elf32_Phdr, p_type), uint32_t(PT_NOTE));
    CHECK(refusal(no_load) == "no loadable segment");

    std::vector<uint8_t> unsealed = good;
    unsealed[code_offset + 0x10] ^= 0x80;  // a byte of its code, after the seal was stamped
    CHECK(refusal(unsealed).find("the monitor's seal") == 0);
    std::vector<uint8_t> zero_seal = good;
    std::memset(zero_seal.data() + code_offset + 0xfc, 0, 4);  // as linked, before tools/seal-monitor
    CHECK(refusal(zero_seal).find("does not match its bytes") != std::string::npos);

    // A package larger than 15 MiB (a Linux kernel's) links; it must fit the board's RAM.
    CHECK(refusal(good, std::vector<uint8_t>(20 * mib)).empty());
    image::Board_note small;
    small.ram_size = 32 * mib;
    std::vector<uint8_t> elf, raw;
    CHECK(image::link_image(good, std::vector<uint8_t>(31 * mib + 1), ram_base, elf, raw, &small) ==
          "the package (31 MiB) does not fit the board's RAM");
    CHECK(image::link_image(good, std::vector<uint8_t>(31 * mib), ram_base, elf, raw, &small).empty());
}

// === Replacing a partition's image (cellvisor-image --replace) ==================================

namespace {

/// A range of a package's bytes: offset, size.
using Range = std::pair<uint32_t, uint32_t>;

/// The bytes partition `i` owns besides its record, told from the package format alone: its
/// segment and device records, its rewrite table, its segments' bytes padded to a word.
std::vector<Range> owned_ranges(const package::View& view, uint32_t i)
{
    const package::Partition& p = view.partitions[i];
    std::vector<Range> ranges{{p.segment_offset, p.segment_count * 16},
                              {p.device_offset, p.device_count * 8},
                              {p.rewrite_offset, 8 + view.rewrites(p).count * 8}};
    for (uint32_t s = 0; s < p.segment_count; ++s)
        ranges.push_back({view.segments(p)[s].offset, (view.segments(p)[s].file_size + 3) & ~3u});
    return ranges;
}

std::vector<uint8_t> bytes_in(const std::vector<uint8_t>& package, Range r)
{
    REQUIRE(uint64_t(r.first) + r.second <= package.size());
    return {package.begin() + r.first, package.begin() + r.first + r.second};
}

/// Partition `i` as the monitor loads it, wherever the package keeps it: its record without its
/// offsets, each segment's address, sizes and bytes, its devices and its rewrite table.
std::vector<uint8_t> content_of(const package::View& view, uint32_t i)
{
    const package::Partition& p = view.partitions[i];
    package::Partition record = p;
    record.segment_offset = record.device_offset = record.rewrite_offset = 0;
    std::vector<uint8_t> out;
    const auto add = [&](const void* bytes, size_t size) {
        const auto* b = static_cast<const uint8_t*>(bytes);
        out.insert(out.end(), b, b + size);
    };
    add(&record, sizeof record);
    for (uint32_t s = 0; s < p.segment_count; ++s) {
        const package::Segment& segment = view.segments(p)[s];
        add(&segment.address, 4);
        add(&segment.file_size, 4);
        add(&segment.memory_size, 4);
        add(view.bytes(segment), segment.file_size);
    }
    add(view.devices(p), p.device_count * sizeof(package::Device));
    add(&view.rewrites(p), 8 + view.rewrites(p).count * 8);
    return out;
}

/// The system of the replacement tests on versatilepb: radio with a device, work with a device
/// tree, an initrd and every setting of its own, home plain; work's image is `work_image`.
std::string replacement_system(const std::string& work_image)
{
    system_source::write_bytes(scratch() / "initrd-3000.cpio", std::vector<uint8_t>(3000, 0x3c));
    return system_on("versatilepb",
                     partition("radio", "priority = <2>; devices = <&uart1>;") + "work {\n image = \"" +
                         work_image +
                         "\";\n priority = <1>; slice-us = <300>; budget-us = <500>; period-us = <1000>;\n"
                         " memory-size = <0x2000000>; emulated = <&vic &uart0>; interrupt-lines = <20>;\n"
                         " semihosting; unowned-access = \"abort\"; bootargs = \"quiet\";\n"
                         " initrd = \"initrd-3000.cpio\";\n};\n" +
                         partition("home", "priority = <1>;"));
}

struct Replaced {
    bool ok;
    std::vector<uint8_t> package;
    std::string report;
    image::Error error;
};

Replaced replaced(const std::vector<uint8_t>& package, const image::Board_note& note, const std::string& name,
                  const char* sample_name)
{
    Replaced r{false, package, {}, {}};
    r.ok = image::replace_partition(r.package, note, name, sample_path(sample_name), sample(sample_name),
                                    r.report, r.error);
    return r;
}

}  // namespace

TEST_CASE("image: replace packs the new image as a full build does and keeps every other partition's bytes")
{
    const Built before = built(replacement_system("rewrite_sample.elf"));
    const Built rebuilt = built(replacement_system("replacement_sample.elf"));
    const image::Board_note note = image::board_note(before.system.board);
    CHECK(note.architecture == 5);
    const Replaced r = replaced(before.result.package, note, "work", "replacement_sample.elf");
    INFO(r.error.node << ": " << r.error.reason);
    REQUIRE(r.ok);
    CHECK(r.report == rebuilt.result.report[1]);

    const Validated old = validated(before.result.package, versatilepb_monitor);
    const Validated now = validated(r.package, versatilepb_monitor);
    const Validated full = validated(rebuilt.result.package, versatilepb_monitor);
    REQUIRE(old.refusal == package::Refusal::none);
    REQUIRE(now.refusal == package::Refusal::none);
    REQUIRE(full.refusal == package::Refusal::none);

    // The header as it was but for the size and the checksum.
    package::Header header = *now.view.header;
    CHECK(header.size == r.package.size());
    header.size = old.view.header->size;
    header.checksum = old.view.header->checksum;
    CHECK(std::memcmp(&header, old.view.header, sizeof header) == 0);

    // radio and home: their records and every byte they own, where they were.
    for (uint32_t i : {0u, 2u}) {
        INFO("partition " << i);
        CHECK(std::memcmp(&now.view.partitions[i], &old.view.partitions[i], sizeof(package::Partition)) == 0);
        for (const Range& range : owned_ranges(old.view, i))
            CHECK(bytes_in(r.package, range) == bytes_in(before.result.package, range));
    }
    // work: what the full build with the new image packs, its device tree and initrd among it.
    CHECK(content_of(now.view, 1) == content_of(full.view, 1));
    CHECK(content_of(now.view, 1) != content_of(old.view, 1));
    CHECK(now.view.partitions[1].segment_count == 4);  // two of the image's, the initrd's, the tree's
    CHECK(now.view.rewrites(now.view.partitions[1]).count == 1);
    // The old image's bytes: zeroed where they were, cut off past the other partitions' bytes.
    uint32_t new_start = UINT32_MAX;
    for (const Range& range : owned_ranges(now.view, 1))
        if (range.second) new_start = std::min(new_start, range.first);
    for (const Range& range : owned_ranges(old.view, 1))
        for (uint32_t at = range.first; at < range.first + range.second && at < new_start; ++at) {
            INFO("offset " << at);
            REQUIRE(r.package[at] == 0);
        }
}

TEST_CASE("image: a replaced partition replaced again stays last; its first image back is a wipe")
{
    const Built before = built(replacement_system("rewrite_sample.elf"));
    const image::Board_note note = image::board_note(before.system.board);
    const Replaced once = replaced(before.result.package, note, "work", "replacement_sample.elf");
    REQUIRE(once.ok);
    const Replaced twice = replaced(once.package, note, "work", "replacement_sample.elf");
    REQUIRE(twice.ok);
    CHECK(twice.package == once.package);  // its bytes were last: overwritten, nothing grows

    const Replaced wiped = replaced(once.package, note, "work", "rewrite_sample.elf");
    REQUIRE(wiped.ok);
    const Validated old = validated(before.result.package, versatilepb_monitor);
    const Validated now = validated(wiped.package, versatilepb_monitor);
    REQUIRE(now.refusal == package::Refusal::none);
    CHECK(content_of(now.view, 1) == content_of(old.view, 1));
    for (uint32_t i : {0u, 2u})
        for (const Range& range : owned_ranges(old.view, i))
            CHECK(bytes_in(wiped.package, range) == bytes_in(before.result.package, range));

    // The last partition: its bytes cut and written again where they were.
    const Replaced last = replaced(before.result.package, note, "home", "rewrite_sample.elf");
    REQUIRE(last.ok);
    const Validated home = validated(last.package, versatilepb_monitor);
    REQUIRE(home.refusal == package::Refusal::none);
    CHECK(content_of(home.view, 2) == content_of(old.view, 2));
}

TEST_CASE("image: replace refuses with the node and the reason, and leaves the package as it was")
{
    const Built before = built(replacement_system("rewrite_sample.elf"));
    const image::Board_note note = image::board_note(before.system.board);
    const std::vector<uint8_t>& original = before.result.package;
    const auto refusal = [&](const std::string& name, const std::vector<uint8_t>& elf,
                             const image::Board_note& with = image::Board_note{}) {
        const image::Board_note& n = with.configuration.empty() ? note : with;
        std::vector<uint8_t> package = original;
        std::string report;
        image::Error error;
        CHECK_FALSE(image::replace_partition(package, n, name, "new.elf", elf, report, error));
        CHECK(package == original);
        return error.node + ": " + error.reason;
    };
    const std::vector<uint8_t> guest = sample("replacement_sample.elf");
    CHECK(refusal("phone", guest) == "/cellvisor/phone: no such partition: the image has radio, work, home");
    CHECK(refusal("work", {}) == "/cellvisor/work: image: cannot read new.elf");
    CHECK(refusal("work", std::vector<uint8_t>(100, 'x')) ==
          "/cellvisor/work: image new.elf: not an ELF file");
    CHECK_THAT(refusal("home", sample("stripped_sample.elf")),
               StartsWith("/cellvisor/home: image new.elf: "));

    // Larger than the window: its bss 16 MiB.
    std::vector<uint8_t> big = guest;
    const auto header = get<Elf32_Ehdr>(big, 0);
    auto data = get<Elf32_Phdr>(big, header.e_phoff + sizeof(Elf32_Phdr));
    data.p_memsz = 16 * mib;
    put(big, header.e_phoff + sizeof(Elf32_Phdr), data);
    CHECK(
        refusal("radio", big) ==
        "/cellvisor/radio: image new.elf: loadable segment at physical 0x00011014-0x01011014 is outside the "
        "partition's RAM window 0x00000000-0x01000000");
    // Over work's device tree, in its window's last 64 KiB.
    CHECK(refusal("work", relocated_sample(32 * mib - 0x20000)) ==
          "/cellvisor/work: image new.elf: a blob to load overlaps the image or leaves the window");

    // An image whose note predates the architecture: it cannot say what to rewrite for.
    image::Board_note old_note = note;
    old_note.architecture = 0;
    CHECK_THAT(refusal("work", guest, old_note),
               StartsWith("/: the image does not record the architecture its guests were rewritten for"));
    // A package the note's board refuses.
    image::Board_note other_board = note;
    other_board.ram_base = 0x60000000;
    other_board.windows_base = 0x61000000;
    CHECK_THAT(refusal("work", guest, other_board), StartsWith("/: the package is refused: "));
}

TEST_CASE("image: relink_image links an image again with another package, its monitor and note kept")
{
    const Fake_monitor monitor = fake_monitor(0, "versatilepb");
    const Built b = built(replacement_system("rewrite_sample.elf"));
    const image::Board_note note = image::board_note(b.system.board);
    std::vector<uint8_t> elf, raw;
    REQUIRE(image::link_image(monitor.elf, b.result.package, 0, elf, raw, &note).empty());

    std::vector<uint8_t> again, again_raw;
    REQUIRE(image::relink_image(elf, b.result.package, again, again_raw).empty());
    CHECK(again == elf);
    CHECK(again_raw == raw);

    const Replaced r = replaced(b.result.package, note, "work", "replacement_sample.elf");
    REQUIRE(r.ok);
    std::vector<uint8_t> linked, linked_raw, relinked, relinked_raw;
    REQUIRE(image::link_image(monitor.elf, r.package, 0, linked, linked_raw, &note).empty());
    REQUIRE(image::relink_image(elf, r.package, relinked, relinked_raw).empty());
    CHECK(relinked == linked);
    CHECK(relinked_raw == linked_raw);
    image::Image read;
    REQUIRE(image::read_image(relinked, read).empty());
    CHECK(read.package == r.package);
    CHECK(read.note.architecture == 5);
    CHECK(read.note.configuration == "versatilepb");

    // Refused: the monitor alone, an image without a note, a seal that no longer matches.
    CHECK(image::relink_image(monitor.elf, r.package, relinked, relinked_raw) ==
          "no package: a monitor alone, not an image");
    std::vector<uint8_t> plain, plain_raw;
    REQUIRE(image::link_image(monitor.elf, b.result.package, 0, plain, plain_raw).empty());
    CHECK_THAT(image::relink_image(plain, r.package, relinked, relinked_raw), StartsWith("no note"));
    std::vector<uint8_t> corrupt = elf;
    corrupt[get<Elf32_Phdr>(elf, sizeof(Elf32_Ehdr)).p_offset + 0x10] ^= 1;
    CHECK_THAT(image::relink_image(corrupt, r.package, relinked, relinked_raw),
               StartsWith("the monitor's seal"));

    // A note written before it carried the architecture (one word shorter) reads as none.
    std::vector<uint8_t> older = elf;
    const auto header = get<Elf32_Ehdr>(older, 0);
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        auto s = get<Elf32_Phdr>(older, header.e_phoff + i * sizeof(Elf32_Phdr));
        if (s.p_type != PT_NOTE) continue;
        auto n = get<Elf32_Nhdr>(older, s.p_offset);
        n.n_descsz -= 4;
        put(older, s.p_offset, n);
        s.p_filesz -= 4;
        put(older, header.e_phoff + i * sizeof(Elf32_Phdr), s);
    }
    image::Image old_read;
    REQUIRE(image::read_image(older, old_read).empty());
    REQUIRE(old_read.has_note);
    CHECK(old_read.note.architecture == 0);
    CHECK(old_read.note.reserved == note.reserved);
}
