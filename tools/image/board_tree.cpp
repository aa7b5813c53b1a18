// A partition's device tree derived from the board's tree as an operating system ships it
// (docs/configuration.md, "board-tree"; docs/linux.md): Debian's vexpress-v2p-ca9.dtb carries the
// clocks, regulators and buses its drivers look for, which the tree generated from the board's
// description (guest_tree) does not. The tree is kept but for what the partition does not get:
// memory, devices, CPUs, and /chosen.
#include <cstring>
#include <stdexcept>

#include "tools/image/system.hpp"

extern "C" {
#include <libfdt.h>
}

namespace image {

namespace {

constexpr uint32_t tree_area = 0x10000;  // the window's last 64 KiB (system.cpp)

[[noreturn]] void fail(const std::string& reason) { throw std::runtime_error(reason); }

void check(int status, const char* what)
{
    if (status < 0) fail(std::string(what) + ": " + fdt_strerror(status));
}

/// A number of `count` cells (one or two; more do not fit a 32-bit board's bus).
bool number(const fdt32_t* cells, int count, uint64_t& value)
{
    if (count < 1 || count > 2) return false;
    value = 0;
    for (int i = 0; i < count; ++i) value = value << 32 | fdt32_ld(cells + i);
    return true;
}

/// The cells `property` of `node` holds, or -1 when absent; `cells` points at them.
int cell_count(const void* fdt, int node, const char* property, const fdt32_t*& cells)
{
    int length = 0;
    cells = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, property, &length));
    return cells && length % 4 == 0 ? length / 4 : cells ? -2 : -1;
}

/// Address `address` of `node`'s bus (its parent's address space, `cells` wide) as the processor
/// sees it: through each bus's `ranges` up to the root. False when a bus has no `ranges` (its
/// children are not memory-mapped: an I2C bus) or no range holds the address.
bool processor_address(const void* fdt, int node, uint64_t address, uint64_t& out)
{
    for (int bus = fdt_parent_offset(fdt, node); bus > 0; bus = fdt_parent_offset(fdt, bus)) {
        const int parent = fdt_parent_offset(fdt, bus);
        if (parent < 0) return false;
        const int child_cells = fdt_address_cells(fdt, bus), size_cells = fdt_size_cells(fdt, bus);
        const int parent_cells = fdt_address_cells(fdt, parent);
        const fdt32_t* ranges;
        const int count = cell_count(fdt, bus, "ranges", ranges);
        if (count == 0) continue;  // an identity map
        const int entry = child_cells + parent_cells + size_cells;
        if (count < 0 || entry <= 0 || count % entry) return false;
        bool mapped = false;
        for (int i = 0; i < count && !mapped; i += entry) {
            uint64_t child, parent_address, size;
            if (!number(ranges + i, child_cells, child) ||
                !number(ranges + i + child_cells, parent_cells, parent_address) ||
                !number(ranges + i + child_cells + parent_cells, size_cells, size))
                return false;
            if (address - child < size) {
                address = parent_address + (address - child);
                mapped = true;
            }
        }
        if (!mapped) return false;
    }
    out = address;
    return true;
}

/// The node's `reg` ranges as the processor sees them; empty when it has none or they are not
/// memory-mapped (a CPU's, an I2C device's).
std::vector<std::pair<uint64_t, uint64_t>> registers(const void* fdt, int node)
{
    std::vector<std::pair<uint64_t, uint64_t>> out;
    const int parent = fdt_parent_offset(fdt, node);
    if (parent < 0) return out;
    const int address_cells = fdt_address_cells(fdt, parent), size_cells = fdt_size_cells(fdt, parent);
    const fdt32_t* reg;
    const int count = cell_count(fdt, node, "reg", reg);
    if (count <= 0 || size_cells < 1 || address_cells < 1 || count % (address_cells + size_cells)) return out;
    for (int i = 0; i < count; i += address_cells + size_cells) {
        uint64_t address, size, at;
        if (!number(reg + i, address_cells, address) || !number(reg + i + address_cells, size_cells, size))
            return {};
        if (!processor_address(fdt, node, address, at)) return {};
        out.push_back({at, size});
    }
    return out;
}

bool named(const void* fdt, int node, const char* property, const char* value)
{
    int length = 0;
    const auto* text = static_cast<const char*>(fdt_getprop(fdt, node, property, &length));
    return text && length > 0 && std::strncmp(text, value, size_t(length)) == 0 &&
           std::strlen(value) < size_t(length);
}

/// Whether the `compatible` list of `node` (the root by default) holds an entry `match` accepts.
template <typename Match>
bool compatible_if(const void* fdt, Match match, int node = 0)
{
    int length = 0;
    const auto* list = static_cast<const char*>(fdt_getprop(fdt, node, "compatible", &length));
    for (int at = 0; list && at < length;) {
        const size_t n = strnlen(list + at, size_t(length - at));
        if (match(std::string(list + at, n))) return true;
        at += int(n) + 1;
    }
    return false;
}

bool compatible_with(const void* fdt, const std::string& wanted)
{
    return compatible_if(fdt, [&](const std::string& entry) { return entry == wanted; });
}

/// The core's performance monitor ("arm,cortex-a9-pmu" and the like): no partition gets it (its
/// counters and interrupt are the one core's, and the monitor does not virtualize them), so
/// the OS must not look for it.
bool performance_monitor(const void* fdt, int node)
{
    return compatible_if(
        fdt,
        [](const std::string& entry) {
            return entry.starts_with("arm,") && entry.size() > 8 && entry.ends_with("-pmu");
        },
        node);
}

}  // namespace

std::vector<uint8_t> derived_tree(const std::vector<uint8_t>& os_tree, const System& system, size_t partition,
                                  uint32_t initrd_start, uint32_t initrd_size)
{
    const void* source = os_tree.data();
    if (os_tree.size() < sizeof(fdt_header) || fdt_check_header(source) != 0 ||
        fdt_totalsize(source) > os_tree.size() || fdt_check_full(source, os_tree.size()) != 0)
        fail("not a device tree blob");
    if (!system.board.compatible.empty() && !compatible_with(source, system.board.compatible))
        fail("its root is not compatible with \"" + system.board.compatible + "\", the board's");
    if (fdt_address_cells(source, 0) != 1 || fdt_size_cells(source, 0) != 1)
        fail("the root must have #address-cells = <1> and #size-cells = <1> (no LPAE)");
    const Partition& p = system.partitions[partition];
    const pack::Guest& g = system.guests[partition];

    // The pages the partition is given, emulated or passed through.
    std::vector<std::pair<uint64_t, uint64_t>> given;
    std::vector<size_t> devices = p.emulated;
    devices.insert(devices.end(), p.devices.begin(), p.devices.end());
    for (size_t d : devices)
        for (const core::package::Device& r : system.board.devices[d].ranges)
            given.push_back({r.address & ~0xfffull, ((uint64_t(r.address) + r.size + 0xfff) & ~0xfffull)});
    const auto is_given = [&](uint64_t address, uint64_t size) {
        for (const auto& [start, end] : given)
            if (address < end && start < address + size) return true;
        return false;
    };

    // Decided on the tree as shipped; applied by path, as each change moves the offsets after it.
    std::vector<std::string> removed, kept, failed, memory;
    char path[512];
    bool first_cpu = true;
    for (int node = fdt_next_node(source, 0, nullptr); node >= 0;
         node = fdt_next_node(source, node, nullptr)) {
        check(fdt_get_path(source, node, path, sizeof path), "a node's path");
        if (named(source, node, "device_type", "memory")) {
            memory.push_back(path);
            continue;
        }
        if (named(source, node, "device_type", "cpu")) {  // one processor: the others unusable
            if (!first_cpu) failed.push_back(path);
            first_cpu = false;
            continue;
        }
        if (performance_monitor(source, node)) {
            removed.push_back(path);
            continue;
        }
        const auto regs = registers(source, node);
        if (regs.empty()) continue;  // buses, clocks, regulators: no registers of their own
        bool given_one = false;
        for (const auto& [address, size] : regs) given_one |= is_given(address, size);
        (given_one ? kept : removed).push_back(path);
    }
    // Removed whole, not only disabled: some drivers probe a node whatever its status (Linux's
    // L2C-310 set-up). A node goes with its subtree, unless a device below it is kept.
    const auto below = [](const std::string& node, const std::string& parent) {
        return node.size() > parent.size() && node.compare(0, parent.size(), parent) == 0 &&
               node[parent.size()] == '/';
    };
    std::erase_if(removed, [&](const std::string& node) {
        for (const std::string& k : kept)
            if (below(k, node)) return true;
        return false;
    });
    const std::vector<std::string> subtrees = removed;     // the predicate must not see the moved ones
    std::erase_if(removed, [&](const std::string& node) {  // gone with an ancestor
        for (const std::string& r : subtrees)
            if (below(node, r)) return true;
        return false;
    });
    if (memory.size() != 1) fail("expected one memory node, found " + std::to_string(memory.size()));

    std::vector<uint8_t> out(tree_area);
    void* fdt = out.data();
    if (fdt_open_into(source, fdt, int(out.size())) < 0) fail("larger than its 64 KiB");
    const auto at = [&](const std::string& node) {
        const int offset = fdt_path_offset(fdt, node.c_str());
        check(offset, node.c_str());
        return offset;
    };
    const auto room = [&](int status) {
        if (status == -FDT_ERR_NOSPACE) fail("larger than its 64 KiB with the partition's changes");
        check(status, "a change");
    };
    for (const std::string& node : removed) check(fdt_del_node(fdt, at(node)), node.c_str());
    for (const std::string& node : failed) room(fdt_setprop_string(fdt, at(node), "status", "fail"));
    const fdt32_t window[2] = {cpu_to_fdt32(system.board.ram_base), cpu_to_fdt32(g.window_size)};
    room(fdt_setprop(fdt, at(memory[0]), "reg", window, sizeof window));
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND) room(chosen = fdt_add_subnode(fdt, 0, "chosen"));
    check(chosen, "/chosen");
    if (!p.bootargs.empty()) room(fdt_setprop_string(fdt, chosen, "bootargs", p.bootargs.c_str()));
    if (initrd_size) {
        room(fdt_setprop_u32(fdt, chosen, "linux,initrd-start", initrd_start));
        room(fdt_setprop_u32(fdt, chosen, "linux,initrd-end", initrd_start + initrd_size));
    }
    check(fdt_pack(fdt), "packing");
    out.resize(fdt_totalsize(fdt));
    return out;
}

}  // namespace image
