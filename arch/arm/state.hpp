// The partitions as the monitor's units share them (docs/architecture.md): the record of each
// partition, who runs, and the functions one unit offers the others. Internal to arch/arm: main.cpp
// reaches the partitions through partition.hpp.
#pragma once
#include "arch/arm/console.hpp"
#include "arch/arm/cp15.hpp"
#include "arch/arm/exception.hpp"
#include "arch/arm/layout.hpp"
#include "arch/arm/mmu.hpp"
#include "arch/arm/partition.hpp"
#include "board.h"
#include "board.hpp"
#include "core/access.hpp"
#include "core/guest_mmu.hpp"
#include "core/package.hpp"
#include "core/scheduler.hpp"
#include "core/trap.hpp"
#include "variant.hpp"
#include "virtual_board.hpp"

extern "C" {
bool guest_load_word(uint32_t address, uint32_t* value);  // guest_access.S
bool guest_store_word(uint32_t address, uint32_t value);
extern char guest_load_access[], guest_store_access[], guest_access_failed[], shortcut_fetch[], trap_call[];
extern uint32_t monitor_l1[4096];  // entry.S
extern uint32_t monitor_l2[256];
[[noreturn]] void monitor_idle();
}

namespace arm {

using core::package::max_partitions;
using variant::pte::Mapping;

constexpr auto architecture = core::Architecture(variant::architecture);
constexpr core::Cpu_core cpu_core = variant::traits.emulated_core;
constexpr uint32_t external_abort = 0x8;       // DFSR/IFSR: synchronous external abort, all three
constexpr uint32_t write_not_read = 1u << 11;  // DFSR.WnR, ARMv6 and later
constexpr unsigned shadow_pool = 32;           // second-level shadow tables per partition
constexpr unsigned shadow_sections = 128;      // guest sections the shadows map by first-level entries
static_assert(shadow_pool <= 32);

using State = core::Scheduler::State;

/// Made by value-initialisation (`Partition()`, load.cpp), which zeroes the whole record before
/// its members' own initialisers run: its own fields start at zero without an initialiser each,
/// one memset rather than a store or a memset per field.
struct Partition {
    // What the monitor reaches most, before the vCPU: where offsets from the record are short
    // (a 16-bit load or store reaches 124 bytes on Thumb, Thumb-1 and Thumb-2 alike; a field
    // beyond takes a 32-bit one, or on Thumb-1 an extra instruction or a literal), as many as
    // keep the vCPU's pc and CPSR within that reach too (asserted below; frame.h's VCPU_*
    // offsets, the frame's, are from the vCPU and do not move with it).
    uint64_t timer_event;  // when its devices next raise an interrupt by themselves
    uint8_t index;
    uint8_t window_dirty;  // per shadow (bit): guest pages in its window copy (drop_shadow)
    bool supersections;    // whether a guest supersection's translations are shadowed
    uint32_t flags;
    uint32_t machine_base, window_size;
    uint32_t* l1;             // guest MMU off: the window, identity-mapped
    uint32_t* shadow[2];      // guest MMU on: for virtual User mode [0] and privileged modes [1]
    uint32_t (*window)[256];  // per shadow: its copy of the monitor window's second level
    uint32_t (*pool)[256];    // second-level shadow tables
    unsigned pool_used;
    uint32_t aborts;
    core::Vcpu cpu{architecture, core::Vcpu::Zeroed{}};
    uint32_t lines[3];  // interrupt lines passed through
    // The last emulated device page the guest reached with its MMU on, for reads [0] and writes
    // [1]: its guest-virtual page and the virtual privilege (bit 0; ~0: none), and its
    // guest-physical page. Valid, like code_virtual, until the guest changes its translation.
    uint32_t device_virtual[2], device_physical[2];  // as code_virtual
    uint32_t raised;         // 1 + when its interrupt output last rose (0: taken, or not timed)
    uint32_t worst_latency;  // this status period's, microseconds: rise to its vector
    uint32_t reported_time;  // its run time at the last status line
    uint32_t device_count;
    core::Virtual_cp15 cp15;
    core::Rewrite_table rewrites;
    // The page of the last rewritten instruction, guest-virtual, and its guest-physical page: its
    // translation holds until the guest changes its translation (drop_tlb sets the monitor's
    // window, where no guest instruction runs: none). Right after `rewrites`: entry.S loads the
    // four words at once (frame.h).
    uint32_t code_virtual, code_physical;
    board::Virtual_board board;  // its devices, emulated
    core::Line_console console;
    char name[core::package::name_size];
    core::package::Device devices[core::package::max_devices];  // passed through
    uint32_t* pool_entry[shadow_pool];    // the first-level entry each pool table in use hangs from
    uint32_t* sections[shadow_sections];  // the first-level entries mapping guest sections directly
    unsigned section_count;
    uint32_t pinned_domains;  // DACR fields whose mappings the shadows hold under the monitor's domain 0
    uint64_t vfp_bank[33];    // FPSCR, then D0-D31, while the VFP holds another's (vfp.cpp)
    uint32_t teehbr;          // ThumbEE's handler base while another partition runs
};

// entry.S's undefined-instruction shortcut finds the CP15 shortcut from the vCPU (frame.h).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(Partition, cp15) + offsetof(core::Virtual_cp15, shortcut) - offsetof(Partition, cpu) ==
              VCPU_SHORTCUT);
static_assert(offsetof(core::Cp15_shortcut, word) == 0 && offsetof(core::Cp15_shortcut, place) == 4);
// The vCPU's pc and CPSR within a 16-bit load's reach of the record (the fields before it).
static_assert(offsetof(Partition, cpu) + core::Vcpu::cpsr_offset() <= 124 &&
              offsetof(Partition, cpu) % 4 == 0);
// ... and the rewrite table, the code page and the controller's known outputs, for rewritten
// instructions.
static_assert(offsetof(Partition, rewrites) - offsetof(Partition, cpu) == VCPU_REWRITES &&
              offsetof(core::Rewrite_table, entries) == 0 && offsetof(core::Rewrite_table, count) == 4 &&
              offsetof(Partition, code_virtual) == offsetof(Partition, rewrites) + 8 &&
              offsetof(Partition, code_physical) == offsetof(Partition, rewrites) + 12);
static_assert(offsetof(Partition, board) - offsetof(Partition, cpu) +
                  board::Virtual_board::outputs_known_offset() ==
              BOARD_OUTPUTS_KNOWN);
#pragma GCC diagnostic pop

// ---- who runs (schedule.cpp) ----
inline constexpr unsigned first_word =
    board::passthrough_lines[0] ? 0 : 1;  // of masked: the first that may be set
extern Partition* partitions[max_partitions];
extern unsigned partition_count;
extern int current;  // whose trap the monitor handles, or who runs; -1: the monitor idles
extern core::Scheduler scheduler;
extern int focus;           // the partition the console's input goes to
extern uint8_t held;        // typed characters waiting for the focused partition
extern uint64_t armed;      // the event timer's deadline
extern uint32_t masked[3];  // passed-through lines masked on the controller while their devices drive them
extern core::Clock& monitor_clock;
Exception_frame* resume(Partition& p);
/// Takes `kind` in the partition's guest as its core would (core::reflect: its pc is the
/// preferred return).
[[gnu::always_inline]] inline void reflect(Partition& p, core::Exception kind)
{
    core::reflect(p.cpu, p.cp15, kind);
}
core::Exception deliverable(const Partition& p);
void refresh(Partition& p, uint64_t since);
void feed_input(Partition& p);
void lower_lines();
/// The partition exited with `status` (how: 0), powered off (1) or rebooted (2), said on the
/// console; the last to stop halts the monitor.
void stop(Partition& p, int status, unsigned how = 0);
Exception_frame* dispatch();

// ---- the VFP (vfp.cpp) ----
/// At boot: offers the guests the core's VFP if CPACR keeps the coprocessors' access bits, its
/// FPSID, MVFR0, MVFR1 and FPEXC's writable bits in `ids`.
void vfp_probe(core::Cp15_ids& ids);
/// `p` runs, or its FPEXC or CPACR changed: FPEXC.EN set if the VFP holds its registers and
/// its own FPEXC and CPACR turn it on.
void vfp_follow(const Partition& p);
/// An undefined-instruction trap of `word`: false when it is no VFP instruction (or the core
/// has none), else handled (emulated, the registers switched, or the guest's undefined). In
/// Thumb state `word` is core::vfp::any_instruction (trap.cpp).
bool vfp_instruction(Partition& p, uint32_t word);

// ---- guest memory and the shadow MMU (guest_memory.cpp) ----
// Not a fault status: the guest's mapping is good, but the monitor's own page is where it puts it.
inline constexpr uint32_t monitor_page = 0x100;
using Tpidruro = Cp15_register<0, 13, 0, 3>;  // User read-only thread ID: User mode reads it
extern const uint32_t* loaded_table;
bool guest_mmu_on(const Partition& p);
const uint32_t* active_table(const Partition& p);
void switch_to(int index);
void apply_alignment(const Partition& p);
bool in_window(const Partition& p, uint32_t physical);
volatile uint8_t* through_scratch(uint32_t machine, uint32_t attributes);
core::mmu::Result translate(const Partition& p, uint32_t address, core::mmu::Access access, bool privileged);
/// `sections`: every entry goes (the guest changed or flushed its translations); else the entries
/// of the guest's non-global mappings, and perhaps more.
void drop_shadow(Partition& p, bool sections);
void forget_address(Partition& p, uint32_t address);
void follow_domains(Partition& p, uint32_t before);
/// The real DACR for the partition's guest: its domains as the shadow entries carry them.
void apply_domains(const Partition& p);
uint32_t fill_shadow(Partition& p, uint32_t address, core::mmu::Access access, uint32_t* physical = nullptr);
uint32_t guest_word(Partition& p, uint32_t address, bool write, uint32_t& value);
void set_data_fault(Partition& p, uint32_t status, uint32_t address, bool write);

// The scratch page's attributes (a small page's low 12 bits): uncached as a table walker reads
// memory; for the guest's data, cacheable where the caches are physically tagged (ARMv6/v7),
// uncached on the ARM926, whose data cache Window_memory cleans first.
constexpr uint32_t uncached_page = variant::pte::small_page(0, Mapping::uncached);
constexpr uint32_t alias_page =
    !variant::traits.physically_tagged_caches ? uncached_page : variant::pte::small_page(0, Mapping::data);

/// Guest memory for the emulator. A fault leaves the abort the guest receives in its DFSR and DFAR.
class Live_memory final : public core::Guest_memory {
public:
    explicit Live_memory(Partition& p) : p_(p) {}
    bool access(uint32_t address, bool write, uint32_t& value) override
    {
        const uint32_t status = guest_word(p_, address, write, value);
        if (status) set_data_fault(p_, status, address, write);
        return !status;
    }

private:
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
        if (r.fault() || !in_window(p_, r.physical)) {
            set_data_fault(p_, r.fault() ? r.status : external_abort, address, write);
            return nullptr;
        }
        variant::clean_data_cache();  // the ARM926's: alias_page
        return through_scratch(p_.machine_base + (r.physical - board::ram_base), alias_page);
    }
    Partition& p_;
};

// ---- the monitor's counts for its status line (status.cpp) ----
extern "C" uint32_t traps;  // entry.S counts the shortcut's
extern uint32_t injections, switches, shadow_fills, shadow_flushes;
extern uint32_t status_period;  // microseconds; 0: no status line
extern uint64_t next_status, status_since;
void charge_ticks();
void print_status(uint64_t t);

}  // namespace arm
