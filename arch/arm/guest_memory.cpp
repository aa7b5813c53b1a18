// Guest memory and the shadow MMU (docs/memory.md): the tables the processor walks for a
// partition, filled on demand from the guest's own; the monitor's reach into guest memory with
// the guest's rights; the switch between partitions' address spaces.
#include "arch/arm/state.hpp"

namespace arm {

constexpr uint32_t sctlr_alignment = 1u << 1;   // SCTLR.A
constexpr uint32_t sctlr_unaligned = 1u << 22;  // SCTLR.U (ARMv6; RES1 on ARMv7)
constexpr uint32_t user_access = 1u << 5;       // AP[1] of a small page (the first subpage's on ARMv5)

int loaded = -1;  // whose shadow tables TTBR0 points at
const uint32_t* loaded_table;

/// Mirrors the guest's alignment checking (SCTLR.A, and SCTLR.U on ARMv6) into the real
/// SCTLR; the monitor itself is built not to depend on either (-mno-unaligned-access).
void apply_alignment(const Partition& p)
{
    const uint32_t mirrored = sctlr_alignment | (variant::traits.has_unaligned_control ? sctlr_unaligned : 0);
    const uint32_t sctlr = Sctlr::read();
    const uint32_t wanted = (sctlr & ~mirrored) | (p.cp15.field(core::field_sctlr) & mirrored);
    if (wanted != sctlr) variant::write_sctlr(wanted);
}

namespace {

/// The hardware ASID of one of the partition's three tables (ARMv6/v7; 0 is kept for switches).
uint32_t asid(const Partition& p, const uint32_t* table)
{
    return !variant::traits.has_asids ? 0 : 3 * p.index + 1 + uint32_t(table - p.l1) / 4096;
}

}  // namespace

using Tpidrurw = Cp15_register<0, 13, 0, 2>;  // User read-write thread ID: User mode writes it

void switch_to(int index)
{
    Partition& p = *partitions[index];
    const uint32_t* table = active_table(p);
    if (table == loaded_table) return;
    const bool other = index != loaded;
    // The registers User mode reaches without a trap (the thread IDs, ThumbEE's handler base) are
    // the guest's own while it runs.
    if (variant::traits.has_thread_id_registers && other) {
        if (loaded >= 0) partitions[loaded]->cp15.set_field(core::field_tpidrurw, Tpidrurw::read());
        Tpidrurw::write(p.cp15.field(core::field_tpidrurw));
        Tpidruro::write(p.cp15.field(core::field_tpidruro));
    }
    if (variant::traits.has_thumbee && other) {
        if (loaded >= 0) partitions[loaded]->teehbr = Teehbr::read();
        Teehbr::write(p.teehbr);
    }
    if (other) variant::clear_exclusive();  // the local monitor's reservation was the other's
    // ARMv6/v7 switch the same way either way (ASIDs); the ARM926 cleans its caches for another partition.
    if (!variant::traits.has_asids && !other)
        variant::switch_table(layout::physical(uintptr_t(table)), 0);
    else
        variant::switch_address_space(layout::physical(uintptr_t(table)), asid(p, table));
    if (other) apply_alignment(p);
    if (variant::traits.has_vfp && other) vfp_follow(p);
    loaded = index;
    loaded_table = table;
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

namespace {

bool passed_through(const Partition& p, uint32_t physical)
{
    for (uint32_t d = 0; d < p.device_count; ++d)
        if (physical - p.devices[d].address < p.devices[d].size) return true;
    return false;
}

}  // namespace

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

namespace {

/// Guest-physical memory read as the walker reads it: from memory, uncached (a guest must clean
/// its table writes for the hardware walker too).
class Window_reader final : public core::mmu::Table_reader {
public:
    explicit Window_reader(const Partition& p) : p_(p) {}
    bool read(uint32_t physical, uint32_t& value) override
    {
        if (!in_window(p_, physical)) return false;  // the walker reads descriptors: 4-byte aligned
        value = *reinterpret_cast<volatile uint32_t*>(
            through_scratch(p_.machine_base + (physical - board::ram_base), uncached_page));
        return true;
    }

private:
    const Partition& p_;
};

}  // namespace

core::mmu::Result translate(const Partition& p, uint32_t address, core::mmu::Access access, bool privileged)
{
    const auto& c = p.cp15;
    const core::mmu::Controls controls{c.field(core::field_sctlr), c.field(core::field_ttbr0),
                                       c.field(core::field_ttbr1), c.field(core::field_ttbcr),
                                       c.field(core::field_dacr)};
    Window_reader reader(p);
    return core::mmu::translate(address, access, privileged, controls, architecture, reader);
}

/// Drops every shadow entry of the partition (the guest changed or flushed its translations),
/// with work proportional to what was filled: the first-level entries the pool's tables hang
/// from, and the guest pages added to a shadow's copy of the window's second level. So a guest
/// that flushes without end keeps the monitor's non-preemptible paths short (docs/interrupts.md).
[[gnu::noinline]] void flush_shadow(Partition& p, bool whole)
{
    for (unsigned i = 0; i < p.pool_used; ++i) {
        *p.pool_entry[i] = 0;
        clean(p.pool_entry[i], 4);
    }
    for (unsigned s = 0; s < 2; ++s) {
        uint32_t* table = p.shadow[s];
        if (whole) {  // a new partition's (.bss, zero since boot): empty but for the window
            table[layout::window >> 20] = variant::pte::page_table(layout::physical(uintptr_t(p.window[s])));
            clean(table, 16384);
        }
        // The monitor runs on this table perhaps: its window's entries are only ever rewritten
        // with what they hold (the window is the last MiB).
        if (whole || p.window_dirty >> s & 1) {
            __builtin_memcpy(p.window[s], monitor_l2, 1024);
            clean(p.window[s], 1024);
        }
        variant::invalidate_asid(asid(p, table));
    }
    p.window_dirty = 0;
    p.pool_used = 0;
    p.code_virtual = layout::window;  // no guest instruction runs there: none
    p.device_virtual[0] = p.device_virtual[1] = ~0u;
    ++shadow_flushes;
    // ARMv5 has no ASIDs: the TLB goes now if a shadow is loaded, else at the switch to one.
    if (!variant::traits.has_asids && (loaded_table == p.shadow[0] || loaded_table == p.shadow[1]))
        invalidate_tlb();
}

namespace {

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
    if (address >> 20 == layout::window >> 20) p.window_dirty |= 1u << p.cpu.privileged();
    if ((first & 3) != 1) {
        if (p.pool_used == shadow_pool) flush_shadow(p);
        p.pool_entry[p.pool_used] = &first;
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
    const uint32_t wanted = variant::pte::guest_page(machine, r.writable(), r.executable(), device);
    if (entry == wanted) return Shadowed::unchanged;
    entry = wanted;
    ++shadow_fills;
    clean(&entry, 4);
    invalidate_tlb_entry(address, asid(p, p.shadow[p.cpu.privileged()]));
    variant::data_sync();
    variant::instruction_sync();
    return Shadowed::mapped;
}

}  // namespace

/// Makes `address` reachable for `access` if the guest's own tables allow it. Returns 0 when it
/// is now shadowed, else the fault status the guest takes (its own translation, domain or
/// permission fault, or an external abort for memory outside its window), or monitor_page.
uint32_t fill_shadow(Partition& p, uint32_t address, core::mmu::Access access, uint32_t* physical)
{
    core::mmu::Result r = translate(p, address, access, p.cpu.privileged());
    if (r.fault()) return r.status;
    if (physical) *physical = r.physical;
    const bool device = !in_window(p, r.physical);
    if (device && !passed_through(p, r.physical)) return external_abort;
    Shadowed s = map_shadow(p, address, r, device);
    if (s == Shadowed::unchanged && access == core::mmu::Access::read) {  // ARMv5: a write after all
        r = translate(p, address, core::mmu::Access::write, p.cpu.privileged());
        if (r.fault()) return r.status;
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
    p.cp15.set_field(core::field_dfsr,
                     status | (write && variant::traits.reports_write_not_read ? write_not_read : 0));
    p.cp15.set_field(core::field_dfar, address);
}

bool fix_up_guest_access(Exception_frame& frame)
{
    if (frame.pc == uint32_t(uintptr_t(shortcut_fetch))) {  // entry.S: its general way instead
        frame.pc = uint32_t(uintptr_t(trap_call));
        return true;
    }
    if (frame.pc != uint32_t(uintptr_t(guest_load_access)) &&
        frame.pc != uint32_t(uintptr_t(guest_store_access)))
        return false;
    frame.pc = uint32_t(uintptr_t(guest_access_failed));
    return true;
}

}  // namespace arm
