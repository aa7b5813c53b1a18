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
    if (other) {
        apply_alignment(p);
        apply_domains(p);
    }
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

namespace {

/// The real TLB's entries of the partition's shadows go after their tables changed; and the
/// translations the monitor keeps besides (the last rewritten instruction's page, the last
/// device page).
void drop_tlb(Partition& p)
{
    variant::invalidate_asids(3 * p.index + 2);  // asid(): the user shadow's; the privileged one's next
    // ARMv5 has no ASIDs: the TLB goes now if a shadow is loaded, else at the switch to one.
    if (!variant::traits.has_asids && (loaded_table == p.shadow[0] || loaded_table == p.shadow[1]))
        invalidate_tlb();
    p.code_virtual = layout::window;  // no guest instruction runs there: none
    p.device_virtual[0] = p.device_virtual[1] = ~0u;
}

void zero(uint32_t* entries, unsigned count)
{
    __builtin_memset(entries, 0, count * 4);
    clean(entries, count * 4);
}

}  // namespace

/// Drops the shadow entries of the partition with work proportional to what was filled: the
/// first-level entries of the pool's tables, and a shadow's copy of the window's second level
/// only if guest pages went into it; with `sections` also the sections: everything. Without,
/// what goes is every entry that may be a non-global mapping's (the shadows map only global
/// ones by sections): what an ASID change drops of a TLB (ARMv7-A ARM B3.9). So a guest that
/// flushes without end keeps the monitor's non-preemptible paths short (docs/interrupts.md).
[[gnu::noinline]] void drop_shadow(Partition& p, bool sections)
{
    for (unsigned i = 0; i < p.pool_used; ++i) zero(p.pool_entry[i], 1);
    p.pool_used = 0;
    if (sections) {
        for (unsigned i = 0; i < p.section_count; ++i) zero(p.sections[i], 1);
        p.section_count = 0;
        p.supersections = false;
        p.pinned_domains = 3;  // domain 0's field
        ++shadow_flushes;
    }
    // The monitor runs on this table perhaps: its window's entries are only ever rewritten
    // with what they hold (the window is the last MiB).
    uint32_t* window = *p.window;
    for (unsigned dirty = p.window_dirty; dirty; dirty >>= 1, window += 256)
        if (dirty & 1) {
            __builtin_memcpy(window, monitor_l2, 1024);
            clean(window, 1024);
        }
    p.window_dirty = 0;
    drop_tlb(p);
}

/// Drops the shadow entries that may translate `address` (TLB maintenance by MVA): those of its
/// MiB, as the guest may map it by a section (whose TLB entry the operation drops whole).
[[gnu::noinline]] void forget_address(Partition& p, uint32_t address)
{
    // In the monitor's megabyte: the shadows' copies of the window's second level go whole. A
    // guest supersection's entry translates 16 MiB: with one shadowed, everything goes.
    if (p.supersections) return drop_shadow(p, true);
    if (address >> 20 == layout::window >> 20) return drop_shadow(p, false);
    for (uint32_t* shadow : p.shadow) {
        uint32_t& first = shadow[address >> 20];
        if ((first & 3) == 1)
            zero(reinterpret_cast<uint32_t*>(layout::monitor_virtual(first & 0xfffffc00)), 256);
        else
            zero(&first, 1);
    }
    drop_tlb(p);
}

using Dacr = Cp15_register<0, 3, 0, 0>;

/// The guest wrote its DACR (`before`: the value it replaced). The shadow entries carry the
/// guest's domains and the real DACR follows the guest's: a domain is a client (its shadow
/// rights checked) while the guest's is a client or a manager, else no access. The entries go
/// only when a domain became or stopped being a manager (its entries' rights are the domain's),
/// or changed at all if the shadows hold its mappings under the monitor's domain 0.
[[gnu::noinline]] void follow_domains(Partition& p, uint32_t before)
{
    const uint32_t now = p.cp15.field(core::field_dacr);
    const uint32_t managers = (before & before >> 1) | (now & now >> 1);  // bit 0 of a field: 11
    if ((before ^ now) & (p.pinned_domains | (managers & 0x55555555) * 3)) drop_shadow(p, true);
    p.device_virtual[0] = p.device_virtual[1] = ~0u;  // the last device page's walk checked domains
    apply_domains(p);
}

[[gnu::noinline]] void apply_domains(const Partition& p)
{
    Dacr::write(1 | (p.cp15.field(core::field_dacr) & 0x55555554));
}

namespace {

enum class Shadowed : uint8_t {
    mapped,
    unchanged,   // the entry was there already: the fault was not about a missing entry
    impossible,  // the address is the monitor's
};

/// Maps `address` to the guest-physical `r.physical` (inside the window, or a device passed
/// through) in shadow `s` (the current virtual privilege's), with the rights and domain
/// the guest's mapping grants: the whole MiB by a section where the guest maps a global section
/// of its RAM, else the 4 KiB page.
Shadowed map_shadow(Partition& p, unsigned s, uint32_t address, const core::mmu::Result& r, bool device)
{
    uint32_t& first = p.shadow[s][address >> 20];
    const uint32_t machine = device ? r.physical : p.machine_base + (r.physical - board::ram_base);
    uint32_t* table = p.window[s];
    uint32_t* entry = &first;
    uint32_t wanted = variant::pte::guest_section(machine, r.writable(), r.executable(), r.domain);
    p.supersections |= r.page_size >> 24;  // 16 MiB: a supersection's
    if (address >> 20 == layout::window >> 20) {
        p.window_dirty |= 1u << s;
        p.pinned_domains |= 3u << 2 * r.domain;
    } else if (!device && r.global && r.page_size >= 1u << 20 && p.section_count < shadow_sections) {
        p.sections[p.section_count++] = &first;
        table = nullptr;
    } else {
        const uint32_t link = variant::pte::page_table(0, r.domain);
        if ((first & 0x3ff) != link) {  // none yet, a section, or another domain's
            if (p.pool_used == shadow_pool) drop_shadow(p, true);
            const unsigned i = p.pool_used++;
            p.pool_entry[i] = &first;
            zero(p.pool[i], 256);
            const bool replaced = first;
            first = link | layout::physical(uintptr_t(p.pool[i]));
            clean(&first, 4);
            if (replaced) drop_tlb(p);  // a section's TLB entry perhaps
        }
        table = reinterpret_cast<uint32_t*>(layout::monitor_virtual(first & 0xfffffc00));
    }
    if (table) {
        entry = &table[address >> 12 & 0xff];
        if (*entry && !(*entry & user_access)) return Shadowed::impossible;  // a page of the monitor's
        wanted = variant::pte::guest_page(machine, r.writable(), r.executable(), device);
    }
    if (*entry == wanted) return Shadowed::unchanged;
    const bool replaced = *entry;
    *entry = wanted;
    ++shadow_fills;
    clean(entry, 4);
    if (replaced) drop_tlb(p);  // other rights, or a section's table of pages
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
    const bool privileged = p.cpu.privileged();  // the shadow's: [1] privileged, [0] User
    core::mmu::Result r = translate(p, address, access, privileged);
    if (r.fault()) return r.status;
    if (physical) *physical = r.physical;
    const bool device = !in_window(p, r.physical);
    if (device && !passed_through(p, r.physical)) return external_abort;
    Shadowed s = map_shadow(p, privileged, address, r, device);
    // ARMv5 reports no WnR: a read refused where the entry is already there was a write after all.
    if (!variant::traits.reports_write_not_read && s == Shadowed::unchanged &&
        access == core::mmu::Access::read) {
        r = translate(p, address, core::mmu::Access::write, privileged);
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
