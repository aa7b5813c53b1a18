// cellvisor-image --monitor MONITOR.elf [-I DIR]... -o IMAGE.elf [--binary IMAGE.bin]
//                 [--package PACKAGE] [--guest-trees DIR] SYSTEM.dts|SYSTEM.dtb
// cellvisor-image --check IMAGE.elf|MONITOR.elf
// cellvisor-image --replace NAME=GUEST.elf... -o OUT.elf [--binary OUT.bin] [--package PACKAGE] IMAGE.elf
// Checks a system described in Device Tree (docs/configuration.md) against its board and its
// guest images, rewrites the guests' sensitive instructions, and links one bootable image: the
// monitor and the package of partitions at RAM base + 1 MiB, as an ELF (QEMU's -kernel) and, with
// --binary, as raw bytes from RAM base (to flash). A .dts is compiled with dtc, its includes found
// in its own directory, the -I directories and the board descriptions (boards/dts). Images and
// initrds are found in the system file's directory, then the -I directories.
// The monitor must carry its seal (core/package.hpp: tools/seal-monitor stamps it when it is
// built). --check reads a built image (or a monitor alone) back and says what the monitor will
// find at boot: its seal intact or not, and the package's partitions or why it refuses it.
// --replace puts a new image in a built image's partition NAME (a profile wiped, or replaced by
// its owner): packed as the full build packs it, every other partition's bytes kept as they are.
// Exit status: 0 done (--check: all is well); 1 the system is refused (FILE: NODE: REASON on
// stderr; dtc's own messages for a .dts it cannot compile; a file the system names that is
// missing or unreadable), or the monitor image is not one or its seal does not match (--check:
// the monitor or the package would stop the boot; --replace: the image or the new guest is
// refused, FILE: NODE: REASON with FILE the image); 2 usage, the system or monitor file
// unreadable, an output that cannot be written, or dtc cannot be run (--check: not an image).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tools/image/system.hpp"

namespace fs = std::filesystem;

namespace {

int usage()
{
    std::fprintf(
        stderr,
        "usage: cellvisor-image --monitor MONITOR.elf [-I DIR]... -o IMAGE.elf [--binary IMAGE.bin]\n"
        "                       [--package PACKAGE] [--guest-trees DIR] SYSTEM.dts|SYSTEM.dtb\n"
        "       cellvisor-image --check IMAGE.elf|MONITOR.elf\n"
        "       cellvisor-image --replace NAME=GUEST.elf [--replace ...] -o OUT.elf [--binary OUT.bin]\n"
        "                       [--package PACKAGE] IMAGE.elf\n");
    return 2;
}

bool read_file(const std::string& path, std::vector<uint8_t>& bytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return bool(out);
}

/// The board descriptions: installed beside the tool (../share/cellvisor/boards), else the
/// source tree's.
std::string boards_directory(const char* argv0)
{
    std::error_code e;
    const fs::path self =
        fs::canonical(fs::path(argv0).has_parent_path() ? fs::path(argv0) : "/proc/self/exe", e);
    if (!e) {
        const fs::path installed = self.parent_path().parent_path() / "share" / "cellvisor" / "boards";
        if (fs::is_directory(installed)) return installed.string();
    }
    return CELLVISOR_BOARDS_DIRECTORY;
}

/// Runs dtc on a .dts; its own messages (file and line) go to stderr. Returns 0, 1 (refused) or
/// 2 (dtc could not run).
int compile(const std::string& source, const std::vector<std::string>& includes, std::vector<uint8_t>& blob)
{
    char temporary[] = "/tmp/cellvisor-image-XXXXXX";
    const int fd = mkstemp(temporary);
    if (fd < 0) return 2;
    close(fd);
    std::vector<std::string> args{"dtc", "-q", "-I", "dts", "-O", "dtb", "-o", temporary};
    for (const std::string& i : includes) args.insert(args.end(), {"-i", i});
    args.push_back(source);
    const pid_t child = fork();
    if (child == 0) {
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        execvp("dtc", argv.data());
        _exit(127);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        std::fprintf(stderr, "cellvisor-image: cannot run dtc (Debian: device-tree-compiler)\n");
        std::remove(temporary);
        return 2;
    }
    const bool ok = WEXITSTATUS(status) == 0 && read_file(temporary, blob);
    std::remove(temporary);
    if (!ok) std::fprintf(stderr, "cellvisor-image: %s: dtc refused it (above)\n", source.c_str());
    return ok ? 0 : 1;
}

/// cellvisor-image --check FILE: what the monitor finds at boot in an image, or in a monitor
/// alone. The package is checked as cellvisor-pack --check does, against what does not depend on
/// the board.
int check(const std::string& path)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // its lines and the refusals on stderr in order
    std::vector<uint8_t> bytes;
    if (!read_file(path, bytes)) {
        std::fprintf(stderr, "cellvisor-image: %s: cannot read\n", path.c_str());
        return 2;
    }
    image::Image read;
    if (const std::string why = image::read_image(bytes, read); !why.empty()) {
        std::fprintf(stderr, "cellvisor-image: %s: %s\n", path.c_str(), why.c_str());
        return 2;
    }
    int status = 0;
    if (read.seal.intact()) {
        std::printf("cellvisor-image: %s: monitor: %u bytes at %08x, seal %08x intact\n", path.c_str(),
                    unsigned(read.monitor_size), unsigned(read.ram_base), unsigned(read.seal.stamped));
    } else {
        std::fprintf(stderr, "cellvisor-image: %s: monitor: %s; it stops at boot (exit status 3)\n",
                     path.c_str(), image::seal_mismatch(read.seal).c_str());
        status = 1;
    }
    const uint32_t package_address = read.ram_base + core::package::package_offset;
    if (!read.has_package) {
        std::printf("cellvisor-image: %s: no package at %08x: the monitor runs without partitions\n",
                    path.c_str(), unsigned(package_address));
        return status;
    }
    std::vector<uint32_t> aligned((read.package.size() + 3) / 4);  // the monitor reads it word-aligned
    std::memcpy(aligned.data(), read.package.data(), read.package.size());
    // The board the image was built for; else what does not depend on the board, as
    // cellvisor-pack --check checks.
    const core::package::Board board =
        read.has_note ? read.note.board()
                      : core::package::Board{
                            read.ram_base,   ~read.ram_base, read.ram_base + core::package::windows_offset,
                            {~0u, ~0u, ~0u}, nullptr,        0};
    if (read.has_note)
        std::printf("cellvisor-image: %s: built for %s\n", path.c_str(), read.note.configuration.c_str());
    core::package::View view;
    const auto refusal = core::package::validate(reinterpret_cast<const uint8_t*>(aligned.data()),
                                                 uint32_t(read.package.size()), board, view);
    if (refusal != core::package::Refusal::none) {
        std::fprintf(stderr,
                     "cellvisor-image: %s: package at %08x refused, reason %u: %s; the monitor stops at "
                     "boot (exit status 4)\n",
                     path.c_str(), unsigned(package_address), unsigned(refusal),
                     core::package::describe(refusal));
        return 1;
    }
    std::printf("cellvisor-image: %s: package at %08x: %u bytes, checksum %08x intact, %u partitions\n",
                path.c_str(), unsigned(package_address), unsigned(view.header->size),
                unsigned(view.header->checksum), unsigned(view.header->partition_count));
    for (const std::string& line : pack::describe(view)) std::printf("cellvisor-image:   %s\n", line.c_str());
    return status;
}

/// Writes whichever of the image, its raw bytes and its package were asked for; false when one
/// cannot be written.
bool write_outputs(const std::string& output, const std::vector<uint8_t>& elf, const std::string& binary,
                   const std::vector<uint8_t>& raw, const std::string& package_path,
                   const std::vector<uint8_t>& package)
{
    bool written = true;
    if (!output.empty()) written &= write_file(output, elf);
    if (!binary.empty()) written &= write_file(binary, raw);
    if (!package_path.empty()) written &= write_file(package_path, package);
    return written;
}

/// cellvisor-image --replace NAME=GUEST.elf... IMAGE.elf: each named partition's image replaced,
/// the rest of the image kept (image::replace_partition), linked again (image::relink_image).
int replace(const std::vector<std::pair<std::string, std::string>>& replacements, const std::string& path,
            const std::string& output, const std::string& binary, const std::string& package_path)
{
    std::vector<uint8_t> bytes;
    if (!read_file(path, bytes)) {
        std::fprintf(stderr, "cellvisor-image: %s: cannot read\n", path.c_str());
        return 2;
    }
    image::Image read;
    std::string why = image::read_image(bytes, read);
    if (why.empty() && !read.has_package) why = "no package: a monitor alone, nothing to replace";
    if (why.empty() && !read.has_note)
        why = "no note of the board it was built for: not an image cellvisor-image linked";
    if (why.empty() && !read.seal.intact()) why = image::seal_mismatch(read.seal);
    if (!why.empty()) {
        std::fprintf(stderr, "cellvisor-image: %s: %s\n", path.c_str(), why.c_str());
        return 1;
    }
    std::vector<uint8_t> package = read.package;
    std::vector<std::string> reports;
    for (const auto& [name, guest_path] : replacements) {
        std::vector<uint8_t> guest;  // left empty when it cannot be read: replace_partition says so
        read_file(guest_path, guest);
        std::string report;
        image::Error error;
        if (!image::replace_partition(package, read.note, name, guest_path, guest, report, error)) {
            std::fprintf(stderr, "cellvisor-image: %s: %s: %s\n", path.c_str(), error.node.c_str(),
                         error.reason.c_str());
            return 1;
        }
        reports.push_back("/cellvisor/" + name + ": replaced by " + guest_path);
        reports.push_back(report);
    }
    std::vector<uint8_t> elf, raw;
    if (why = image::relink_image(bytes, package, elf, raw); !why.empty()) {
        std::fprintf(stderr, "cellvisor-image: %s: %s\n", path.c_str(), why.c_str());
        return 1;
    }
    for (const std::string& line : reports) std::printf("cellvisor-image: %s\n", line.c_str());
    std::string kept;
    core::package::View view;
    core::package::validate(package.data(), uint32_t(package.size()), read.note.board(), view);
    for (uint32_t i = 0; i < view.header->partition_count; ++i) {
        bool replaced = false;
        for (const auto& r : replacements) replaced |= r.first == view.partitions[i].name;
        if (!replaced) kept += (kept.empty() ? "" : ", ") + std::string(view.partitions[i].name);
    }
    if (!kept.empty()) std::printf("cellvisor-image: kept byte for byte: %s\n", kept.c_str());
    if (!write_outputs(output, elf, binary, raw, package_path, package)) {
        std::fprintf(stderr, "cellvisor-image: cannot write the outputs\n");
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "--check") return check(argv[2]);
    std::string monitor_path, output, binary, package_path, trees, system_path;
    std::vector<std::pair<std::string, std::string>> replacements;  // NAME, GUEST.elf
    image::Paths paths;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--monitor" && has_value)
            monitor_path = argv[++i];
        else if (a == "-I" && has_value)
            paths.search.push_back(argv[++i]);
        else if (a == "-o" && has_value)
            output = argv[++i];
        else if (a == "--binary" && has_value)
            binary = argv[++i];
        else if (a == "--package" && has_value)
            package_path = argv[++i];
        else if (a == "--guest-trees" && has_value)
            trees = argv[++i];
        else if (a == "--replace" && has_value) {
            const std::string value = argv[++i];
            const size_t equals = value.find('=');
            if (equals == 0 || equals == std::string::npos || equals + 1 == value.size()) return usage();
            replacements.push_back({value.substr(0, equals), value.substr(equals + 1)});
        } else if (!a.empty() && a[0] != '-' && system_path.empty())
            system_path = a;
        else
            return usage();
    }
    if (system_path.empty() || (output.empty() && binary.empty() && package_path.empty())) return usage();
    if (!replacements.empty()) {
        // IMAGE.elf is the positional argument; nothing of a system's build applies.
        if (!monitor_path.empty() || !paths.search.empty() || !trees.empty()) return usage();
        for (size_t i = 0; i < replacements.size(); ++i)  // each partition once
            for (size_t j = 0; j < i; ++j)
                if (replacements[j].first == replacements[i].first) return usage();
        return replace(replacements, system_path, output, binary, package_path);
    }
    if (monitor_path.empty()) return usage();

    std::vector<uint8_t> monitor, blob;
    if (!read_file(monitor_path, monitor)) {
        std::fprintf(stderr, "cellvisor-image: %s: cannot read\n", monitor_path.c_str());
        return 2;
    }
    const std::string configuration = image::monitor_configuration(monitor);
    if (configuration.empty()) {
        std::fprintf(stderr, "cellvisor-image: %s: not a Cellvisor monitor image\n", monitor_path.c_str());
        return 1;
    }
    if (!fs::is_regular_file(system_path)) {
        std::fprintf(stderr, "cellvisor-image: %s: cannot read\n", system_path.c_str());
        return 2;
    }
    paths.system_directory = fs::path(system_path).parent_path().string();
    if (paths.system_directory.empty()) paths.system_directory = ".";
    if (system_path.size() > 4 && system_path.compare(system_path.size() - 4, 4, ".dts") == 0) {
        std::vector<std::string> includes{paths.system_directory};
        includes.insert(includes.end(), paths.search.begin(), paths.search.end());
        includes.push_back(boards_directory(argv[0]));
        if (const int status = compile(system_path, includes, blob)) return status;
    } else if (!read_file(system_path, blob)) {
        std::fprintf(stderr, "cellvisor-image: %s: cannot read\n", system_path.c_str());
        return 2;
    }

    image::System system;
    pack::Result result;
    image::Error error;
    if (!image::build(blob, paths, system, result, error)) {
        std::fprintf(stderr, "cellvisor-image: %s: %s: %s\n", system_path.c_str(), error.node.c_str(),
                     error.reason.c_str());
        return 1;
    }
    if (system.board.configuration != configuration) {
        std::fprintf(stderr,
                     "cellvisor-image: %s: /: the system is for %s, the monitor %s was built for %s\n",
                     system_path.c_str(), system.board.configuration.c_str(), monitor_path.c_str(),
                     configuration.c_str());
        return 1;
    }
    std::vector<uint8_t> elf, raw;
    const image::Board_note note = image::board_note(system.board);
    if (const std::string why =
            image::link_image(monitor, result.package, system.board.ram_base, elf, raw, &note);
        !why.empty()) {
        std::fprintf(stderr, "cellvisor-image: %s: %s\n", monitor_path.c_str(), why.c_str());
        return 1;
    }
    for (size_t i = 0; i < system.guests.size(); ++i) {
        const pack::Guest& g = system.guests[i];
        std::printf("cellvisor-image: %s: %u MiB at %08x%s\n", system.partitions[i].node.c_str(),
                    unsigned(g.window_size >> 20), unsigned(g.window_base),
                    g.device_tree ? ", device tree" : "");
    }
    for (const std::string& line : result.report) std::printf("cellvisor-image: %s\n", line.c_str());
    bool written = write_outputs(output, elf, binary, raw, package_path, result.package);
    if (!trees.empty())
        for (size_t i = 0; i < system.guests.size(); ++i)
            for (const pack::Guest::Blob& b : system.guests[i].blobs)
                if (b.address == system.guests[i].device_tree)
                    written &=
                        write_file((fs::path(trees) / (system.guests[i].name + ".dtb")).string(), b.bytes);
    if (!written) {
        std::fprintf(stderr, "cellvisor-image: cannot write the outputs\n");
        return 2;
    }
    return 0;
}
