// The partition packer: board-native guest ELFs in, one package (core/package.hpp) out, each
// guest's sensitive instructions rewritten on the way (tools/rewriter).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/package.hpp"
#include "core/psr.hpp"

namespace pack {

struct Guest {
    std::string name;  // the partition's name: the ELF file's stem
    std::string path;  // for messages
    std::vector<uint8_t> elf;
    uint8_t priority = 0;  // GUEST.elf:PRIORITY on the command line
    uint32_t budget = 0;   // GUEST.elf:PRIORITY:BUDGET/PERIOD, microseconds; 0: no budget
    uint32_t period = 0;
    uint32_t window_size = 0;                      // bytes; 0: Settings::window_size
    uint32_t window_base = 0;                      // machine-physical; 0: after the previous window
    std::vector<core::package::Device> devices{};  // passed through
    uint32_t interrupts[3] = {};                   // lines passed through
    uint32_t emulated = ~0u;                       // the board's emulated devices it sees
    std::optional<uint32_t> flags{};               // none: Settings::flags
    struct Blob {
        uint32_t address;  // guest-physical, inside the window, clear of the ELF's segments
        std::vector<uint8_t> bytes;
    };
    std::vector<Blob> blobs{};  // more to load: its device tree, its initrd
    uint32_t device_tree = 0;   // guest-physical address of its device tree (r2 at entry); 0: none
    uint32_t slice = 0;         // microseconds of round robin; 0: Settings::slice
};

struct Settings {
    core::Architecture architecture = core::Architecture::v5;
    uint32_t ram_base = 0;             // guest-physical base of every window
    uint32_t window_size = 16u << 20;  // per partition, unless the guest says
    uint32_t windows_base = 0;         // the first window's machine-physical base; 0: RAM base + 16 MiB
    uint32_t flags = 0;                // core::package::flag_*: no semihosting unless asked
    uint32_t status_period = 0;        // milliseconds between the monitor's status lines; 0: none
    uint32_t slice = 0;                // microseconds of round robin; 0: the monitor's default
};

struct Result {
    bool ok = false;
    std::string error;                // "<file>: <reason>" when !ok
    size_t guest = SIZE_MAX;          // when !ok: the index of the guest refused, if one was
    std::vector<std::string> report;  // one line per partition
    std::vector<uint8_t> package;
    uint32_t package_end = 0;  // machine-physical, once the size is known: the whole MiB after the package
};

/// Builds the package, or refuses with the file and the reason: an ELF that is not a
/// little-endian ARM executable, whose code cannot be told from data, or whose loadable
/// segments or entry fall outside its window; too many partitions or segments; a name that
/// is empty, too long, or used twice.
Result build(std::vector<Guest>& guests, const Settings& settings);

/// One line per partition of a validated package, as the monitor prints it when it loads it:
/// "radio: 16 MiB at 01000000, entry 00000020, 12 rewritten instructions, priority 2".
std::vector<std::string> describe(const core::package::View& view);

}  // namespace pack
