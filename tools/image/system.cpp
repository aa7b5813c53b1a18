#include "tools/image/system.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

extern "C" {
#include <libfdt.h>
}

namespace image {

namespace {

namespace package = core::package;
namespace fs = std::filesystem;

constexpr uint32_t mib = 1u << 20;
constexpr uint32_t monitor_area = package::windows_offset;  // the monitor's MiB and the package's 15
constexpr uint32_t tree_area = 0x10000;                     // a guest's device tree: the window's last 64 KiB
constexpr uint32_t default_window = 16 * mib;
constexpr uint32_t monitor_window = 0xfff00000;  // arch/arm/layout.hpp: the monitor's own MiB

/// Thrown inside load() with the node and the reason; caught at its top.
struct Refused {
    Error error;
};

[[noreturn]] void refuse(const std::string& node, const std::string& reason)
{
    throw Refused{{node, reason}};
}

std::string hex(uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

class Tree {
public:
    explicit Tree(const std::vector<uint8_t>& blob) : fdt_(blob.data())
    {
        if (blob.size() < sizeof(fdt_header) || fdt_check_header(fdt_) != 0 ||
            fdt_totalsize(fdt_) > blob.size() || fdt_check_full(fdt_, blob.size()) != 0)
            refuse("/", "not a device tree blob, or a damaged one");
        // libfdt 1.6.1 lets lengths of 2 GiB and more through as negative ones: none may be.
        for (int node = 0; node >= 0; node = fdt_next_node(fdt_, node, nullptr)) {
            int offset;
            fdt_for_each_property_offset(offset, fdt_, node)
            {
                const char* name = nullptr;
                int length = 0;
                if (!fdt_getprop_by_offset(fdt_, offset, &name, &length) || !name || length < 0)
                    refuse(path(node), "a damaged property");
            }
        }
    }
    const void* fdt() const { return fdt_; }

    std::string path(int node) const
    {
        char text[512];
        return fdt_get_path(fdt_, node, text, sizeof text) == 0 ? text : "?";
    }
    std::string name(int node) const
    {
        const char* n = fdt_get_name(fdt_, node, nullptr);
        return n ? n : "";
    }
    bool has(int node, const char* property) const { return fdt_getprop(fdt_, node, property, nullptr); }

    /// A property's cells, or an empty vector when absent (or empty, where `empty` allows it);
    /// refused when not whole cells.
    std::vector<uint32_t> cells(int node, const char* property, bool empty = false) const
    {
        int length = 0;
        const auto* value = static_cast<const uint8_t*>(fdt_getprop(fdt_, node, property, &length));
        if (!value) return {};
        if ((length == 0 && !empty) || length % 4)
            refuse(path(node), std::string(property) + ": expected 32-bit cells");
        std::vector<uint32_t> out(size_t(length) / 4);
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = fdt32_ld(reinterpret_cast<const fdt32_t*>(value) + i);
        return out;
    }
    /// A one-cell property, or `fallback` when absent.
    uint32_t cell(int node, const char* property, uint32_t fallback) const
    {
        const std::vector<uint32_t> c = cells(node, property);
        if (c.empty()) return fallback;
        if (c.size() != 1) refuse(path(node), std::string(property) + ": expected one 32-bit cell");
        return c[0];
    }
    /// A string property, or "" when absent; refused when not one non-empty string.
    std::string string(int node, const char* property) const
    {
        int length = 0;
        const auto* value = static_cast<const char*>(fdt_getprop(fdt_, node, property, &length));
        if (!value) return {};
        if (length < 2 || value[length - 1] || std::strlen(value) + 1 != size_t(length))
            refuse(path(node), std::string(property) + ": expected one string");
        return value;
    }
    /// A boolean property: present and empty.
    bool flag(int node, const char* property) const
    {
        int length = 0;
        if (!fdt_getprop(fdt_, node, property, &length)) return false;
        if (length) refuse(path(node), std::string(property) + ": a boolean takes no value");
        return true;
    }
    /// Refuses any property not in `known`.
    void only(int node, std::initializer_list<const char*> known) const
    {
        int offset;
        fdt_for_each_property_offset(offset, fdt_, node)
        {
            const char* name = nullptr;
            fdt_getprop_by_offset(fdt_, offset, &name, nullptr);
            bool found = false;
            for (const char* k : known) found |= name && std::strcmp(name, k) == 0;
            if (!found) refuse(path(node), std::string("unknown property '") + (name ? name : "?") + "'");
        }
    }
    int by_phandle(int from, const char* property, uint32_t phandle) const
    {
        const int node = fdt_node_offset_by_phandle(fdt_, phandle);
        if (node < 0)
            refuse(path(from), std::string(property) + ": no node with phandle " + std::to_string(phandle));
        return node;
    }

private:
    const void* fdt_;
};

/// The board: root properties, memory, the interrupt controller and every device with `reg`.
Board read_board(const Tree& tree)
{
    Board board;
    board.configuration = tree.string(0, "cellvisor,configuration");
    if (int length = 0;
        const auto* c = static_cast<const char*>(fdt_getprop(tree.fdt(), 0, "compatible", &length)))
        board.compatible.assign(c, strnlen(c, size_t(length)));
    if (board.configuration.empty())
        refuse("/", "no cellvisor,configuration: include the board's description (boards/dts)");
    const std::string architecture = tree.string(0, "cellvisor,architecture");
    if (architecture == "v5")
        board.architecture = core::Architecture::v5;
    else if (architecture == "v6")
        board.architecture = core::Architecture::v6;
    else if (architecture == "v7")
        board.architecture = core::Architecture::v7;
    else
        refuse("/", "cellvisor,architecture: expected \"v5\", \"v6\" or \"v7\"");
    if (tree.cell(0, "#address-cells", 2) != 1 || tree.cell(0, "#size-cells", 1) != 1)
        refuse("/", "the board's description must use #address-cells = <1> and #size-cells = <1>");

    const int controller = tree.by_phandle(0, "interrupt-parent", tree.cell(0, "interrupt-parent", 0));
    const std::vector<uint32_t> lines = tree.cells(controller, "cellvisor,lines");
    const uint32_t interrupt_cells = tree.cell(controller, "#interrupt-cells", 0);
    if (lines.size() != 2 || lines[0] > 96 || lines[1] > 96 - lines[0] ||
        (interrupt_cells != 1 && interrupt_cells != 3))
        refuse(tree.path(controller),
               "the interrupt controller needs cellvisor,lines = <FIRST COUNT> (below 96) and "
               "#interrupt-cells of 1 or 3");
    board.first_line = lines[0];
    board.line_count = lines[1];

    int node;
    fdt_for_each_subnode(node, tree.fdt(), 0)
    {
        const std::vector<uint32_t> reg = tree.cells(node, "reg");
        if (tree.string(node, "device_type") == "memory") {
            if (reg.size() != 2) refuse(tree.path(node), "reg: expected one <ADDRESS SIZE>");
            board.ram_base = reg[0];
            board.ram_size = reg[1];
            continue;
        }
        if (reg.empty()) continue;  // cpus, chosen, aliases: not devices
        if (reg.size() % 2) refuse(tree.path(node), "reg: expected <ADDRESS SIZE> pairs");
        Device device;
        device.path = tree.path(node);
        for (size_t i = 0; i < reg.size(); i += 2) device.ranges.push_back({reg[i], reg[i + 1]});
        const uint32_t emulated = tree.cell(node, "cellvisor,emulated", ~0u);
        if (emulated != ~0u && emulated > 31)
            refuse(device.path, "cellvisor,emulated: a bit number, 0 to 31");
        device.emulated = emulated == ~0u ? -1 : int(emulated);
        device.board_wide = tree.flag(node, "cellvisor,board-wide");
        const int parent =
            tree.has(node, "interrupt-parent")
                ? tree.by_phandle(node, "interrupt-parent", tree.cell(node, "interrupt-parent", 0))
                : controller;
        const std::vector<uint32_t> interrupts = tree.cells(node, "interrupts");
        if (parent != controller) {
            device.lines_passable = interrupts.empty();
        } else {
            if (interrupts.size() % interrupt_cells)
                refuse(device.path, "interrupts: cells do not match the controller's");
            for (size_t i = 0; i < interrupts.size(); i += interrupt_cells)
                device.lines.push_back(interrupt_cells == 1 ? interrupts[i]
                                       : interrupts[i] == 0 ? 32 + interrupts[i + 1]    // SPI
                                                            : 16 + interrupts[i + 1]);  // PPI
        }
        board.devices.push_back(device);
    }
    board.controller = tree.path(controller);
    if (!board.ram_size) refuse("/", "no memory node");
    if (board.ram_base % mib || board.ram_size % mib || board.ram_size <= monitor_area)
        refuse("/", "the memory node must be whole MiB, more than 16 MiB");
    return board;
}

/// The first existing file among the system's directory and the search path.
std::string resolve(const Paths& paths, const std::string& node, const char* property,
                    const std::string& file)
{
    std::vector<std::string> tried;
    if (fs::path(file).is_absolute()) {
        tried.push_back(file);
    } else {
        tried.push_back((fs::path(paths.system_directory) / file).string());
        for (const std::string& d : paths.search) tried.push_back((fs::path(d) / file).string());
    }
    for (const std::string& t : tried)
        if (fs::is_regular_file(t)) return t;
    std::string where;
    for (const std::string& t : tried) where += (where.empty() ? "" : ", ") + t;
    refuse(node, std::string(property) + ": no file '" + file + "' (looked for " + where + ")");
}

using package::overlap;

/// Windows: the placed ones where they say, the others in the lowest free MiBs from `first`
/// (RAM base + 16 MiB, or the whole MiB after a larger package), in order.
void place_windows(System& system, uint32_t first)
{
    const Board& board = system.board;
    for (pack::Guest& g : system.guests)
        if (g.window_base && g.window_base < first && first != board.ram_base + monitor_area)
            refuse(system.partitions[size_t(&g - system.guests.data())].node,
                   "memory-base: " + hex(g.window_base) + " is below the package's end, " + hex(first) +
                       " (a large kernel's)");
    std::vector<std::pair<uint32_t, uint32_t>> taken;  // base, size
    for (size_t i = 0; i < system.guests.size(); ++i) {
        const pack::Guest& g = system.guests[i];
        if (!g.window_base) continue;
        for (size_t j = 0; j < i; ++j) {
            const pack::Guest& h = system.guests[j];
            if (h.window_base && overlap(g.window_base, g.window_size, h.window_base, h.window_size))
                refuse(system.partitions[i].node,
                       "memory-base: its window overlaps " + system.partitions[j].node + "'s");
        }
        taken.push_back({g.window_base, g.window_size});
    }
    const uint64_t ram_end = uint64_t(board.ram_base) + board.ram_size;
    for (size_t i = 0; i < system.guests.size(); ++i) {
        pack::Guest& g = system.guests[i];
        if (g.window_base) continue;
        uint64_t base = first;  // 64-bit: RAM may end at 4 GiB
        for (bool moved = true; moved && base < ram_end;) {
            moved = false;
            for (const auto& [b, s] : taken)
                if (base < uint64_t(b) + s && uint64_t(b) < base + g.window_size) {
                    base = uint64_t(b) + s;
                    moved = true;
                }
        }
        if (base + g.window_size > ram_end) {
            uint64_t wanted = first - board.ram_base;
            for (const pack::Guest& h : system.guests) wanted += h.window_size;
            refuse(system.partitions[i].node,
                   "no room for its " + std::to_string(g.window_size / mib) +
                       " MiB window: the system's RAM does not fit the board (" +
                       std::to_string(wanted / mib) + " MiB with the monitor's " +
                       (first - board.ram_base == monitor_area ? "" : "and the package's ") +
                       std::to_string((first - board.ram_base) / mib) + ", of " +
                       std::to_string(board.ram_size / mib) + ")");
        }
        g.window_base = uint32_t(base);
        taken.push_back({base, g.window_size});
    }
}

System read_system(const Tree& tree, const Paths& paths)
{
    System system;
    system.board = read_board(tree);
    Board& board = system.board;
    const int top = fdt_path_offset(tree.fdt(), "/cellvisor");
    if (top < 0) refuse("/cellvisor", "no such node: the partitions are its children");
    tree.only(top, {"compatible", "status-period-ms", "slice-us"});
    if (tree.string(top, "compatible") != "cellvisor,system")
        refuse("/cellvisor", "compatible: expected \"cellvisor,system\"");
    system.settings.architecture = board.architecture;
    system.settings.ram_base = board.ram_base;
    system.settings.windows_base = board.ram_base + monitor_area;
    system.settings.flags = 0;
    system.settings.status_period = tree.cell(top, "status-period-ms", 0);
    system.settings.slice = tree.cell(top, "slice-us", 0);

    std::map<size_t, std::string> device_owner;  // board device index -> partition node
    unsigned device_tables_used = 0;             // MiB that devices cover in part, over every partition
    std::map<unsigned, std::string> line_owner;
    for (const Device& d : board.devices)
        if (d.emulated >= 0)
            for (unsigned line : d.lines) line_owner[line] = d.path + " (emulated by the monitor)";
    int node;
    fdt_for_each_subnode(node, tree.fdt(), top)
    {
        const std::string path = tree.path(node), name = tree.name(node);
        if (system.guests.size() == package::max_partitions)
            refuse(path, "more than " + std::to_string(package::max_partitions) + " partitions");
        if (name.empty() || name.size() >= package::name_size || name.find('@') != std::string::npos)
            refuse(path, "a partition's name (its node's) must have 1 to 31 characters and no unit address");
        int child;
        fdt_for_each_subnode(child, tree.fdt(), node) refuse(tree.path(child), "unknown node");
        tree.only(node,
                  {"image", "priority", "slice-us", "budget-us", "period-us", "memory-size", "memory-base",
                   "devices", "emulated", "interrupt-lines", "semihosting", "unowned-access", "device-tree",
                   "bootargs", "initrd", "board-tree", "kernel", "vmlinux"});
        pack::Guest guest;
        Partition partition;
        partition.node = path;
        guest.name = name;
        const std::string image = tree.string(node, "image"), kernel = tree.string(node, "kernel");
        if (!image.empty() && !kernel.empty())
            refuse(path, "image and kernel: a partition boots one of them (image: an ELF; kernel: Linux)");
        if (!kernel.empty()) {
            partition.kernel = resolve(paths, path, "kernel", kernel);
            const std::string vmlinux = tree.string(node, "vmlinux");
            if (vmlinux.empty())
                refuse(path, "kernel: needs vmlinux, the same build's ELF with its symbols (Debian's -dbg "
                             "package's): the rewriter finds the kernel's code by its mapping symbols");
            partition.vmlinux = guest.path = resolve(paths, path, "vmlinux", vmlinux);  // the ELF packed
        } else if (image.empty()) {
            refuse(path, "no image: the guest's ELF file");
        } else {
            if (tree.has(node, "vmlinux")) refuse(path, "vmlinux: only with kernel");
            guest.path = resolve(paths, path, "image", image);
        }
        const uint32_t priority = tree.cell(node, "priority", 0);
        if (priority > 255) refuse(path, "priority: 0 to 255");
        guest.priority = uint8_t(priority);
        guest.slice = tree.cell(node, "slice-us", 0);
        guest.budget = tree.cell(node, "budget-us", 0);
        guest.period = tree.cell(node, "period-us", 0);
        if (tree.has(node, "budget-us") != tree.has(node, "period-us") || (guest.period && !guest.budget) ||
            guest.budget > guest.period)
            refuse(path, "budget-us and period-us come together, 0 < budget-us <= period-us");
        guest.window_size = tree.cell(node, "memory-size", default_window);
        if (!guest.window_size || guest.window_size % mib)
            refuse(path, "memory-size: a whole number of MiB (" + hex(guest.window_size) + ")");
        if (guest.window_size > board.ram_size - monitor_area)
            refuse(path, "memory-size: " + std::to_string(guest.window_size / mib) +
                             " MiB, more than the board's " +
                             std::to_string((board.ram_size - monitor_area) / mib) + " MiB for partitions");
        if (tree.has(node, "memory-base")) {
            partition.placed = true;
            guest.window_base = tree.cell(node, "memory-base", 0);
            if (guest.window_base % mib || guest.window_base < board.ram_base + monitor_area ||
                guest.window_base - board.ram_base > board.ram_size - guest.window_size)
                refuse(path, "memory-base: " + hex(guest.window_base) +
                                 " is not a MiB of the board's RAM from " +
                                 hex(board.ram_base + monitor_area) +
                                 " (below: the monitor's and the package's) " + "with room for memory-size");
        }
        const std::string unowned = tree.string(node, "unowned-access");
        if (!unowned.empty() && unowned != "read-as-zero" && unowned != "abort")
            refuse(path, "unowned-access: \"" + unowned + "\" is neither \"read-as-zero\" nor \"abort\"");
        if (const uint32_t flags = (tree.flag(node, "semihosting") ? package::flag_semihosting : 0) |
                                   (unowned == "abort" ? package::flag_abort_unowned : 0))
            guest.flags = flags;

        // Emulated devices: the listed ones, or all of them.
        std::set<size_t> emulated;
        if (tree.has(node, "emulated")) {
            for (uint32_t phandle : tree.cells(node, "emulated", true)) {
                const std::string target = tree.path(tree.by_phandle(node, "emulated", phandle));
                size_t d = 0;
                while (d < board.devices.size() && board.devices[d].path != target) ++d;
                if (d == board.devices.size() || board.devices[d].emulated < 0)
                    refuse(path, "emulated: " + target + " is not a device the monitor emulates");
                emulated.insert(d);
            }
        } else {
            for (size_t d = 0; d < board.devices.size(); ++d)
                if (board.devices[d].emulated >= 0) emulated.insert(d);
        }
        guest.emulated = 0;
        for (size_t d : emulated) guest.emulated |= 1u << board.devices[d].emulated;
        partition.emulated.assign(emulated.begin(), emulated.end());

        // Devices and lines passed through.
        const auto claim_line = [&](unsigned line, const std::string& what) {
            if (line < board.first_line || line - board.first_line >= board.line_count)
                refuse(path, what + ": line " + std::to_string(line) +
                                 " is not one the board's interrupt controller " + "passes through (" +
                                 std::to_string(board.first_line) + "-" +
                                 std::to_string(board.first_line + board.line_count - 1) + ")");
            if (const auto owner = line_owner.find(line); owner != line_owner.end() && owner->second != path)
                refuse(path, what + ": line " + std::to_string(line) + " is already " + owner->second + "'s");
            line_owner[line] = path;
            guest.interrupts[line / 32] |= 1u << line % 32;
        };
        std::set<uint32_t>
            partial;  // MiB its device ranges cover in part: a table each (a whole one: a section)
        for (uint32_t phandle : tree.cells(node, "devices")) {
            const std::string target = tree.path(tree.by_phandle(node, "devices", phandle));
            size_t d = 0;
            while (d < board.devices.size() && board.devices[d].path != target) ++d;
            if (d == board.devices.size())
                refuse(path, "devices: " + target + " is not a device of the board");
            const Device& device = board.devices[d];
            if (device.emulated >= 0)
                refuse(path, "devices: " + target + " is emulated by the monitor: list it in emulated");
            if (device.board_wide)
                refuse(path, "devices: " + target +
                                 " controls the whole board (reset, power, clocks): no partition may own it");
            if (const auto owner = device_owner.find(d); owner != device_owner.end())
                refuse(path, "devices: " + target + " is already " + owner->second + "'s");
            if (!device.lines_passable)
                refuse(path,
                       "devices: " + target +
                           "'s interrupts are on a secondary controller, which cannot be passed through");
            for (const auto& [other, owner] : device_owner)  // another node over the same pages
                for (const package::Device& a : device.ranges)
                    for (const package::Device& b : board.devices[other].ranges)
                        if (owner != path && overlap(a.address, a.size, b.address, b.size))
                            refuse(path, "devices: " + target + " shares its pages with " +
                                             board.devices[other].path + ", already " + owner + "'s");
            device_owner[d] = path;
            for (const package::Device& range : device.ranges) {
                if ((range.address | range.size) % 0x1000 || !range.size ||
                    range.address + range.size < range.address)
                    refuse(path, "devices: " + target + "'s reg is not whole 4 KiB pages");
                if (overlap(range.address, range.size, board.ram_base, board.ram_size))
                    refuse(path, "devices: " + target + " is in RAM");
                if (overlap(range.address, range.size, monitor_window, 0u - monitor_window))
                    refuse(path, "devices: " + target + " is in the monitor's address window, " +
                                     hex(monitor_window) + " up (docs/memory.md)");
                for (const Device& other : board.devices)
                    if (other.emulated >= 0)
                        for (const package::Device& r : other.ranges)
                            if (overlap(range.address, range.size, r.address & ~0xfffu, 0x1000))
                                refuse(path, "devices: " + target + " shares a page with " + other.path +
                                                 ", which the monitor emulates");
                for (uint32_t m = range.address >> 20; m <= (range.address + range.size - 1) >> 20; ++m)
                    if (m << 20 < range.address || (m << 20) + mib - range.address > range.size)
                        partial.insert(m);
                guest.devices.push_back(range);
            }
            for (unsigned line : device.lines) claim_line(line, "devices: " + target);
            partition.devices.push_back(d);
        }
        if (guest.devices.size() > package::max_devices)
            refuse(path, "devices: more than " + std::to_string(package::max_devices) + " address ranges");
        device_tables_used += unsigned(partial.size());
        if (device_tables_used > package::device_tables)
            refuse(path, "devices: their pages outside whole MiB need " + std::to_string(device_tables_used) +
                             " second-level tables with the partitions before; the monitor has " +
                             std::to_string(package::device_tables) + " for all (a whole MiB needs none)");
        for (uint32_t line : tree.cells(node, "interrupt-lines")) claim_line(line, "interrupt-lines");

        partition.bootargs = tree.string(node, "bootargs");
        if (tree.has(node, "initrd"))
            partition.initrd = resolve(paths, path, "initrd", tree.string(node, "initrd"));
        if (tree.has(node, "board-tree"))
            partition.board_tree = resolve(paths, path, "board-tree", tree.string(node, "board-tree"));
        partition.device_tree = tree.flag(node, "device-tree") || !partition.bootargs.empty() ||
                                !partition.initrd.empty() || !partition.board_tree.empty() ||
                                !partition.kernel.empty();  // Linux boots with one
        bool controller = false;
        for (size_t d : emulated) controller |= board.devices[d].path == board.controller;
        if (partition.device_tree && !controller)
            refuse(path, "emulated: a partition with a device tree must see the interrupt controller, " +
                             board.controller + " (its tree's interrupt-parent)");
        system.guests.push_back(guest);
        system.partitions.push_back(partition);
    }
    if (system.guests.empty()) refuse("/cellvisor", "no partition: give it one child node per partition");

    place_windows(system, board.ram_base + monitor_area);
    return system;
}

std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Copies node `from` of `source` (its properties but cellvisor,* and its subnodes) under
/// `parent` of `target`.
void copy_node(const void* source, int from, void* target, int parent, const char* name)
{
    if (!name) throw std::runtime_error("a damaged node");
    const int to = fdt_add_subnode(target, parent, name);
    if (to < 0) throw std::runtime_error(fdt_strerror(to));
    int offset;
    fdt_for_each_property_offset(offset, source, from)
    {
        const char* property = nullptr;
        int length = 0;
        const void* value = fdt_getprop_by_offset(source, offset, &property, &length);
        if (!value || !property) throw std::runtime_error("a damaged property");
        if (std::strncmp(property, "cellvisor,", 10) == 0) continue;
        if (const int e = fdt_setprop(target, to, property, value, length); e < 0)
            throw std::runtime_error(fdt_strerror(e));
    }
    int child;
    fdt_for_each_subnode(child, source, from)
        copy_node(source, child, target, to, fdt_get_name(source, child, nullptr));
}

void check(int status)
{
    if (status < 0) throw std::runtime_error(fdt_strerror(status));
}

}  // namespace

bool load(const std::vector<uint8_t>& blob, const Paths& paths, System& system, Error& error)
{
    try {
        const Tree tree(blob);
        system = read_system(tree, paths);
        return true;
    } catch (const Refused& r) {
        error = r.error;
        return false;
    }
}

std::vector<uint8_t> guest_tree(const std::vector<uint8_t>& blob, const System& system, size_t partition,
                                uint32_t initrd_start, uint32_t initrd_size)
{
    const void* source = blob.data();
    const Partition& p = system.partitions[partition];
    const pack::Guest& g = system.guests[partition];
    std::vector<uint8_t> out(tree_area);
    void* fdt = out.data();
    check(fdt_create_empty_tree(fdt, int(out.size())));
    int offset;
    fdt_for_each_property_offset(offset, source, 0)
    {
        const char* property = nullptr;
        int length = 0;
        const void* value = fdt_getprop_by_offset(source, offset, &property, &length);
        if (!value || !property) throw std::runtime_error("a damaged property");
        if (std::strncmp(property, "cellvisor,", 10) != 0)
            check(fdt_setprop(fdt, 0, property, value, length));
    }
    if (const int cpus = fdt_path_offset(source, "/cpus"); cpus >= 0) copy_node(source, cpus, fdt, 0, "cpus");
    const int chosen = fdt_add_subnode(fdt, 0, "chosen");
    check(chosen);
    if (!p.bootargs.empty()) check(fdt_setprop_string(fdt, chosen, "bootargs", p.bootargs.c_str()));
    if (initrd_size) {
        check(fdt_setprop_u32(fdt, chosen, "linux,initrd-start", initrd_start));
        check(fdt_setprop_u32(fdt, chosen, "linux,initrd-end", initrd_start + initrd_size));
    }
    char memory[32];
    std::snprintf(memory, sizeof memory, "memory@%x", system.board.ram_base);
    const int m = fdt_add_subnode(fdt, 0, memory);
    check(m);
    check(fdt_setprop_string(fdt, m, "device_type", "memory"));
    const fdt32_t reg[2] = {cpu_to_fdt32(system.board.ram_base), cpu_to_fdt32(g.window_size)};
    check(fdt_setprop(fdt, m, "reg", reg, sizeof reg));
    std::vector<size_t> devices = p.emulated;
    devices.insert(devices.end(), p.devices.begin(), p.devices.end());
    for (size_t d : devices) {
        const std::string& path = system.board.devices[d].path;
        const int node = fdt_path_offset(source, path.c_str());
        check(node);
        copy_node(source, node, fdt, 0, fdt_get_name(source, node, nullptr));
    }
    check(fdt_pack(fdt));
    out.resize(fdt_totalsize(fdt));
    return out;
}

bool build(const std::vector<uint8_t>& blob, const Paths& paths, System& system, pack::Result& result,
           Error& error)
{
    if (!load(blob, paths, system, error)) return false;
    for (size_t i = 0; i < system.guests.size(); ++i) {
        pack::Guest& g = system.guests[i];
        const Partition& p = system.partitions[i];
        if (!p.kernel.empty()) {
            const std::vector<uint8_t> kernel = read_file(p.kernel), vmlinux = read_file(p.vmlinux);
            if (kernel.empty() || vmlinux.empty()) {
                error = {p.node, "kernel: cannot read " + (kernel.empty() ? p.kernel : p.vmlinux)};
                return false;
            }
            if (const std::string why =
                    linux_guest(kernel, vmlinux, system.board.ram_base, system.board.architecture, g.elf);
                !why.empty()) {
                const bool kernel_said = why.rfind("kernel: ", 0) == 0;  // else "vmlinux: "
                const size_t colon = why.find(": ");
                error = {p.node, why.substr(0, colon) + ": " + (kernel_said ? p.kernel : p.vmlinux) +
                                     why.substr(colon)};
                return false;
            }
        } else {
            g.elf = read_file(g.path);
        }
        if (g.elf.empty()) {
            error = {p.node, "image: cannot read " + g.path};
            return false;
        }
        if (!p.device_tree) continue;
        const uint32_t tree_at = system.board.ram_base + g.window_size - tree_area;
        uint32_t initrd_start = 0, initrd_size = 0;
        if (!p.initrd.empty()) {
            std::vector<uint8_t> initrd = read_file(p.initrd);
            initrd_size = uint32_t(initrd.size());
            initrd_start = (tree_at - initrd_size) & ~0xfffu;
            if (initrd.empty() || initrd_size > g.window_size / 2) {
                error = {p.node, "initrd: " + p.initrd + " is empty, or larger than half the window"};
                return false;
            }
            g.blobs.push_back({initrd_start, std::move(initrd)});
        }
        if (!p.board_tree.empty()) {
            try {
                g.blobs.push_back(
                    {tree_at, derived_tree(read_file(p.board_tree), system, i, initrd_start, initrd_size)});
            } catch (const std::runtime_error& e) {
                error = {p.node, "board-tree: " + p.board_tree + ": " + e.what()};
                return false;
            }
        } else {
            try {
                g.blobs.push_back({tree_at, guest_tree(blob, system, i, initrd_start, initrd_size)});
            } catch (const std::runtime_error& e) {  // libfdt's: the tree outgrew its 64 KiB
                error = {p.node, std::string("its device tree: ") + e.what() + " (at most 64 KiB)"};
                return false;
            }
        }
        g.device_tree = tree_at;
    }
    std::vector<std::vector<uint8_t>> images;  // as read: the packer rewrites them in place
    for (const pack::Guest& g : system.guests) images.push_back(g.elf);
    result = pack::build(system.guests, system.settings);
    // A package larger than 15 MiB (a Linux kernel) reaches past RAM base + 16 MiB: the windows
    // start at the whole MiB after it (core/package.cpp), so they are placed again from there.
    if (const uint32_t end = result.package_end; end > system.board.ram_base + monitor_area) {
        for (size_t i = 0; i < system.guests.size(); ++i) {
            system.guests[i].elf = images[i];
            if (!system.partitions[i].placed) system.guests[i].window_base = 0;
        }
        try {
            place_windows(system, end);
        } catch (const Refused& r) {
            error = r.error;
            return false;
        }
        result = pack::build(system.guests, system.settings);
    }
    if (!result.ok) {
        // The packer names the image file; the system's node says which partition it is.
        if (result.guest < system.guests.size()) {
            error = {system.partitions[result.guest].node, "image " + result.error};
            return false;
        }
        error = {"/cellvisor", result.error};
        return false;
    }
    return true;
}

}  // namespace image
