// cellvisor-pack --arch v5|v6|v7 --ram-base ADDRESS [--window MIB] [--semihosting] [--abort-unowned]
// [--status MS] [--slice US] -o OUT GUEST.elf[:PRIORITY[:BUDGET/PERIOD]]... Packs board-native guest ELFs as
// partitions (each named after its file's stem) into the package the monitor boots; PRIORITY (0-255, default
// 0) orders them for the scheduler, higher first; BUDGET/PERIOD (microseconds) caps the partition's processor
// time per period; --semihosting has the monitor serve every guest's semihosting calls (off by default: a
// guest's `svc 0x123456` goes to its own SVC vector, as natively without -semihosting; --no-semihosting says
// the default and is still accepted, the later of the two wins); --abort-unowned gives every guest an
// external abort where it touches an address it does not own (default: reads as zero, writes ignored, as
// QEMU's bus does where no device decodes); --status has the monitor print a status line every MS
// milliseconds; --slice sets the round robin's time slice among equal priorities (microseconds; default
// 10 ms). cellvisor-pack --check PACKAGE --ram-base ADDRESS reads a package back: its partitions, or in words
// why the monitor would refuse it (it prints only the reason's number); what depends on the board is checked
// with its image (cellvisor-image --check). Exit status: 0 done (--check: valid), 1 a guest refused (file and
// reason on stderr; --check: refused), 2 usage or I/O error.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tools/pack/pack.hpp"

namespace {

int usage()
{
    std::fprintf(stderr, "usage: cellvisor-pack --arch v5|v6|v7 --ram-base ADDRESS [--window MIB] "
                         "[--semihosting] [--abort-unowned] "
                         "[--status MS] [--slice US] -o OUT GUEST.elf[:PRIORITY[:BUDGET/PERIOD]]...\n"
                         "       cellvisor-pack --check PACKAGE --ram-base ADDRESS\n");
    return 2;
}

}  // namespace

/// cellvisor-pack --check PACKAGE --ram-base ADDRESS: the monitor's verdict on a package, in words.
int check(const char* path, uint32_t ram_base)
{
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.eof() && !in) {
        std::fprintf(stderr, "cellvisor-pack: %s: cannot read\n", path);
        return 2;
    }
    std::vector<uint32_t> aligned((bytes.size() + 3) / 4);  // the monitor reads it word-aligned
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    // What does not depend on the board: any RAM above the package, every line, no reserved page
    // (cellvisor-image checks a system against its board).
    const core::package::Board board{ram_base,        ~ram_base, ram_base + core::package::windows_offset,
                                     {~0u, ~0u, ~0u}, nullptr,   0};
    core::package::View view;
    const auto refusal = core::package::validate(reinterpret_cast<const uint8_t*>(aligned.data()),
                                                 uint32_t(bytes.size()), board, view);
    if (refusal == core::package::Refusal::none) {
        std::printf("cellvisor-pack: %s: a valid package of %u partitions, %u bytes, checksum %08x intact\n",
                    path, unsigned(view.header->partition_count), unsigned(view.header->size),
                    unsigned(view.header->checksum));
        for (const std::string& line : pack::describe(view))
            std::printf("cellvisor-pack:   %s\n", line.c_str());
        return 0;
    }
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "\177ELF", 4) == 0) {
        std::fprintf(stderr,
                     "cellvisor-pack: %s: an ELF file, not a package: cellvisor-image --check reads images\n",
                     path);
        return 1;
    }
    std::fprintf(stderr, "cellvisor-pack: %s: refused, reason %u: %s\n", path, unsigned(refusal),
                 core::package::describe(refusal));
    return 1;
}

int main(int argc, char** argv)
{
    pack::Settings settings;
    std::string output, arch;
    const char* checked = nullptr;
    bool have_base = false;
    std::vector<pack::Guest> guests;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--arch" && has_value)
            arch = argv[++i];
        else if (a == "--ram-base" && has_value) {
            settings.ram_base = uint32_t(std::strtoul(argv[++i], nullptr, 0));
            have_base = true;
        } else if (a == "--window" && has_value)
            settings.window_size = uint32_t(std::strtoul(argv[++i], nullptr, 0)) << 20;
        else if (a == "--check" && has_value)
            checked = argv[++i];
        else if (a == "--slice" && has_value)
            settings.slice = uint32_t(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--status" && has_value)
            settings.status_period = uint32_t(std::strtoul(argv[++i], nullptr, 10));
        else if (a == "--semihosting")
            settings.flags |= core::package::flag_semihosting;
        else if (a == "--no-semihosting")
            settings.flags &= ~core::package::flag_semihosting;
        else if (a == "--abort-unowned")
            settings.flags |= core::package::flag_abort_unowned;
        else if (a == "-o" && has_value)
            output = argv[++i];
        else if (!a.empty() && a[0] == '-')
            return usage();
        else {
            // From the right: an optional BUDGET/PERIOD after an optional PRIORITY.
            pack::Guest guest;
            std::string path = a;
            const auto suffix = [&](const char* pattern) {
                const size_t colon = path.rfind(':');
                if (colon == std::string::npos || std::filesystem::exists(path)) return std::string();
                const std::string tail = path.substr(colon + 1);
                if (tail.empty() || tail.find_first_not_of(pattern) != std::string::npos)
                    return std::string();
                path.resize(colon);
                return tail;
            };
            if (const size_t slash = a.rfind('/'), colon = a.rfind(':');
                slash != std::string::npos && colon != std::string::npos && slash > colon) {
                const std::string budget = suffix("0123456789/");
                const std::string priority = suffix("0123456789");
                char* end = nullptr;
                guest.budget = uint32_t(std::strtoul(budget.c_str(), &end, 10));
                guest.period = *end == '/' ? uint32_t(std::strtoul(end + 1, &end, 10)) : 0;
                if (budget.empty() || priority.empty() || *end || !guest.budget ||
                    guest.budget > guest.period) {
                    std::fprintf(stderr,
                                 "cellvisor-pack: %s: expected GUEST.elf:PRIORITY:BUDGET/PERIOD, "
                                 "0 < BUDGET <= PERIOD (microseconds)\n",
                                 a.c_str());
                    return 2;
                }
                path += ":" + priority;
            }
            if (const std::string priority = suffix("0123456789"); !priority.empty()) {
                const unsigned long value = std::strtoul(priority.c_str(), nullptr, 10);
                if (priority.size() > 3 || value > 255) {
                    std::fprintf(stderr, "cellvisor-pack: %s: the priority must be 0-255\n", a.c_str());
                    return 2;
                }
                guest.priority = uint8_t(value);
            }
            guest.name = std::filesystem::path(path).stem().string();
            guest.path = path;
            guests.push_back(guest);
        }
    }
    if (checked) return have_base ? check(checked, settings.ram_base) : usage();
    if (arch == "v5")
        settings.architecture = core::Architecture::v5;
    else if (arch == "v6")
        settings.architecture = core::Architecture::v6;
    else if (arch == "v7")
        settings.architecture = core::Architecture::v7;
    else
        return usage();
    if (!have_base || output.empty() || guests.empty()) return usage();
    for (auto& guest : guests) {
        std::ifstream in(guest.path, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cellvisor-pack: %s: cannot read\n", guest.path.c_str());
            return 2;
        }
        guest.elf.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const pack::Result result = pack::build(guests, settings);
    if (!result.ok) {
        std::fprintf(stderr, "cellvisor-pack: %s\n", result.error.c_str());
        return 1;
    }
    for (const auto& line : result.report) std::printf("cellvisor-pack: %s\n", line.c_str());
    std::ofstream out(output, std::ios::binary);
    out.write(reinterpret_cast<const char*>(result.package.data()), std::streamsize(result.package.size()));
    if (!out) {
        std::fprintf(stderr, "cellvisor-pack: cannot write %s\n", output.c_str());
        return 2;
    }
    return 0;
}
