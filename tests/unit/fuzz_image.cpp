// Feeds truncated and mutated compiled systems to the image tool (load, the guest trees, the
// packer) and truncated and mutated packages to the monitor's validation, under AddressSanitizer
// and UndefinedBehaviorSanitizer. A system must be built or refused with a node and a reason,
// never thrown or crashed on; a system the tool builds must give a package the monitor's checks
// accept on the board the tool read; a package must be checked or refused with a reason, one the
// monitor's check accepts is read end to end as its loader reads it (any byte outside it is the
// sanitizer's to catch), and the host's validate refuses no less than the monitor's check. A
// partition's image replaced in a mutated package is refused with a node and a reason, or gives a
// package the monitor's checks accept.
//   fuzz_image SAMPLES_DIRECTORY ROUNDS
#include <elf.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

#include "tests/unit/system_source.hpp"
#include "tools/image/system.hpp"

namespace {

namespace fs = std::filesystem;
namespace package = core::package;

constexpr uint32_t mib = 1u << 20;

std::mt19937 random_source(20261121);

uint32_t random_below(uint32_t limit) { return limit ? uint32_t(random_source() % limit) : 0; }

// The seeds: the demo as it is, and a system per interrupt controller that reaches every part of
// the tool (devices and lines passed through, emulated lists, placed windows, budgets, device
// trees with bootargs and an initrd).
const std::string rich_versatilepb = R"(/dts-v1/;
/include/ "versatilepb.dtsi"
/ {
	cellvisor {
		compatible = "cellvisor,system";
		status-period-ms = <500>;
		slice-us = <2000>;
		a {
			image = "rewrite_sample.elf";
			priority = <3>;
			devices = <&uart1 &ethernet>;
			interrupt-lines = <20 21>;
			bootargs = "console=ttyAMA0 root=/dev/ram";
			initrd = "initrd.cpio";
			memory-size = <0x2000000>;
		};
		b {
			image = "rewrite_sample.elf";
			memory-base = <0x5000000>;
			emulated = <&vic &uart0 &timer01>;
			budget-us = <1000>;
			period-us = <10000>;
			slice-us = <500>;
			semihosting;
			device-tree;
		};
		c {
			image = "rewrite_sample.elf";
			devices = <&uart2 &rtc>;
		};
	};
};
)";

const std::string rich_vexpress = R"(/dts-v1/;
/include/ "vexpress-a9.dtsi"
/ {
	cellvisor {
		compatible = "cellvisor,system";
		a {
			image = "relocated.elf";
			devices = <&uart1 &mmc>;
			interrupt-lines = <60 95>;
			bootargs = "quiet";
		};
		b {
			image = "relocated.elf";
			memory-size = <0x3000000>;
			emulated = <&gic &uart0>;
			initrd = "initrd.cpio";
		};
		c {
			image = "relocated.elf";
			memory-base = <0x67000000>;
			devices = <&ethernet>;
			device-tree;
		};
	};
};
)";

// What the monitors allow a package (boards/versatilepb/board.hpp, boards/vexpress-a9/board.hpp).
constexpr uint32_t versatilepb_reserved[] = {0x10140000, 0x10003000, 0x101e2000, 0x101e3000, 0x101f1000};
constexpr package::Board versatilepb_monitor{
    0, 128 * mib, 16 * mib, {~(1u << 4 | 1u << 5 | 1u << 12 | 1u << 31), 0, 0}, versatilepb_reserved, 5};
constexpr uint32_t vexpress_reserved[] = {0x1e000000, 0x1e001000, 0x10011000, 0x10012000,
                                          0x10009000, 0x10000000, 0x10001000};
constexpr package::Board vexpress_monitor{
    0x60000000, 128 * mib, 0x61000000, {0, ~(1u << 2 | 1u << 3 | 1u << 5), ~0u}, vexpress_reserved, 7};

struct Seed {
    const char* name;
    std::vector<uint8_t> blob;
    const package::Board* monitor;
    std::vector<uint8_t> package{};
    image::Board_note note{};
    std::vector<uint8_t> guest{};  // a guest for the board: what replaces a partition's image
};

/// The rewrite sample with its segments at physical `ram_base` + their address.
std::vector<uint8_t> relocated(std::vector<uint8_t> elf, uint32_t ram_base)
{
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

uint32_t load32(const std::vector<uint8_t>& bytes, size_t offset)
{
    uint32_t value;
    std::memcpy(&value, bytes.data() + offset, 4);
    return value;
}

void store32(std::vector<uint8_t>& bytes, size_t offset, uint32_t value)
{
    if (offset + 4 <= bytes.size()) std::memcpy(bytes.data() + offset, &value, 4);
}

uint32_t big_endian(uint32_t value) { return __builtin_bswap32(value); }

/// A 32-bit value likely to reach an edge: sizes, offsets, tokens, phandles, addresses.
uint32_t interesting()
{
    static constexpr uint32_t values[] = {
        0,      1,        2,         3,         4,          9,          31,         32,
        95,     96,       255,       256,       0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc,
        0x1000, 0x100000, 0x1000000, 0x1800000, 0x8000000,  0x60000000, 0x101f2000, 0xfffff000};
    return random_source() % 4 == 0 ? uint32_t(random_source()) : values[random_below(sizeof values / 4)];
}

/// A mutated copy of a compiled system: cut short, bytes changed anywhere or in the structure
/// block, a cell or a header field set to an edge value.
std::vector<uint8_t> mutate_system(const std::vector<uint8_t>& original, unsigned long round)
{
    std::vector<uint8_t> blob = original;
    const uint32_t structure = big_endian(load32(blob, 8));  // off_dt_struct
    const uint32_t structure_size = big_endian(load32(blob, 36));
    switch (round % 6) {
    case 0: blob.resize(random_below(uint32_t(blob.size()))); break;
    case 1: {  // cut short, and the header says so
        blob.resize(sizeof(fdt_header) + random_below(uint32_t(blob.size() - sizeof(fdt_header))));
        store32(blob, 4, big_endian(uint32_t(blob.size())));
        break;
    }
    case 2:
        for (unsigned n = 1 + random_below(8); n; --n)
            blob[random_below(uint32_t(blob.size()))] = uint8_t(random_source());
        break;
    case 3:
        for (unsigned n = 1 + random_below(4); n; --n)
            blob[structure + random_below(structure_size)] = uint8_t(random_source());
        break;
    case 4:
        for (unsigned n = 1 + random_below(2); n; --n)
            store32(blob, structure + random_below(structure_size / 4) * 4, big_endian(interesting()));
        break;
    default: store32(blob, 4 * random_below(10), big_endian(interesting())); break;  // a header field
    }
    return blob;
}

/// Reads every byte a validated package's view points at; returns a sum so it is not elided.
uint32_t read_through(const package::View& view)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < view.header->partition_count; ++i) {
        const package::Partition& p = view.partitions[i];
        sum += uint32_t(std::strlen(p.name));
        for (uint32_t s = 0; s < p.segment_count; ++s) {
            const package::Segment& segment = view.segments(p)[s];
            const uint8_t* bytes = view.bytes(segment);
            for (uint32_t b = 0; b < segment.file_size; ++b) sum += bytes[b];
        }
        for (uint32_t d = 0; d < p.device_count; ++d) sum += view.devices(p)[d].address;
        const core::rewrite::Table_header& table = view.rewrites(p);
        for (uint32_t e = 0; e < table.count; ++e) sum += view.rewrite_entries(p)[e].address;
    }
    return sum;
}

/// Checks `bytes` from a buffer of exactly their size as the monitor does, reads through what it
/// accepts as the monitor's loader does, and validates it as the host tools do: what the monitor
/// accepts, validate accepts or refuses for a promise only the host tools keep. Returns false
/// when a refusal has no reason or the two disagree.
bool check_package(const std::vector<uint8_t>& bytes, const package::Board& board, unsigned long& refused,
                   uint32_t& sum)
{
    package::View view{};
    const package::Refusal r = package::check(bytes.data(), uint32_t(bytes.size()), board, view);
    if (r == package::Refusal::none) {
        sum += read_through(view);
        package::View validated{};
        const package::Refusal v = package::validate(bytes.data(), uint32_t(bytes.size()), board, validated);
        if (v != package::Refusal::none) ++refused;
        return package::describe(v) == nullptr || std::strcmp(package::describe(v), "unknown refusal") != 0;
    }
    ++refused;
    package::View validated{};
    if (package::validate(bytes.data(), uint32_t(bytes.size()), board, validated) != r) return false;
    const char* reason = package::describe(r);
    return reason && std::strcmp(reason, "unknown refusal") != 0;
}

void reseal(std::vector<uint8_t>& bytes)
{
    if (bytes.size() < sizeof(package::Header)) return;
    package::Header header;
    std::memcpy(&header, bytes.data(), sizeof header);
    if (header.size < sizeof header || header.size > bytes.size()) return;
    header.checksum =
        package::crc32(bytes.data() + package::checksummed_from, header.size - package::checksummed_from);
    std::memcpy(bytes.data(), &header, sizeof header);
}

std::vector<uint8_t> mutate_package(const std::vector<uint8_t>& original, unsigned long round)
{
    std::vector<uint8_t> bytes = original;
    switch (round % 4) {
    case 0: bytes.resize(random_below(uint32_t(bytes.size()))); break;
    case 1:  // cut short, the header's size and checksum made to agree
        bytes.resize(sizeof(package::Header) +
                     random_below(uint32_t(bytes.size() - sizeof(package::Header))));
        bytes.resize(bytes.size() & ~size_t(3));
        store32(bytes, offsetof(package::Header, size), uint32_t(bytes.size()));
        reseal(bytes);
        break;
    case 2:  // a field of the records set to an edge value, sealed again
        for (unsigned n = 1 + random_below(2); n; --n)
            store32(bytes, 4 * random_below(uint32_t(bytes.size() / 4)), interesting());
        reseal(bytes);
        break;
    default:
        for (unsigned n = 1 + random_below(8); n; --n)
            bytes[random_below(uint32_t(bytes.size()))] = uint8_t(random_source());
        if (random_source() % 2) reseal(bytes);
        break;
    }
    return bytes;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_image SAMPLES_DIRECTORY ROUNDS\n");
        return 2;
    }
    const fs::path samples = fs::absolute(argv[1]);
    const unsigned long rounds = std::strtoul(argv[2], nullptr, 0);
    const std::vector<uint8_t> guest = system_source::read_bytes(samples / "rewrite_sample.elf");
    if (guest.size() < sizeof(Elf32_Ehdr)) return 2;
    const fs::path& directory = system_source::scratch();
    for (const char* name : {"radio.elf", "work.elf", "home.elf"})
        system_source::write_bytes(directory / name, guest);
    system_source::write_bytes(directory / "relocated.elf", relocated(guest, 0x60000000));
    system_source::write_bytes(directory / "initrd.cpio", std::vector<uint8_t>(3000, 0x5a));
    const image::Paths paths{directory.string(), {samples.string()}};

    std::vector<Seed> seeds = {
        {"demo-versatilepb",
         system_source::compile("/include/ \"" CELLVISOR_SYSTEMS_DIRECTORY "/demo-versatilepb.dts\"\n"),
         &versatilepb_monitor},
        {"versatilepb", system_source::compile(rich_versatilepb), &versatilepb_monitor},
        {"vexpress-a9", system_source::compile(rich_vexpress), &vexpress_monitor},
    };
    for (Seed& seed : seeds) {
        image::System system;
        pack::Result result;
        image::Error error;
        if (seed.blob.empty() || !image::build(seed.blob, paths, system, result, error)) {
            std::fprintf(stderr, "fuzz: seed %s does not build: %s: %s\n", seed.name, error.node.c_str(),
                         error.reason.c_str());
            return 1;
        }
        seed.package = result.package;
        seed.note = image::board_note(system.board);
        seed.guest = system.board.ram_base ? relocated(guest, system.board.ram_base) : guest;
        package::View view;
        if (package::validate(seed.package.data(), uint32_t(seed.package.size()), *seed.monitor, view) !=
            package::Refusal::none) {
            std::fprintf(stderr, "fuzz: seed %s: the monitor refuses its package\n", seed.name);
            return 1;
        }
    }

    unsigned long built = 0, refused = 0, unexplained = 0, thrown = 0, inconsistent = 0;
    for (unsigned long i = 0; i < rounds; ++i) {
        const Seed& seed = seeds[i % seeds.size()];
        const std::vector<uint8_t> blob = mutate_system(seed.blob, i / seeds.size());
        image::System system;
        pack::Result result;
        image::Error error;
        bool ok = false;
        try {
            ok = image::build(blob, paths, system, result, error);
        } catch (const std::exception& e) {
            if (thrown++ < 5)
                std::fprintf(stderr, "fuzz: round %lu (%s): build threw: %s\n", i, seed.name, e.what());
            continue;
        }
        if (!ok) {
            ++refused;
            if (error.node.empty() || error.reason.empty()) {
                if (unexplained++ < 5)
                    std::fprintf(stderr,
                                 "fuzz: round %lu (%s): refused without a node or a reason ('%s': '%s')\n", i,
                                 seed.name, error.node.c_str(), error.reason.c_str());
            }
            continue;
        }
        ++built;
        // What the tool accepts, the monitor's checks accept on the same board.
        const image::Board_note note = image::board_note(system.board);
        package::View view;
        const package::Refusal r =
            package::validate(result.package.data(), uint32_t(result.package.size()), note.board(), view);
        if (r != package::Refusal::none && inconsistent++ < 5)
            std::fprintf(stderr, "fuzz: round %lu (%s): built, but the package is refused: %s\n", i,
                         seed.name, package::describe(r));
    }

    unsigned long packages_refused = 0, packages_unexplained = 0;
    uint32_t sum = 0;
    for (unsigned long i = 0; i < rounds * 4; ++i) {
        const Seed& seed = seeds[i % seeds.size()];
        const std::vector<uint8_t> bytes = mutate_package(seed.package, i / seeds.size());
        if (!check_package(bytes, *seed.monitor, packages_refused, sum) && packages_unexplained++ < 5)
            std::fprintf(stderr,
                         "fuzz: package round %lu (%s): refused without a reason, or check and validate "
                         "disagree\n",
                         i, seed.name);
    }

    // A partition's image replaced in a mutated package: refused with a node and a reason, or a
    // package the monitor's checks accept.
    unsigned long replaced = 0, replace_refused = 0, replace_unexplained = 0;
    for (unsigned long i = 0; i < rounds; ++i) {
        const Seed& seed = seeds[i % seeds.size()];
        std::vector<uint8_t> bytes = mutate_package(seed.package, i / seeds.size());
        static const char* const names[] = {"radio", "work", "home", "a", "b", "c"};
        std::string report;
        image::Error error;
        if (image::replace_partition(bytes, seed.note, names[random_below(6)], "new.elf", seed.guest, report,
                                     error)) {
            ++replaced;
            package::View view;
            if (package::validate(bytes.data(), uint32_t(bytes.size()), seed.note.board(), view) !=
                    package::Refusal::none &&
                replace_unexplained++ < 5)
                std::fprintf(stderr, "fuzz: replace round %lu (%s): replaced, but the package is refused\n",
                             i, seed.name);
        } else {
            ++replace_refused;
            if ((error.node.empty() || error.reason.empty()) && replace_unexplained++ < 5)
                std::fprintf(stderr, "fuzz: replace round %lu (%s): refused without a node or a reason\n", i,
                             seed.name);
        }
    }

    std::printf("fuzz: %lu mutated systems: %lu built, %lu refused with a node and a reason, %lu without, "
                "%lu thrown, %lu built but refused by the monitor's checks\n",
                rounds, built, refused - unexplained, unexplained, thrown, inconsistent);
    std::printf("fuzz: %lu mutated packages: %lu refused with a reason, %lu without (read through: %08x)\n",
                rounds * 4, packages_refused - packages_unexplained, packages_unexplained, unsigned(sum));
    std::printf("fuzz: %lu mutated packages, a partition's image replaced: %lu replaced, %lu refused, %lu "
                "without a reason or refused by the monitor's checks\n",
                rounds, replaced, replace_refused, replace_unexplained);
    return unexplained || thrown || inconsistent || packages_unexplained || replace_unexplained ? 1 : 0;
}
