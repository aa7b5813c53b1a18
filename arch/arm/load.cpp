// Loading (docs/configuration.md): the package checked, each partition's window cleared and
// filled, its tables, devices, interrupts and virtual CPU set up from its record.
#include "arch/arm/state.hpp"

// Placement new, which <new> would declare: Debian's bare-metal toolchain package ships no C++
// library headers, and the partitions' polymorphic members need constructing in place.
inline void* operator new(__SIZE_TYPE__, void* place) noexcept { return place; }

extern "C" {
extern uint32_t boot_sctlr;        // entry.S: SCTLR as the monitor found it
extern uint32_t psr_implemented;   // entry.S: what an SPSR keeps of all ones
extern uint32_t cp15_probed[][2];  // vN/boot.S: per probed register, its reset value and the bits that change
}

namespace arm {

namespace {

// Machine-physical RAM (core/package.hpp): the monitor's MiB, the package, then the windows.
constexpr uint32_t package_address = board::ram_base + core::package::package_offset;
constexpr core::package::Board package_board{
    board::ram_base,
    board::ram_size,
    board::ram_base + core::package::windows_offset,
    {board::passthrough_lines[0], board::passthrough_lines[1], board::passthrough_lines[2]},
    board::reserved_pages,
    sizeof board::reserved_pages / sizeof board::reserved_pages[0]};

alignas(Partition) uint8_t partition_storage[max_partitions][sizeof(Partition)];
alignas(16384) uint32_t shadow_l1[max_partitions][3][4096];  // identity, user, privileged
alignas(1024) uint32_t shadow_l2[max_partitions][shadow_pool][256];
alignas(1024) uint32_t window_l2[max_partitions][2][256];             // Partition::window
alignas(1024) uint32_t device_l2[core::package::device_tables][256];  // passed through, MMU off
unsigned device_l2_used;
core::rewrite::Entry rewrite_pool[16384];  // every partition's table, copied in

// ---- identification registers, read once from the real core ----

/// The c0 identification registers (CRn 0, opc1 0, CRm 0 to `Last`, opc2 0-7) in a row: each
/// CRm's eight read into eight registers and stored with one STM (lowest register, opc2 0,
/// lowest address). On the Thumb-1 builds one ARM function rather than one per register and a
/// call to each.
template <unsigned Last>
ARM_STATE void read_ids(uint32_t (&c0)[3][8])
{
    register uint32_t* row asm("r0") = c0[0];
    asm volatile(".irp crm, 0, 1, 2\n"
                 ".if \\crm <= %c1\n"
                 "mrc p15, 0, r1, c0, c\\crm, 0\n"
                 "mrc p15, 0, r2, c0, c\\crm, 1\n"
                 "mrc p15, 0, r3, c0, c\\crm, 2\n"
                 "mrc p15, 0, r4, c0, c\\crm, 3\n"
                 "mrc p15, 0, r5, c0, c\\crm, 4\n"
                 "mrc p15, 0, r6, c0, c\\crm, 5\n"
                 "mrc p15, 0, r8, c0, c\\crm, 6\n"
                 "mrc p15, 0, r12, c0, c\\crm, 7\n"
                 "stmia %0!, {r1-r6, r8, r12}\n"
                 ".endif\n"
                 ".endr"
                 : "+r"(row)
                 : "i"(Last)
                 : "r1", "r2", "r3", "r4", "r5", "r6", "r8", "r12", "memory");
}

core::Cp15_ids capture_ids()
{
    core::Cp15_ids ids{};
    read_ids<variant::traits.has_feature_id_registers ? 2 : 0>(ids.c0);
    ids.reset[core::field_sctlr] = boot_sctlr;
    for (unsigned i = 0; i < variant::probed_count; ++i) {
        ids.reset[variant::probed_fields[i]] = cp15_probed[i][0];
        ids.fixed[variant::probed_fields[i]] = ~cp15_probed[i][1];
    }
    if constexpr (variant::traits.has_feature_id_registers)
        ids.reset[core::field_actlr] = Cp15_register<0, 1, 0, 1>::read();
    if constexpr (variant::traits.has_vfp) vfp_probe(ids);
    if constexpr (variant::traits.has_cache_id_registers) {
        for (unsigned level = 0; level < 2; ++level) {
            Cp15_register<2, 0, 0, 0>::write(level);  // CSSELR: level-1 data, then instruction
            variant::instruction_sync();
            ids.ccsidr[level] = Cp15_register<1, 0, 0, 0>::read();
        }
        Cp15_register<2, 0, 0, 0>::write(0);
        ids.id[core::id_clidr] = Cp15_register<1, 0, 0, 1>::read();
        ids.id[core::id_aidr] = Cp15_register<1, 0, 0, 7>::read();
        ids.id[core::id_cbar] = Cp15_register<4, 15, 0, 0>::read();
    }
    return ids;
}
// ---- loading ----

void map_window(uint32_t* l1, uint32_t machine, uint32_t size)
{
    for (uint32_t offset = 0; offset < size; offset += 1u << 20)
        l1[(board::ram_base + offset) >> 20] = variant::pte::section(machine + offset, Mapping::guest);
    l1[layout::window >> 20] = monitor_l1[layout::window >> 20];  // privileged only
}

/// Maps the partition's devices at their addresses into its guest-MMU-off table: a MiB a range
/// covers whole as a section, the rest as pages of second-level tables from the pool all the
/// partitions share. False when the pool runs out (cellvisor-image counts them).
bool map_devices(Partition& p)
{
    for (uint32_t d = 0; d < p.device_count; ++d)
        for (uint32_t page = p.devices[d].address, end = page + p.devices[d].size; page != end;) {
            if (page >> 20 == layout::window >> 20) return false;
            uint32_t& first = p.l1[page >> 20];
            if (!(page & 0xfffff) && end - page >= 1u << 20) {
                first = variant::pte::section(page, Mapping::guest_device);
                page += 1u << 20;
                continue;
            }
            if (!first) {
                if (device_l2_used == core::package::device_tables) return false;
                first = variant::pte::page_table(layout::physical(uintptr_t(device_l2[device_l2_used++])));
            }
            auto* table = reinterpret_cast<uint32_t*>(layout::monitor_virtual(first & 0xfffffc00));
            table[page >> 12 & 0xff] = variant::pte::guest_page(page, true, false, true);
            page += 0x1000;
        }
    clean(device_l2, sizeof device_l2);
    return true;
}

}  // namespace

namespace {

/// A shadow's first-level table as a partition starts: empty but for the monitor's megabyte,
/// its own copy of the window's second level.
[[gnu::noinline]] void install_window(uint32_t* shadow, const uint32_t* window)
{
    shadow[layout::window >> 20] = variant::pte::page_table(layout::physical(uintptr_t(window)));
    clean(shadow, 16384);
}

}  // namespace

void load_partitions()
{
    core::package::View view;
    const auto* bytes = reinterpret_cast<const uint8_t*>(uintptr_t(package_address));  // identity, uncached
    if (const auto refused =
            core::package::check(bytes, board::ram_size - core::package::package_offset, package_board, view);
        refused != core::package::Refusal::none) {
        if (refused == core::package::Refusal::bad_magic) {
            print("partitions: none (no package at %08x)\n", package_address);
            return;
        }
        // The words are the host's (cellvisor-pack --check, cellvisor-image --check, tools/hv).
        print("package refused: reason %u, stopped\n", unsigned(refused));
        halt(stop_package_refused);
    }
    const core::Cp15_ids ids = capture_ids();
    core::Vcpu::implemented = psr_implemented;
    uint32_t pool_used = 0;
    for (unsigned i = 0; i < view.header->partition_count; ++i) {
        const core::package::Partition& record = view.partitions[i];
        const core::rewrite::Table_header& table = view.rewrites(record);
        auto* p = new (partition_storage[i]) Partition();  // value-initialised: zero first (state.hpp)
        const uint32_t machine = record.window_base;
        p->l1 = shadow_l1[i][0];
        p->device_count = record.device_count;
        __builtin_memcpy(p->devices, view.devices(record), record.device_count * sizeof p->devices[0]);
        map_window(p->l1, machine, record.window_size);
        if (table.count > sizeof rewrite_pool / sizeof rewrite_pool[0] - pool_used || !map_devices(*p)) {
            print("partition %s refused: no room\n", record.name);
            break;
        }
        clean(p->l1, sizeof shadow_l1[0][0]);
        p->cp15.reset(cpu_core, ids);
        __builtin_memcpy(p->name, record.name, sizeof p->name);
        p->flags = record.flags;
        p->shadow[0] = shadow_l1[i][1];
        p->shadow[1] = shadow_l1[i][2];
        p->pool = shadow_l2[i];
        p->window = window_l2[i];
        p->machine_base = machine;
        p->window_size = record.window_size;
        auto* window = reinterpret_cast<uint8_t*>(uintptr_t(machine));
        __builtin_memset(window, 0, record.window_size);
        for (uint32_t s = 0; s < record.segment_count; ++s) {
            const core::package::Segment& segment = view.segments(record)[s];
            __builtin_memcpy(window + (segment.address - board::ram_base), view.bytes(segment),
                             segment.file_size);
        }
        __builtin_memcpy(rewrite_pool + pool_used, view.rewrite_entries(record),
                         table.count * sizeof rewrite_pool[0]);
        p->rewrites = {rewrite_pool + pool_used, table.count};
        pool_used += table.count;
        install_window(p->shadow[0], p->window[0]);  // (.bss, zero since boot): empty but for the window
        install_window(p->shadow[1], p->window[1]);
        p->window_dirty = 3;
        drop_shadow(*p, true);
        p->console.bind(uart_console(), p->name);
        p->board.attach(monitor_clock, p->console, record.emulated, record.interrupts);
        for (unsigned w = 0; w < 3; ++w) {
            p->lines[w] = record.interrupts[w];
            for (uint32_t lines = p->lines[w]; lines; lines &= lines - 1)
                enable_interrupt(32 * w + core::lowest_bit(lines));
        }
        p->index = uint8_t(scheduler.add(uint8_t(record.priority), record.budget, record.period,
                                         record.slice ? record.slice : view.header->slice));
        // The guest contract: entry in SVC mode, IRQ and FIQ masked, r0 = 0, r1 = machine id
        // (none: ~0), r2 = device tree (none: 0).
        p->cpu.r[1] = ~0u;
        p->cpu.r[2] = record.device_tree;
        p->cpu.r[15] = record.entry;
        partitions[partition_count++] = p;
        print("partition %s: %u MiB at %08x, entry %08x, %u rewritten instructions, priority %u\n", p->name,
              record.window_size >> 20, machine, record.entry, table.count, record.priority);
    }
    // The TLB's entries of the identity map go: its RAM sections are global, and the windows are
    // at the same addresses in the partitions' tables.
    invalidate_tlb();
    if (!partition_count) return;
    print("focus: %s (Ctrl-] switches)\n", partitions[0]->name);
    if (view.header->status_period) {
        status_period = view.header->status_period * 1000;
        status_since = now();
        next_status = status_since + status_period;
    }
}

}  // namespace arm
