// A system in Device Tree form (docs/configuration.md): the board's description, from
// boards/dts, and the /cellvisor node with one child per partition, compiled by dtc into one
// blob. load() checks it against the board and turns it into the packer's input; guest_tree()
// writes a partition's own device tree.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tools/pack/pack.hpp"

namespace image {

/// Why a system is refused: the node (a path in the tree) and the reason.
struct Error {
    std::string node;
    std::string reason;
};

/// A device of the board that a partition may be given.
struct Device {
    std::string path;
    std::vector<core::package::Device> ranges;  // its `reg`
    std::vector<unsigned> lines;                // its interrupts, as controller lines
    bool lines_passable = true;                 // false: on a secondary controller
    int emulated = -1;                          // the emulated set's bit, or -1: passed through
    bool board_wide = false;                    // cellvisor,board-wide: resets or powers the board
};

/// What load() learned of the board.
struct Board {
    std::string configuration;  // cellvisor,configuration: the monitor build it is for
    std::string compatible;     // the root's first compatible string
    core::Architecture architecture = core::Architecture::v5;
    uint32_t ram_base = 0, ram_size = 0;
    unsigned first_line = 0, line_count = 0;  // the controller's lines a partition may own
    std::string controller;                   // the root's interrupt-parent: the controller's path
    std::vector<Device> devices;
};

/// One partition as the system describes it, beyond what the packer takes.
struct Partition {
    std::string node;              // /cellvisor/NAME
    std::vector<size_t> devices;   // indexes into Board::devices, passed through
    std::vector<size_t> emulated;  // indexes into Board::devices
    bool device_tree = false;      // it boots with one (device-tree, bootargs or initrd)
    std::string bootargs;
    std::string initrd;      // a file, resolved
    std::string board_tree;  // a file, resolved: the tree derived_tree() starts from, or none
    std::string kernel;      // a file, resolved: a Linux zImage or Image (linux_guest), or none
    std::string vmlinux;     // a file, resolved: the same kernel's vmlinux, with its symbols
    bool placed = false;     // memory-base given: its window stays where it says
};

struct System {
    Board board;
    pack::Settings settings;
    std::vector<pack::Guest> guests;  // ELF bytes not yet read: Guest::path is resolved
    std::vector<Partition> partitions;
};

/// Where guest images and initrds are looked for: first the system file's directory, then each
/// directory in `search`.
struct Paths {
    std::string system_directory;
    std::vector<std::string> search;
};

/// Reads and checks a compiled system. Returns false and fills `error` when it is refused.
/// Image files are resolved (they must exist) but not read.
bool load(const std::vector<uint8_t>& blob, const Paths& paths, System& system, Error& error);

/// The device tree a partition boots with: the board's root properties and CPUs, a memory node
/// for its window, only its devices (emulated and passed through), and a chosen node with its
/// boot arguments and initrd (when `initrd_size`).
std::vector<uint8_t> guest_tree(const std::vector<uint8_t>& blob, const System& system, size_t partition,
                                uint32_t initrd_start, uint32_t initrd_size);

/// The device tree a partition boots with when its node names a `board-tree`: the board's tree as
/// an operating system ships it (Debian's vexpress-v2p-ca9.dtb), kept — clocks, regulators,
/// buses, aliases — but for what the partition does not get: its memory node set to the window,
/// every node with registers on no page the partition is given (emulated or passed through)
/// removed with its subtree (unless a device below it is given), every CPU but the first
/// `status = "fail"` (one processor), and /chosen
/// given the boot arguments and initrd. Throws std::runtime_error with the reason when `os_tree`
/// is not a device tree, not the board's, uses 64-bit addresses, has not one memory node, or
/// grows past 64 KiB.
std::vector<uint8_t> derived_tree(const std::vector<uint8_t>& os_tree, const System& system, size_t partition,
                                  uint32_t initrd_start, uint32_t initrd_size);
/// A Linux kernel as a distribution ships it, as the guest ELF the packer takes: `kernel` is a
/// zImage (its XZ payload is decompressed) or the Image itself, `vmlinux` the same build's ELF
/// with its symbols (Debian's `-dbg` package's); vmlinux's loadable bytes laid out by load address
/// must equal the Image byte for byte. The guest is vmlinux with every segment's load address moved
/// from the linear map (PAGE_OFFSET, a 16 MiB multiple below its entry) to `ram_base`: entered at
/// RAM base + TEXT_OFFSET with the MMU off, as the ARM boot protocol has it. The places the kernel
/// patches its own text at run time (SMP-on-UP alternatives, physical-to-virtual patches, ftrace
/// calls, jump labels: its own tables say where) must hold no instruction the rewriter replaces,
/// nor an SMP-on-UP replacement be one. Returns "" or the reason it is refused, naming `kernel:`
/// or `vmlinux:`.
std::string linux_guest(const std::vector<uint8_t>& kernel, const std::vector<uint8_t>& vmlinux,
                        uint32_t ram_base, core::Architecture architecture, std::vector<uint8_t>& elf);
/// Everything from a system blob to the package: reads the images, generates the device trees
/// and places them (and initrds) at the top of their windows, runs the packer. Returns false with
/// `error` (the node and the reason) when any of it is refused.
bool build(const std::vector<uint8_t>& blob, const Paths& paths, System& system, pack::Result& result,
           Error& error);

/// The configuration a monitor image was built for (its .cellvisor.configuration section), or
/// "" when `elf` is not a monitor image.
std::string monitor_configuration(const std::vector<uint8_t>& elf);

/// What the monitor of a board allows a package (core::package::Board), as an image records it
/// for --check: the board's RAM, windows from RAM base + 16 MiB, the lines a partition may own,
/// and the pages of the devices the monitor emulates, which none may have passed through; and
/// the architecture the guests were rewritten for, which --replace rewrites a new image for.
struct Board_note {
    std::string configuration;
    uint32_t ram_base = 0, ram_size = 0, windows_base = 0;
    uint32_t lines[3] = {};
    std::vector<uint32_t> reserved;
    uint32_t architecture = 0;  // core::Architecture's value (5, 6, 7); 0: not recorded
    /// The view core::package::check takes; valid while this note lives.
    core::package::Board board() const
    {
        return {ram_base,        ram_size,
                windows_base,    {lines[0], lines[1], lines[2]},
                reserved.data(), unsigned(reserved.size())};
    }
};
Board_note board_note(const Board& board);

/// One bootable image: the monitor ELF's loadable segments and the package at RAM base + 1 MiB,
/// as an ELF (QEMU's -kernel, a debugger) and as the raw bytes from RAM base (to flash); the ELF
/// also carries `note`, when given, in a PT_NOTE (name "Cellvisor", type 1) after the loaded
/// bytes. Returns "" or why the monitor image is unusable: not an ARM executable, a segment
/// outside the MiB at RAM base, or a seal that does not match its bytes
/// (core::package::monitor_seal).
std::string link_image(const std::vector<uint8_t>& monitor, const std::vector<uint8_t>& package,
                       uint32_t ram_base, std::vector<uint8_t>& elf, std::vector<uint8_t>& raw,
                       const Board_note* note = nullptr);

/// The monitor's seal (core/package.hpp): as stamped in its image, and as its bytes compute it.
struct Seal {
    uint32_t stamped = 0, computed = 0;
    bool intact() const { return stamped == computed; }
};
/// Why a seal does not match, in words.
std::string seal_mismatch(const Seal& seal);

/// What a monitor ELF or a bootable image (link_image) holds, read back from its program headers.
struct Image {
    uint32_t ram_base = 0;      // the lowest physical address loaded: the monitor's first byte
    uint32_t monitor_size = 0;  // the monitor's loaded bytes, its seal included
    Seal seal;
    bool has_package = false;      // a segment at RAM base + 1 MiB
    std::vector<uint8_t> package;  // its bytes
    bool has_note = false;         // the board the package was built for (link_image)
    Board_note note;
};
/// Reads `elf` back: "" and `image` filled, or why it is neither a monitor nor an image of one.
std::string read_image(const std::vector<uint8_t>& elf, Image& image);

/// An image (link_image's) linked again with `package` instead of its own: its monitor's
/// segments, its entry and its note as they are, so the result is what link_image makes of the
/// same monitor and `package`. Returns "" or why `image` is not a bootable image with a note
/// and an intact seal.
std::string relink_image(const std::vector<uint8_t>& image, const std::vector<uint8_t>& package,
                         std::vector<uint8_t>& elf, std::vector<uint8_t>& raw);

/// Replaces partition `name`'s image in `package` (a valid one, built for `note`'s board) by the
/// ELF `elf` (read from `path`), as a full build would have packed it: rewritten for the
/// note's architecture and checked by the packer with the partition's own window, devices,
/// lines, scheduling and flags, its device tree and initrd kept. Every other partition's
/// records, rewrite table and segment bytes stay at their offsets, byte for byte; the old
/// image's bytes are zeroed, or cut off where nothing follows them, and the new ones are
/// placed after every other partition's. Returns false with `error` (node /cellvisor/NAME and
/// the reason; an empty `elf` is one that could not be read) and `package` unchanged when
/// refused; else `report` is the packer's line.
bool replace_partition(std::vector<uint8_t>& package, const Board_note& note, const std::string& name,
                       const std::string& path, const std::vector<uint8_t>& elf, std::string& report,
                       Error& error);

}  // namespace image
