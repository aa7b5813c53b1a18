#include "arch/arm/partition.hpp"

#include "arch/arm/console.hpp"
#include "arch/arm/cp15.hpp"
#include "arch/arm/layout.hpp"
#include "arch/arm/mmu.hpp"
#include "board.hpp"
#include "core/access.hpp"
#include "core/divide.hpp"
#include "core/guest_mmu.hpp"
#include "core/package.hpp"
#include "core/scheduler.hpp"
#include "core/trap.hpp"
#include "variant.hpp"
#include "virtual_board.hpp"

// Placement new, which <new> would declare: Debian's bare-metal toolchain package ships no C++
// library headers, and the partitions' polymorphic members need constructing in place.
inline void* operator new(__SIZE_TYPE__, void* place) noexcept { return place; }

extern "C" {
bool guest_load_word(uint32_t address, uint32_t* value);  // guest_access.S
bool guest_store_word(uint32_t address, uint32_t value);
extern char guest_load_access[], guest_store_access[], guest_access_failed[];
extern uint32_t boot_sctlr;        // entry.S: SCTLR as the monitor found it
extern uint32_t cp15_probed[][2];  // vN/boot.S: per probed register, its reset value and the bits that change
extern uint32_t monitor_l1[4096];
extern uint32_t monitor_l2[256];
[[noreturn]] void monitor_idle();  // entry.S
}

namespace arm {

namespace {

using core::package::max_partitions;
using variant::pte::Mapping;

// Machine-physical RAM (core/package.hpp): the monitor's MiB, the package, then the windows.
constexpr uint32_t package_address = board::ram_base + core::package::package_offset;
constexpr core::package::Board package_board{
    board::ram_base,
    board::ram_size,
    board::ram_base + core::package::windows_offset,
    {board::passthrough_lines[0], board::passthrough_lines[1], board::passthrough_lines[2]},
    board::reserved_pages,
    sizeof board::reserved_pages / sizeof board::reserved_pages[0]};

constexpr auto architecture = core::Architecture(variant::architecture);
constexpr core::Cpu_core cpu_core = variant::architecture == 5   ? core::Cpu_core::arm926
                                    : variant::architecture == 6 ? core::Cpu_core::arm1176
                                                                 : core::Cpu_core::cortex_a9;
constexpr uint32_t external_abort = 0x8;              // DFSR/IFSR: synchronous external abort, all three
constexpr uint32_t write_not_read = 1u << 11;         // DFSR.WnR, ARMv6 and later
constexpr uint32_t sctlr_alignment = 1u << 1;         // SCTLR.A
constexpr uint32_t sctlr_unaligned = 1u << 22;        // SCTLR.U (ARMv6; RES1 on ARMv7)
constexpr uint32_t user_access = 1u << 5;             // AP[1] of a small page (the first subpage's on ARMv5)
constexpr unsigned reported_aborts = 8;               // per partition; the rest are only counted
constexpr uint32_t idle_cpsr = PSR_MODE_SVC | PSR_F;  // the monitor's idle loop, IRQs open
constexpr unsigned shadow_pool = 16;                  // second-level shadow tables per partition
constexpr char focus_key = 0x1d;                      // Ctrl-]: the "switch profile" button

using State = core::Scheduler::State;

struct Partition {
    core::Vcpu cpu{architecture};
    core::Virtual_cp15 cp15;
    core::Rewrite_table rewrites;
    board::Virtual_board board;  // its devices, emulated
    core::Line_console console;
    char name[core::package::name_size];
    uint8_t index = 0;
    uint32_t flags = 0;
    uint32_t machine_base = 0, window_size = 0;
    core::package::Device devices[core::package::max_devices];  // passed through
    uint32_t device_count = 0;
    uint32_t lines[3] = {};             // interrupt lines passed through
    uint32_t* l1 = nullptr;             // guest MMU off: the window, identity-mapped
    uint32_t* shadow[2] = {};           // guest MMU on: for virtual User mode [0] and privileged modes [1]
    uint32_t (*window)[256] = nullptr;  // per shadow: its copy of the monitor window's second level
    uint32_t (*pool)[256] = nullptr;    // second-level shadow tables
    unsigned pool_used = 0;
    // The page of the last rewritten instruction, guest-virtual (+1: none) and guest-physical:
    // its translation holds until the guest changes its translation (flush_shadow).
    uint32_t code_virtual = 0, code_physical = 0;  // flush_shadow() sets them before use
    // The last emulated device page the guest reached with its MMU on, for reads [0] and writes
    // [1]: its guest-virtual page and the virtual privilege (bit 0; ~0: none), and its
    // guest-physical page. Valid, like code_virtual, until the guest changes its translation.
    uint32_t device_virtual[2] = {}, device_physical[2] = {};  // as code_virtual
    uint32_t aborts = 0;
    uint32_t raised = 0;         // 1 + when its interrupt output last rose (0: taken, or not timed)
    uint32_t worst_latency = 0;  // this status period's, microseconds: rise to its vector
    uint32_t reported_time = 0;  // its run time at the last status line
    uint64_t timer_event = 0;    // when its devices next raise an interrupt by themselves
};

alignas(Partition) uint8_t partition_storage[max_partitions][sizeof(Partition)];
alignas(16384) uint32_t shadow_l1[max_partitions][3][4096];  // identity, user, privileged
alignas(1024) uint32_t shadow_l2[max_partitions][shadow_pool][256];
alignas(1024) uint32_t window_l2[max_partitions][2][256];             // Partition::window
alignas(1024) uint32_t device_l2[core::package::device_tables][256];  // passed through, MMU off
unsigned device_l2_used;
core::rewrite::Entry rewrite_pool[16384];  // every partition's table, copied in
Partition* partitions[max_partitions];
unsigned partition_count;
int current = -1;  // whose trap the monitor handles, or who runs; -1: the monitor idles
}  // namespace
}  // namespace arm
extern "C" {
arm::Exception_frame* guest_frame;
uint32_t trap_entered, monitor_ticks;
}
namespace arm {
namespace {
int loaded = -1;  // whose shadow tables TTBR0 points at
const uint32_t* loaded_table;
int exit_status;
core::Scheduler scheduler;
int focus;  // the partition the console's input goes to
// Typed input waiting for room in the focused partition's receive FIFO. The physical UART is
// always drained, so the focus key is seen whatever the partition does with its input.
char typed[64];
uint8_t typed_first, held;
uint64_t armed;      // the event timer's deadline
uint32_t masked[3];  // passed-through lines masked on the controller while their devices drive them
constexpr unsigned first_word = board::passthrough_lines[0] ? 0 : 1;  // of masked: the first that may be set

// What the status line reports (docs/interrupts.md): counts since the last one.
uint32_t status_period;  // microseconds; 0: no status line
uint64_t next_status = core::never;
uint64_t status_since;
uint32_t idle_reported;
uint32_t traps, injections, switches, shadow_fills, shadow_flushes;
// The monitor's own time, in counter ticks (entry.S sums every trap's into monitor_ticks): per
// slot (each partition, then idle), what its traps took since the last status line.
uint32_t slot_ticks[max_partitions + 1];
uint32_t ticks_mark;         // monitor_ticks when slot_ticks were last brought up to date
Exception_frame idle_frame;  // the monitor's idle loop, entered afresh

class Monitor_clock final : public core::Clock {
public:
    uint64_t now() override { return arm::now(); }
};
constinit Monitor_clock monitor_clock;

// ---- identification registers, read once from the real core ----

/// The c0 identification registers (CRn 0, opc1 0, CRm 0 to `Last`, opc2 0-7) in a row, one
/// MRC and one store each: on the Thumb-1 builds one ARM function rather than one per register
/// and a call to each.
template <unsigned Last>
ARM_STATE void read_ids(uint32_t (&c0)[3][8])
{
    asm volatile(".irp crm, 0, 1, 2\n"
                 ".if \\crm <= %c1\n"
                 ".irp opc2, 0, 1, 2, 3, 4, 5, 6, 7\n"
                 "mrc p15, 0, r2, c0, c\\crm, \\opc2\n"
                 "str r2, [%0, #4 * (8 * \\crm + \\opc2)]\n"
                 ".endr\n"
                 ".endif\n"
                 ".endr" ::"l"(c0),
                 "i"(Last)
                 : "r2", "memory");
}

core::Cp15_ids capture_ids()
{
    core::Cp15_ids ids{};
    read_ids<variant::architecture >= 6 ? 2 : 0>(ids.c0);
    ids.reset[core::field_sctlr] = boot_sctlr;
    for (unsigned i = 0; i < variant::probed_count; ++i) {
        ids.reset[variant::probed_fields[i]] = cp15_probed[i][0];
        ids.fixed[variant::probed_fields[i]] = ~cp15_probed[i][1];
    }
    if constexpr (variant::architecture >= 6)
        ids.reset[core::field_actlr] = Cp15_register<0, 1, 0, 1>::read();
    if constexpr (variant::architecture >= 7) {
        for (unsigned level = 0; level < 2; ++level) {
            Cp15_register<2, 0, 0, 0>::write(level);  // CSSELR: level-1 data, then instruction
            variant::instruction_sync();
            ids.ccsidr[level] = Cp15_register<1, 0, 0, 0>::read();
        }
        Cp15_register<2, 0, 0, 0>::write(0);
        ids.clidr = Cp15_register<1, 0, 0, 1>::read();
        ids.aidr = Cp15_register<1, 0, 0, 7>::read();
        ids.cbar = Cp15_register<4, 15, 0, 0>::read();
    }
    return ids;
}

// ---- register state: the vectors save a partition's registers into its vCPU (entry.S) ----

/// The partition's vCPU as the frame the vectors restore: in User mode with IRQs open to the
/// monitor, whatever the virtual masks say.
Exception_frame* resume(Partition& p)
{
    p.cpu.hardware_cpsr = (p.cpu.cpsr() & core::Vcpu::live_bits) | PSR_MODE_USR | PSR_F;
    return &frame_of(p.cpu);
}

/// Mirrors the guest's alignment checking (SCTLR.A, and SCTLR.U on ARMv6) into the real
/// SCTLR; the monitor itself is built not to depend on either (-mno-unaligned-access).
void apply_alignment(const Partition& p)
{
    const uint32_t mirrored = sctlr_alignment | (variant::architecture == 6 ? sctlr_unaligned : 0);
    const uint32_t sctlr = Sctlr::read();
    const uint32_t wanted = (sctlr & ~mirrored) | (p.cp15.field(core::field_sctlr) & mirrored);
    if (wanted != sctlr) variant::write_sctlr(wanted);
}

bool guest_mmu_on(const Partition& p);
const uint32_t* active_table(const Partition& p);

/// The hardware ASID of one of the partition's three tables (ARMv6/v7; 0 is kept for switches).
uint32_t asid(const Partition& p, const uint32_t* table)
{
    return variant::architecture == 5 ? 0 : 3 * p.index + 1 + uint32_t(table - p.l1) / 4096;
}

using Tpidrurw = Cp15_register<0, 13, 0, 2>;  // User read-write thread ID: User mode writes it
using Tpidruro = Cp15_register<0, 13, 0, 3>;  // User read-only thread ID: User mode reads it

void switch_to(int index)
{
    Partition& p = *partitions[index];
    const uint32_t* table = active_table(p);
    if (table == loaded_table) return;
    const bool other = index != loaded;
    // The thread-ID registers User mode reaches without a trap are the guest's own while it runs.
    if (variant::architecture >= 6 && other) {
        if (loaded >= 0) partitions[loaded]->cp15.set_field(core::field_tpidrurw, Tpidrurw::read());
        Tpidrurw::write(p.cp15.field(core::field_tpidrurw));
        Tpidruro::write(p.cp15.field(core::field_tpidruro));
    }
    // ARMv6/v7 switch the same way either way (ASIDs); the ARM926 cleans its caches for another partition.
    if (variant::architecture == 5 && !other)
        variant::switch_table(layout::physical(uintptr_t(table)), 0);
    else
        variant::switch_address_space(layout::physical(uintptr_t(table)), asid(p, table));
    if (other) apply_alignment(p);
    loaded = index;
    loaded_table = table;
}

void stop(Partition& p, int status)
{
    p.console.flush();
    scheduler.set_state(p.index, State::stopped);
    if (status && !exit_status) exit_status = status;
    for (unsigned i = 0; i < partition_count; ++i)
        if (scheduler.state(i) != State::stopped) return;
    print("all partitions have stopped\n");
    halt(exit_status);
}

// ---- shadow translation tables (docs/memory.md) ----

bool guest_mmu_on(const Partition& p) { return p.cp15.field(core::field_sctlr) & core::mmu::sctlr_mmu; }

const uint32_t* active_table(const Partition& p)
{
    return guest_mmu_on(p) ? p.shadow[p.cpu.privileged()] : p.l1;
}

bool in_window(const Partition& p, uint32_t physical)
{
    return physical >= board::ram_base && physical - board::ram_base < p.window_size;
}

bool passed_through(const Partition& p, uint32_t physical)
{
    for (uint32_t d = 0; d < p.device_count; ++d)
        if (physical - p.devices[d].address < p.devices[d].size) return true;
    return false;
}

// The scratch page's attributes (a small page's low 12 bits): uncached as a table walker reads
// memory; for the guest's data, cacheable where the caches are physically tagged (ARMv6/v7),
// uncached on the ARM926, whose data cache Window_memory cleans first.
constexpr uint32_t uncached_page = variant::pte::small_page(0, Mapping::uncached);
constexpr uint32_t alias_page =
    variant::architecture == 5 ? uncached_page : variant::pte::small_page(0, Mapping::data);

/// Maps the monitor's scratch page to the machine page of `machine` and returns where the monitor
/// sees `machine`. The entry is the loaded table's (each shadow has its own copy of the window's
/// second level); the TLB may hold another table's.
volatile uint8_t* through_scratch(uint32_t machine, uint32_t attributes)
{
    uint32_t& entry = reinterpret_cast<uint32_t*>(layout::monitor_virtual(
        loaded_table[layout::window >> 20] & 0xfffffc00))[layout::page_index(layout::scratch)];
    entry = (machine & 0xfffff000) | attributes;
    clean(&entry, 4);
    invalidate_tlb_entry(layout::scratch);
    variant::data_sync();
    variant::instruction_sync();
    return reinterpret_cast<volatile uint8_t*>(layout::scratch + (machine & 0xfff));
}

/// Guest-physical memory read as the walker reads it: from memory, uncached (a guest must clean
/// its table writes for the hardware walker too).
class Window_reader final : public core::mmu::Table_reader {
public:
    explicit Window_reader(const Partition& p) : p_(p) {}
    bool read(uint32_t physical, uint32_t& value) override
    {
        if (!in_window(p_, physical) || physical % 4) return false;
        value = *reinterpret_cast<volatile uint32_t*>(
            through_scratch(p_.machine_base + (physical - board::ram_base), uncached_page));
        return true;
    }

private:
    const Partition& p_;
};

core::mmu::Result translate(const Partition& p, uint32_t address, core::mmu::Access access, bool privileged)
{
    const auto& c = p.cp15;
    const core::mmu::Controls controls{c.field(core::field_sctlr), c.field(core::field_ttbr0),
                                       c.field(core::field_ttbr1), c.field(core::field_ttbcr),
                                       c.field(core::field_dacr)};
    Window_reader reader(p);
    return core::mmu::translate(address, access, privileged, controls, architecture, reader);
}

/// Drops every shadow entry of the partition (the guest changed or flushed its translations).
/// What stays is the monitor's window: each shadow has its own copy of its second-level table,
/// where the guest's pages fill the gaps between the monitor's.
void flush_shadow(Partition& p)
{
    for (unsigned s = 0; s < 2; ++s) {
        uint32_t *table = p.shadow[s], *window = p.window[s];
        // The monitor runs on this table perhaps: its window's entries are only ever rewritten
        // with what they hold (the window is the last MiB).
        __builtin_memset(table, 0, 4 * (layout::window >> 20));
        __builtin_memcpy(window, monitor_l2, 1024);
        table[layout::window >> 20] = variant::pte::page_table(layout::physical(uintptr_t(window)));
        clean(window, 1024);
        clean(table, 16384);
        variant::invalidate_asid(asid(p, table));
    }
    p.pool_used = 0;
    p.code_virtual = 1;
    p.device_virtual[0] = p.device_virtual[1] = ~0u;
    ++shadow_flushes;
    // ARMv5 has no ASIDs: the TLB goes now if a shadow is loaded, else at the switch to one.
    if (variant::architecture == 5 && (loaded_table == p.shadow[0] || loaded_table == p.shadow[1]))
        invalidate_tlb();
}

/// Not a fault status: the guest's mapping is good, but the monitor's own page is where it puts it.
constexpr uint32_t monitor_page = 0x100;

enum class Shadowed : uint8_t {
    mapped,
    unchanged,   // the entry was there already: the fault was not about a missing entry
    impossible,  // the address is the monitor's
};

/// Maps the 4 KiB page of `address` to the guest-physical `r.physical` (inside the window, or
/// a device passed through) in the shadow table of the current virtual privilege, with the
/// rights the guest's mapping grants.
Shadowed map_shadow(Partition& p, uint32_t address, const core::mmu::Result& r, bool device)
{
    uint32_t& first = p.shadow[p.cpu.privileged()][address >> 20];
    if ((first & 3) != 1) {
        if (p.pool_used == shadow_pool) flush_shadow(p);
        uint32_t* table = p.pool[p.pool_used++];
        for (unsigned i = 0; i < 256; ++i) table[i] = 0;
        clean(table, 1024);
        first = variant::pte::page_table(layout::physical(uintptr_t(table)));
        clean(&first, 4);
    }
    auto* table = reinterpret_cast<uint32_t*>(layout::monitor_virtual(first & 0xfffffc00));
    uint32_t& entry = table[address >> 12 & 0xff];
    if (entry && !(entry & user_access)) return Shadowed::impossible;  // a page of the monitor's
    const uint32_t machine = device ? r.physical : p.machine_base + (r.physical - board::ram_base);
    const uint32_t wanted = variant::pte::guest_page(machine, r.writable, r.executable, device);
    if (entry == wanted) return Shadowed::unchanged;
    entry = wanted;
    ++shadow_fills;
    clean(&entry, 4);
    invalidate_tlb_entry(address, asid(p, p.shadow[p.cpu.privileged()]));
    variant::data_sync();
    variant::instruction_sync();
    return Shadowed::mapped;
}

/// Makes `address` reachable for `access` if the guest's own tables allow it. Returns 0 when it
/// is now shadowed, else the fault status the guest takes (its own translation, domain or
/// permission fault, or an external abort for memory outside its window), or monitor_page.
uint32_t fill_shadow(Partition& p, uint32_t address, core::mmu::Access access, uint32_t* physical = nullptr)
{
    core::mmu::Result r = translate(p, address, access, p.cpu.privileged());
    if (r.fault) return r.status;
    if (physical) *physical = r.physical;
    const bool device = !in_window(p, r.physical);
    if (device && !passed_through(p, r.physical)) return external_abort;
    Shadowed s = map_shadow(p, address, r, device);
    if (s == Shadowed::unchanged && access == core::mmu::Access::read) {  // ARMv5: a write after all
        r = translate(p, address, core::mmu::Access::write, p.cpu.privileged());
        if (r.fault) return r.status;
    }
    return s == Shadowed::impossible ? monitor_page : 0;
}

/// A word of guest memory at a guest-virtual address, with the rights of the guest's current
/// virtual mode (LDRT/STRT through the shadow tables, filled on demand). Returns 0 or the fault
/// status the guest would take.
uint32_t guest_word(Partition& p, uint32_t address, bool write, uint32_t& value)
{
    for (bool retried = false;; retried = true) {
        if (write ? guest_store_word(address, value) : guest_load_word(address, &value)) return 0;
        if (retried || !guest_mmu_on(p)) return external_abort;
        const uint32_t status =
            fill_shadow(p, address, write ? core::mmu::Access::write : core::mmu::Access::read);
        if (status) return status == monitor_page ? external_abort : status;
    }
}

/// The data abort the guest receives, in its DFSR and DFAR.
void set_data_fault(Partition& p, uint32_t status, uint32_t address, bool write)
{
    p.cp15.set_field(core::field_dfsr, status | (write && variant::architecture >= 6 ? write_not_read : 0));
    p.cp15.set_field(core::field_dfar, address);
}

/// Guest memory for the emulator. A fault leaves the abort the guest receives in its DFSR and DFAR.
class Live_memory final : public core::Guest_memory {
public:
    explicit Live_memory(Partition& p) : p_(p) {}
    bool load(uint32_t address, uint32_t& value) override { return access(address, false, value); }
    bool store(uint32_t address, uint32_t value) override { return access(address, true, value); }

private:
    bool access(uint32_t address, bool write, uint32_t& value)
    {
        const uint32_t status = guest_word(p_, address, write, value);
        if (status) set_data_fault(p_, status, address, write);
        return !status;
    }
    Partition& p_;
};

/// Guest memory the monitor reaches through its scratch page, a byte at a time:
/// a page of its window the guest maps where the monitor's own page is (`page`), or for LDRT and
/// the like (`user`) wherever the guest's tables give its User mode (docs/memory.md). A refusal
/// leaves the abort in DFSR and DFAR.
class Window_memory final : public core::Mmio_device {
public:
    explicit Window_memory(Partition& p) : p_(p) {}
    uint32_t page = user;  // guest-physical, or `user`
    static constexpr uint32_t user = 1;

    bool read(uint32_t address, unsigned size, uint32_t& value) override
    {
        value = 0;
        for (unsigned i = 0; i < size; ++i) {
            volatile uint8_t* at = reach(address + i, false);
            if (!at) return false;
            value |= uint32_t(*at) << 8 * i;
        }
        return true;
    }
    bool write(uint32_t address, unsigned size, uint32_t value) override
    {
        for (unsigned i = 0; i < size; ++i, value >>= 8) {
            volatile uint8_t* at = reach(address + i, true);
            if (!at) return false;
            *at = uint8_t(value);
        }
        return true;
    }

private:
    volatile uint8_t* reach(uint32_t address, bool write)
    {
        core::mmu::Result r;
        r.physical = page == user ? address : page | (address & 0xfff);
        if (page == user && guest_mmu_on(p_))
            r = translate(p_, address, write ? core::mmu::Access::write : core::mmu::Access::read, false);
        if (r.fault || !in_window(p_, r.physical)) {
            set_data_fault(p_, r.fault ? r.status : external_abort, address, write);
            return nullptr;
        }
        variant::clean_data_cache();  // the ARM926's: alias_page
        return through_scratch(p_.machine_base + (r.physical - board::ram_base), alias_page);
    }
    Partition& p_;
};

// ---- aborts ----

/// The guest's environment for the trap handlers of core/trap.hpp.
struct Trap_context {
    explicit Trap_context(Partition& p) : memory(p), guest{p.cpu, p.cp15, memory, p.rewrites} {}
    Live_memory memory;
    core::Guest_context guest;
};

void reflect(Partition& p, core::Exception kind, uint32_t preferred_return)
{
    core::reflect(p.cpu, p.cp15, kind, preferred_return);
}

/// The guest's own MMU fault: the abort its core would take.
void guest_fault(Partition& p, core::Exception kind, uint32_t address, uint32_t status, bool write)
{
    if (kind == core::Exception::prefetch_abort) {
        p.cp15.set_field(core::field_ifsr, status);
        p.cp15.set_field(core::field_ifar, address);
    } else {
        set_data_fault(p, status, address, write);
    }
    reflect(p, kind, p.cpu.r[15]);
}

bool on_device_page(uint32_t address, uint32_t page) { return (address & ~0xfffu) == page; }

/// Moves held input into the partition's receive FIFO as far as it takes it.
void feed_input(Partition& p)
{
    for (; held && !p.board.console().full(); --held, typed_first = (typed_first + 1) % sizeof typed)
        p.board.console().receive(typed[typed_first]);
}

/// The ARM-state instruction at pc that faulted; 0 (no load or store) in Thumb state or when it
/// cannot be read.
uint32_t faulting_word(Partition& p)
{
    uint32_t word;
    return (p.cpu.cpsr() & core::psr::thumb) || guest_word(p, p.cpu.r[15], false, word) ? 0 : word;
}

/// The load or store `word` carried out against `device` (one of the partition's emulated
/// devices, or Window_memory) when all of its transfers stay on one page (the model sees offsets
/// within it), or wherever they go (an LDRT's, each byte checked). The one place that decodes and performs
/// accesses: the data-abort path gets both inlined (about 170 instructions less per emulated access than
/// calls).
bool emulate_mmio(Partition& p, core::Mmio_device* device, uint32_t word, bool one_page = true)
{
    const core::Access access = core::decode_access(word, p.cpu.r);
    if ((one_page && !on_device_page(access.last(), access.address & ~0xfffu)) ||
        !core::perform_access(p.cpu, access, *device))
        return false;
    if (held && p.index == focus) feed_input(p);  // it may have made room for typed input
    p.board.update();                             // the device's lines follow what the guest did
    p.timer_event = p.board.next_event();
    return true;
}

/// The guest runs where the monitor's page is (its window's, in every table): what ARMv5/v6
/// guests with high vectors do, as 0xffff0000 is the monitor's vector page there. The vector's
/// branch (B, or a load of pc from the same page; unconditional) is carried out; the code it
/// reaches runs.
bool branch_in_window(Partition& p, uint32_t physical)
{
    uint32_t word;
    Window_memory page(p);
    page.page = physical & ~0xfffu;
    if (p.cpu.cpsr() & core::psr::thumb || !page.read(physical, 4, word)) return false;
    uint32_t(&r)[16] = p.cpu.r;
    if (word >> 28 != 0xe) return false;  // a vector's branch is unconditional
    if ((word >> 24 & 0xf) == 0xa) {      // B: A8.8.18
        r[15] += 8 + (uint32_t(int32_t(word << 8) >> 6));
        return true;
    }
    // LDR pc, [pc, #+/-imm12] (A8.8.64), its literal on the same page.
    const uint32_t literal = r[15] + 8 + (word & 1u << 23 ? word & 0xfff : 0u - (word & 0xfff));
    return (word & 0x0f7ff000) == 0x051ff000 && !((literal ^ r[15]) & ~0xfffu) &&
           emulate_mmio(p, &page, word);
}

constinit core::Zero_device nothing;  // what an address nobody owns holds, by default

/// An access outside everything the partition owns, reported (the first few) and counted: a
/// load or store the partition's policy lets read as zero and ignores, as QEMU's bus does where
/// no device decodes; otherwise the external abort a board's bus decoder gives. `word`: the
/// faulting load or store, 0 for a fetch or one the monitor cannot carry out.
void unowned_access(Partition& p, core::Exception kind, uint32_t address, bool write, uint32_t word = 0)
{
    const uint32_t pc = p.cpu.r[15];
    const bool ignored =
        !(p.flags & core::package::flag_abort_unowned) && word && emulate_mmio(p, &nothing, word);
    if (++p.aborts <= reported_aborts)
        print("%s: %s %s %08x, pc %08x%s\n", p.name, ignored ? "unowned" : "external abort:",
              kind == core::Exception::prefetch_abort ? "fetch"
              : write                                 ? "write"
                                                      : "read",
              address, pc, p.aborts == reported_aborts ? " (more are only counted)" : "");
    if (!ignored) guest_fault(p, kind, address, external_abort, write);
}

void data_abort(Partition& p)
{
    const uint32_t dfsr = Dfsr::read(), dfar = Dfar::read();
    const uint32_t status = (dfsr & 0xf) | (dfsr >> 6 & 0x10);
    if (status == 0x1 || (variant::architecture == 5 && status == 0x3)) {  // the guest's own alignment fault
        set_data_fault(p, 0x1, dfar, dfsr & write_not_read);
        return reflect(p, core::Exception::data_abort, p.cpu.r[15]);
    }
    // ARMv5 reports no WnR: the faulting instruction, read once, says whether it stores.
    uint32_t word = 0;
    bool write = dfsr & write_not_read;
    if constexpr (variant::architecture == 5) {
        word = faulting_word(p);
        write = word && core::stores(word);
    }
    uint32_t physical = dfar;
    core::Mmio_device* device = nullptr;
    Window_memory window(p);
    uint32_t tag = (dfar & ~0xfffu) | p.cpu.privileged();
    if (!guest_mmu_on(p)) {
        tag = ~0u;
    } else if (tag == p.device_virtual[write]) {  // the guest's tables walked before
        physical = p.device_physical[write] | (dfar & 0xfff);
    } else {
        const uint32_t fault =
            fill_shadow(p, dfar, write ? core::mmu::Access::write : core::mmu::Access::read, &physical);
        if (!fault) return;  // shadowed: the instruction runs again
        if (fault == monitor_page) {
            window.page = physical & ~0xfffu;
            device = &window;
        } else if (fault != external_abort) {
            return guest_fault(p, core::Exception::data_abort, dfar, fault, write);
        }
    }
    if (variant::architecture != 5) word = faulting_word(p);
    if (!device && (device = p.board.device(physical & ~0xfffu))) {
        p.device_virtual[write] = tag;
        p.device_physical[write] = physical & ~0xfffu;
    }
    if (device && emulate_mmio(p, device, word)) return;
    unowned_access(p, core::Exception::data_abort, dfar, write, device ? 0 : word);
}

void prefetch_abort(Partition& p)
{
    const uint32_t ifsr = Ifsr::read();
    if ((ifsr & 0xf) == 0x2 && !(ifsr & 1u << 10)) {  // a debug event: the guest's BKPT
        p.cp15.set_field(core::field_ifsr, 0x2);
        return reflect(p, core::Exception::prefetch_abort, p.cpu.r[15]);
    }
    if (guest_mmu_on(p)) {
        uint32_t physical;
        const uint32_t fault = fill_shadow(p, p.cpu.r[15], core::mmu::Access::execute, &physical);
        if (!fault || (fault == monitor_page && branch_in_window(p, physical))) return;
        if (fault != external_abort && fault != monitor_page)
            return guest_fault(p, core::Exception::prefetch_abort, p.cpu.r[15], fault, false);
    }
    unowned_access(p, core::Exception::prefetch_abort, p.cpu.r[15], false);
}

// ---- undefined instructions and supervisor calls ----

/// A rewritten LDRT, STRT or the like (core/access.hpp).
void unprivileged_transfer(Partition& p, uint32_t word)
{
    if (!core::condition_passes(uint8_t(word >> 28), p.cpu.cpsr())) {
        p.cpu.r[15] += 4;
        return;
    }
    Window_memory memory(p);
    if (!emulate_mmio(p, &memory, word, false)) reflect(p, core::Exception::data_abort, p.cpu.r[15]);
}

void undefined_instruction(Partition& p)
{
    Trap_context context(p);
    uint32_t word;
    // Thumb code carries no rewrites and its privileged instructions are not emulated yet
    // (docs/vcpu.md): the guest takes its own undefined-instruction exception.
    if ((p.cpu.cpsr() & core::psr::thumb) || guest_word(p, p.cpu.r[15], false, word))
        return core::reflect(context.guest, core::Exception::undefined_instruction, p.cpu.r[15]);
    if (core::rewrite::is_udf(word)) {  // perhaps rewritten: the table names guest-physical addresses
        const uint32_t pc = p.cpu.r[15], page = pc & ~0xfffu;
        uint32_t physical = pc;
        if (guest_mmu_on(p) && page == p.code_virtual) {
            physical = p.code_physical | (pc & 0xfff);
        } else if (guest_mmu_on(p)) {
            const core::mmu::Result r = translate(p, pc, core::mmu::Access::execute, p.cpu.privileged());
            if (!r.fault) {
                physical = r.physical;
                p.code_virtual = page;
                p.code_physical = physical & ~0xfffu;
            }
        }
        p.rewrites.original(word, physical, word);
        if (core::unprivileged_transfer(word, architecture)) return unprivileged_transfer(p, word);
    }
    // WFI: the partition idles until one of its interrupts is pending (masked or not).
    if (core::execute(context.guest, word) == core::Guest_event::wait_for_interrupt && !p.board.outputs())
        scheduler.set_state(p.index, State::waiting);
    // Only a trapped MCR changes TPIDRURO, which User mode reads from the real register.
    if constexpr (variant::architecture >= 6) Tpidruro::write(p.cp15.field(core::field_tpidruro));
}

bool load_byte(Partition& p, uint32_t address, uint8_t& byte)
{
    uint32_t word;
    if (guest_word(p, address & ~3u, false, word)) return false;
    byte = uint8_t(word >> 8 * (address & 3));
    return true;
}

/// ARM semihosting (`svc 0x123456`, Thumb `svc 0xab`), for partitions that may use it: the
/// console calls and the exits that end a test guest's native QEMU run. Other operations fail
/// with r0 = -1. ARM "Semihosting for AArch32 and AArch64" 2.0, 5.x.
bool semihosting(Partition& p)
{
    constexpr uint32_t sys_writec = 0x03, sys_write0 = 0x04, sys_exit = 0x18, sys_exit_extended = 0x20;
    constexpr uint32_t application_exit = 0x20026;  // ADP_Stopped_ApplicationExit
    if (!(p.flags & core::package::flag_semihosting)) return false;
    const uint32_t next = p.cpu.r[15];
    uint32_t word;
    if (p.cpu.cpsr() & core::psr::thumb) {
        if (guest_word(p, (next - 2) & ~3u, false, word) || (word >> 8 * ((next - 2) & 2) & 0xffff) != 0xdfab)
            return false;
    } else if (guest_word(p, next - 4, false, word) || (word & 0x0fffffff) != 0x0f123456) {
        return false;
    }
    uint32_t* r = p.cpu.r;
    uint8_t byte = 0;
    switch (r[0]) {
    case sys_writec:
        if (load_byte(p, r[1], byte)) p.console.put(char(byte));
        break;
    case sys_write0:
        for (uint32_t address = r[1]; load_byte(p, address, byte) && byte; ++address)
            p.console.put(char(byte));
        break;
    case sys_exit:
    case sys_exit_extended: {
        uint32_t reason = r[1], code = r[1] == application_exit ? 0 : 1;
        if (r[0] == sys_exit_extended &&
            (guest_word(p, r[1], false, reason) || guest_word(p, r[1] + 4, false, code)))
            reason = 0;
        const int status = reason == application_exit ? int(code) : 1;
        p.console.flush();
        print("%s: exited with status %d\n", p.name, status);
        stop(p, status);
        break;
    }
    default: r[0] = ~0u;
    }
    return true;
}

void supervisor_call(Partition& p)
{
    if (semihosting(p)) return;
    Trap_context context(p);
    core::handle_supervisor_call(context.guest);
}

/// What the guest's CP15 writes ask of the monitor.
void apply_cp15_effects(Partition& p)
{
    const uint16_t effects = p.cp15.effects;
    p.cp15.effects = 0;
    // Any change to the guest's translation, and its TLB maintenance, drops the shadow entries:
    // the architecture obliges the guest to issue them (docs/memory.md).
    if (effects &
        (core::effect_translation | core::effect_tlb_all | core::effect_tlb_address | core::effect_tlb_asid))
        flush_shadow(p);
    if (effects & core::effect_translation) apply_alignment(p);
}

// ---- interrupts and scheduling ----

/// The interrupt the guest's core takes now: FIQ before IRQ, when not masked; else reset (none).
core::Exception deliverable(const Partition& p)
{
    const uint32_t cpsr = p.cpu.cpsr(), outputs = p.board.outputs();
    if ((outputs & 2) && !(cpsr & core::psr::fiq_mask)) return core::Exception::fiq;
    if ((outputs & 1) && !(cpsr & core::psr::irq_mask)) return core::Exception::irq;
    return core::Exception::reset;
}

/// The guest's pending interrupt, taken as its core would.
void deliver(Partition& p, uint64_t t)
{
    const core::Exception kind = deliverable(p);
    if (kind == core::Exception::reset) return;
    reflect(p, kind, p.cpu.r[15]);
    ++injections;
    if (p.raised && uint32_t(t) + 1 - p.raised > p.worst_latency)
        p.worst_latency = uint32_t(t) + 1 - p.raised;
    p.raised = 0;
}

/// " NAME P.T%": `part` of `period` in percent, to a tenth.
void print_share(const char* name, uint32_t part, uint32_t period)
{
    uint32_t tenth;
    const uint32_t thousandth = core::divide(period, 1000, tenth);
    const uint32_t per_mille = thousandth ? core::divide(part, thousandth, tenth) : 0;
    const uint32_t percent = core::divide(per_mille, 10, tenth);
    print(" %s %u.%u%%", name, percent, tenth);
}

/// The monitor's counts since the last time, to the slot (a partition, or idle) that had the
/// processor meanwhile: the scheduler charged that slot with them.
void charge_ticks()
{
    slot_ticks[current < 0 ? max_partitions : unsigned(current)] += monitor_ticks - ticks_mark;
    ticks_mark = monitor_ticks;
}

/// One line: where the processor's time went since the last one, the top-priority partition's
/// worst interrupt latency, and the monitor's event counts. The monitor's share is every
/// instruction its traps executed (entry.S counts them on the 24 MHz counter), taken out of the
/// share of whoever the scheduler charged them to.
void print_status(uint64_t t)
{
    constexpr uint32_t per_us = board::counter_hz / 1'000'000;
    const uint32_t period = per_us * uint32_t(t - status_since);
    uint32_t monitor = 0;
    const Partition* top = partitions[0];
    charge_ticks();
    print("status:");
    for (unsigned i = 0; i <= partition_count; ++i) {
        const bool idle = i == partition_count;
        uint32_t& reported = idle ? idle_reported : partitions[i]->reported_time;
        const uint32_t run = (idle ? scheduler.idle_time() : scheduler.run_time(i)) - reported;
        reported += run;
        uint32_t& ticks = slot_ticks[idle ? max_partitions : i];
        monitor += ticks;
        print_share(idle ? "idle" : partitions[i]->name, per_us * run > ticks ? per_us * run - ticks : 0,
                    period);
        ticks = 0;
        if (!idle && scheduler.priority(i) > scheduler.priority(top->index)) top = partitions[i];
    }
    print_share("monitor", monitor, period);
    uint32_t rest;
    print(" (%u us) | %s latency max %u us | %u traps, %u irqs, %u switches, %u shadow fills, %u flushes\n",
          core::divide(monitor, per_us, rest), top->name, top->worst_latency, traps, injections, switches,
          shadow_fills, shadow_flushes);
    for (unsigned i = 0; i < partition_count; ++i) partitions[i]->worst_latency = 0;
    traps = injections = switches = shadow_fills = shadow_flushes = 0;
    status_since = t;
    next_status = t + status_period;
}

/// The partition a line is passed through to, or nullptr.
Partition* owner(unsigned line)
{
    for (unsigned i = 0; i < partition_count; ++i)
        if (partitions[i]->lines[line / 32] >> line % 32 & 1) return partitions[i];
    return nullptr;
}

/// Unmasks the passed-through lines whose devices have let go of them. Out of line: the trap
/// path pays only for the test of `masked`.
[[gnu::noinline]] void lower_lines()
{
    for (unsigned w = first_word; w < 3; ++w)
        for (uint32_t lines = masked[w]; lines; lines &= lines - 1) {
            const unsigned line = 32 * w + unsigned(__builtin_ctz(lines));
            if (interrupt_asserted(line)) continue;
            masked[w] &= ~(1u << line % 32);
            owner(line)->board.set_line(line, false);
            enable_interrupt(line);
        }
}

/// Brings the partition's devices up to the clock; a pending interrupt, raised at `since`,
/// makes it runnable.
void refresh(Partition& p, uint64_t since)
{
    p.board.update();
    p.timer_event = p.board.next_event();
    if (!p.board.outputs()) return;
    if (!p.raised) p.raised = uint32_t(since) + 1;  // 0 means "not timed"
    if (scheduler.state(p.index) == State::waiting) scheduler.set_state(p.index, State::runnable);
}

/// Runs whoever the scheduler picks and programs the event timer for the next moment that can
/// change the choice: a scheduler event, the status line, or a device interrupt of a partition
/// that could take the processor. A lower-priority partition's interrupts cannot, nor can an
/// equal one's before the running slice ends: however fast a partition makes its timers fire,
/// it costs the partitions above it nothing (docs/interrupts.md).
Exception_frame* dispatch()
{
    const uint64_t t = now();
    for (unsigned i = 0; i < partition_count; ++i)
        if (partitions[i]->timer_event <= t) refresh(*partitions[i], partitions[i]->timer_event);
    const int next = scheduler.pick(t);  // charges the time up to t to whoever had the processor
    charge_ticks();
    if (next != current) ++switches;
    current = next;
    uint64_t wanted = scheduler.next_event();
    if (next_status < wanted) wanted = next_status;
    Exception_frame* frame = &idle_frame;
    if (next < 0) {
        idle_frame.pc = uint32_t(uintptr_t(&monitor_idle));  // ARM code: entry.S
        idle_frame.cpsr = idle_cpsr;
    } else {
        Partition& p = *partitions[next];
        deliver(p, t);
        switch_to(next);
        frame = guest_frame = resume(p);
    }
    for (unsigned i = 0; i < partition_count; ++i) {
        uint64_t event = partitions[i]->timer_event;
        if (next >= 0 && int(i) != next) {
            const int above = scheduler.priority(i) - scheduler.priority(unsigned(next));
            if (above < 0) continue;
            const uint64_t slice_end = scheduler.slice_end(unsigned(next));
            if (!above && event < slice_end) event = slice_end;
        }
        if (event < wanted) wanted = event;
    }
    if (wanted != armed) {
        armed = wanted;
        set_event(wanted);
    }
    return frame;
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

void load_partitions()
{
    core::package::View view;
    const auto* bytes = reinterpret_cast<const uint8_t*>(uintptr_t(package_address));  // identity, uncached
    if (const auto refused = core::package::check(bytes, core::package::package_limit, package_board, view);
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
    uint32_t pool_used = 0;
    for (unsigned i = 0; i < view.header->partition_count; ++i) {
        const core::package::Partition& record = view.partitions[i];
        const core::rewrite::Table_header& table = view.rewrites(record);
        auto* p = new (partition_storage[i]) Partition();
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
        flush_shadow(*p);
        p->console.bind(uart_console(), p->name);
        p->board.attach(monitor_clock, p->console, record.emulated, record.interrupts);
        for (unsigned w = 0; w < 3; ++w) {
            p->lines[w] = record.interrupts[w];
            for (uint32_t lines = p->lines[w]; lines; lines &= lines - 1)
                enable_interrupt(32 * w + unsigned(__builtin_ctz(lines)));
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
    if (!partition_count) return;
    print("focus: %s (Ctrl-] switches)\n", partitions[0]->name);
    if (view.header->status_period) {
        status_period = view.header->status_period * 1000;
        status_since = now();
        next_status = status_since + status_period;
    }
}

void partition_event()
{
    const uint64_t t = now();
    if (t >= next_status) print_status(t);
    armed = 0;  // fired: whatever comes next is programmed anew (dispatch follows)
}

void console_input()
{
    for (char c; console_read(c);) {
        if (c == focus_key && partition_count) {  // what the old focus did not take is dropped
            held = 0;
            focus = unsigned(focus + 1) < partition_count ? focus + 1 : 0;
            print("focus: %s\n", partitions[focus]->name);
        } else if (held < sizeof typed) {  // else dropped: a partition that never reads loses its input
            typed[(typed_first + held++) % sizeof typed] = c;
        }
    }
    if (!partition_count) return;
    Partition& p = *partitions[focus];
    feed_input(p);
    refresh(p, now());
}

bool route_interrupt(unsigned line)
{
    Partition* p = line < 96 ? owner(line) : nullptr;
    if (!p) return false;
    masked[line / 32] |= 1u << line % 32;
    p->board.set_line(line, true);
    refresh(*p, now());
    return true;
}

Exception_frame* handle_idle_interrupt(Exception_frame& frame)
{
    handle_irq();
    return partition_count ? dispatch() : &frame;
}

/// A partition's trap: the instruction's effect, and then, when nothing beyond it changed (the
/// partition still runs on the same table, no interrupt of its became deliverable, no device of
/// its wants an earlier event), straight back to it; else the scheduler decides (dispatch).
extern "C" Exception_frame* handle_partition_trap(Exception_frame& frame, core::Exception kind)
{
    Partition& p = *partitions[current];
    p.cpu.set_live_bits(frame.cpsr);
    // What a partition reads of its controller follows what it did to its devices since.
    if (masked[first_word] | masked[1] | masked[2]) lower_lines();
    switch (kind) {
    case core::Exception::undefined_instruction: undefined_instruction(p); break;
    case core::Exception::supervisor_call: supervisor_call(p); break;
    case core::Exception::prefetch_abort: prefetch_abort(p); break;
    case core::Exception::data_abort: data_abort(p); break;
    default: handle_irq(); return dispatch();  // an IRQ (FIQs are never routed to a partition)
    }
    ++traps;
    apply_cp15_effects(p);
    if (scheduler.state(p.index) == State::runnable && active_table(p) == loaded_table &&
        p.timer_event >= armed && deliverable(p) == core::Exception::reset)
        return resume(p);
    return dispatch();
}

bool fix_up_guest_access(Exception_frame& frame)
{
    if (frame.pc != uint32_t(uintptr_t(guest_load_access)) &&
        frame.pc != uint32_t(uintptr_t(guest_store_access)))
        return false;
    frame.pc = uint32_t(uintptr_t(guest_access_failed));
    return true;
}

}  // namespace arm
