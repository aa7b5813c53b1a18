// A partition's trap, from the vector to the return (docs/architecture.md): entry.S saves the
// partition's registers into its vCPU and calls handle_partition_trap, which decodes and acts
// on the trap and returns straight to the partition when nothing beyond the instruction changed,
// else through the scheduler (schedule.cpp).
#include "arch/arm/state.hpp"
#include "core/vfp.hpp"
#include "core/virtual_v2m.hpp"

namespace arm {

namespace {

constexpr unsigned reported_aborts = 8;  // per partition; the rest are only counted

/// The guest's environment for the trap handlers of core/trap.hpp.
struct Trap_context {
    explicit Trap_context(Partition& p) : memory(p), guest{p.cpu, p.cp15, memory, p.rewrites} {}
    Live_memory memory;
    core::Guest_context guest;
};

/// The guest's own MMU fault: the abort its core would take.
void guest_fault(Partition& p, core::Exception kind, uint32_t address, uint32_t status, bool write)
{
    if (kind == core::Exception::prefetch_abort) {
        p.cp15.set_field(core::field_ifsr, status);
        p.cp15.set_field(core::field_ifar, address);
    } else {
        set_data_fault(p, status, address, write);
    }
    reflect(p, kind);
}

bool on_device_page(uint32_t address, uint32_t page) { return (address & ~0xfffu) == page; }

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
    const core::Access access = core::decode_access(word, p.cpu);
    if ((one_page && !on_device_page(access.last(), access.address & ~0xfffu)) ||
        !core::perform_access(p.cpu, access, *device))
        return false;
    if (held && p.index == focus) feed_input(p);  // it may have made room for typed input
    p.board.after_access();                       // the device's lines follow what the guest did
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

/// An access outside everything the partition owns, reported (the first few) and counted: a
/// load or store the partition's policy lets read as zero and ignores, as QEMU's bus does where
/// no device decodes; otherwise the external abort a board's bus decoder gives. `word`: the
/// faulting load or store, 0 for a fetch or one the monitor cannot carry out.
void unowned_access(Partition& p, core::Exception kind, uint32_t address, bool write, uint32_t word = 0)
{
    const uint32_t pc = p.cpu.r[15];
    const bool ignored =
        !(p.flags & core::package::flag_abort_unowned) && word && emulate_mmio(p, &core::zero_device, word);
    if (++p.aborts <= reported_aborts)
        print(
            "%s: %[external abort:|unowned] %[read|write|fetch] %08x, pc %08x%[| (more are only counted)]\n",
            p.name, unsigned(ignored), kind == core::Exception::prefetch_abort ? 2u : unsigned(write),
            address, pc, unsigned(p.aborts == reported_aborts));
    if (!ignored) guest_fault(p, kind, address, external_abort, write);
}

void data_abort(Partition& p)
{
    const uint32_t dfsr = Dfsr::read(), dfar = Dfar::read();
    const uint32_t status = (dfsr & 0xf) | (dfsr >> 6 & 0x10);
    if (status == 0x1 ||
        (variant::traits.alignment_status_3 && status == 0x3)) {  // the guest's own alignment fault
        set_data_fault(p, 0x1, dfar, dfsr & write_not_read);
        return reflect(p, core::Exception::data_abort);
    }
    // ARMv5 reports no WnR: the faulting instruction, read once, says whether it stores.
    uint32_t word = 0;
    bool write = dfsr & write_not_read;
    if constexpr (!variant::traits.reports_write_not_read) {
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
    if (variant::traits.reports_write_not_read) word = faulting_word(p);
    if (!device && (device = p.board.device(physical & ~0xfffu))) {
        p.device_virtual[write] = tag;
        p.device_physical[write] = physical & ~0xfffu;
    }
    if (device && emulate_mmio(p, device, word)) return;
    // The partition's own power-off or reboot (vexpress-a9's SYS_CFG): it stops, as a board
    // does; the others run on. A reboot stops it too, for now (docs/linux.md).
    if (device && p.board.request())
        return stop(p, 0, p.board.request() == core::Virtual_v2m::shutdown ? 1 : 2);
    unowned_access(p, core::Exception::data_abort, dfar, write, device ? 0 : word);
}

void prefetch_abort(Partition& p)
{
    const uint32_t ifsr = Ifsr::read();
    if ((ifsr & 0xf) == 0x2 && !(ifsr & 1u << 10)) {  // a debug event: the guest's BKPT
        p.cp15.set_field(core::field_ifsr, 0x2);
        return reflect(p, core::Exception::prefetch_abort);
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
    if (!emulate_mmio(p, &memory, word, false)) reflect(p, core::Exception::data_abort);
}

void undefined_instruction(Partition& p, uint32_t word)
{
    Trap_context context(p);
    // Thumb code carries no rewrites and its privileged instructions are not emulated yet
    // (docs/vcpu.md): the guest takes its own undefined-instruction exception. But Thumb-2
    // reaches the VFP (Linux's user space computes in it), whose instructions trap while
    // another partition holds the registers: undecoded, a Thumb instruction stands as a VFP
    // one, which vfp_instruction runs again with the registers lent, or reflects.
    const bool thumb = p.cpu.cpsr() & core::psr::thumb;
    if (variant::traits.has_thumb_vfp && thumb)
        word = core::vfp::any_instruction;
    else if (thumb || (!word && guest_word(p, p.cpu.r[15], false, word)))
        return reflect(p, core::Exception::undefined_instruction);
    if (variant::traits.has_vfp && vfp_instruction(p, word)) return;
    if (thumb) return reflect(p, core::Exception::undefined_instruction);
    if (core::rewrite::is_udf(word)) {  // perhaps rewritten: the table names guest-physical addresses
        const uint32_t pc = p.cpu.r[15], offset = pc - p.code_virtual;
        uint32_t physical = p.code_physical + offset;
        if (offset >= 0x1000) {  // not the last one's page: kept for the next (and entry.S's shortcut)
            physical = pc;
            bool mapped = true;
            if (guest_mmu_on(p)) {
                const core::mmu::Result r = translate(p, pc, core::mmu::Access::execute, p.cpu.privileged());
                if ((mapped = !r.fault())) physical = r.physical;
            }
            if (mapped) {
                p.code_virtual = pc & ~0xfffu;
                p.code_physical = physical & ~0xfffu;
            }
        }
        p.rewrites.original(word, physical, pc, word);
        if (core::unprivileged_transfer(word, architecture)) return unprivileged_transfer(p, word);
    }
    // WFI: the partition idles until one of its interrupts is pending (masked or not).
    if (core::execute(context.guest, word) == core::Guest_event::wait_for_interrupt && !p.board.outputs())
        scheduler.set_state(p.index, State::waiting);
    // Only a trapped MCR changes TPIDRURO, which User mode reads from the real register.
    if constexpr (variant::traits.has_thread_id_registers)
        Tpidruro::write(p.cp15.field(core::field_tpidruro));
}

/// ARM semihosting (`svc 0x123456`, Thumb `svc 0xab`), for partitions that may use it: the
/// console calls and the exits that end a test guest's native QEMU run. Other operations fail
/// with r0 = -1. ARM "Semihosting for AArch32 and AArch64" 2.0, 5.x.
bool semihosting(Partition& p)
{
    constexpr uint32_t sys_writec = 0x03, sys_write0 = 0x04, sys_exit = 0x18, sys_exit_extended = 0x20;
    constexpr uint32_t application_exit = 0x20026;  // ADP_Stopped_ApplicationExit
    if (!(p.flags & core::package::flag_semihosting)) return false;
    const bool thumb = p.cpu.cpsr() & core::psr::thumb;
    const uint32_t at = p.cpu.r[15] - (thumb ? 2 : 4);  // the SVC
    uint32_t word;
    if (guest_word(p, at & ~3u, false, word) ||
        (thumb ? (word >> 8 * (at & 2) & 0xffff) != 0xdfab : (word & 0x0fffffff) != 0x0f123456))
        return false;
    uint32_t* r = p.cpu.r;
    switch (r[0]) {
    case sys_writec:  // the byte at r1
    case sys_write0:  // the string at r1, up to its NUL
        for (uint32_t address = r[1]; !guest_word(p, address & ~3u, false, word); ++address) {
            const char c = char(word >> 8 * (address & 3));
            if (r[0] == sys_write0 && !c) break;
            p.console.put(c);
            if (r[0] == sys_writec) break;
        }
        break;
    case sys_exit:
    case sys_exit_extended: {
        uint32_t reason = r[1], code = 0;  // SYS_EXIT: the reason alone
        if (r[0] == sys_exit_extended &&
            (guest_word(p, r[1], false, reason) || guest_word(p, r[1] + 4, false, code)))
            reason = 0;
        stop(p, reason == application_exit ? int(code) : 1);
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
/// What the guest's CP15 writes ask of the monitor.
void apply_cp15_effects(Partition& p)
{
    const uint16_t effects = p.cp15.effects;
    p.cp15.effects = 0;
    // The shadow tables are the guest's TLB: they drop what its TLB maintenance names, which
    // the architecture obliges it to issue (docs/memory.md).
    const uint32_t what = p.cp15.effect_address;
    if (effects & core::effect_tlb_all) {
        drop_shadow(p, true);
        apply_alignment(p);
    } else if (effects & core::effect_tlb_address) {
        forget_address(p, what);
    } else if (effects & (core::effect_address_space | core::effect_tlb_asid)) {
        // Another ASID perhaps, or an ASID's entries (the shadows hold the current one's only,
        // and drop no less for another's); ARMv5 has none, and its guests flush when they
        // switch tables.
        drop_shadow(p, !variant::traits.has_asids);
    }
    if (effects & core::effect_domains) follow_domains(p, what);
    if (variant::traits.has_vfp && effects & core::effect_coprocessor_access) vfp_follow(p);
}

}  // namespace

Exception_frame* handle_idle_interrupt(Exception_frame& frame)
{
    handle_irq();
    return partition_count ? dispatch() : &frame;
}

/// A partition's trap: the instruction's effect, and then, when nothing beyond it changed (the
/// partition still runs on the same table, no interrupt of its became deliverable, no device of
/// its wants an earlier event), straight back to it; else the scheduler decides (dispatch).
extern "C" Exception_frame* handle_partition_trap(Exception_frame& frame, core::Exception kind, uint32_t word)
{
    Partition& p = *partitions[current];
    p.cpu.set_live_bits(frame.cpsr);
    // What a partition reads of its controller follows what it did to its devices since.
    if (masked[first_word] | masked[1] | masked[2]) lower_lines();
    switch (kind) {
    case core::Exception::undefined_instruction: undefined_instruction(p, word); break;
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

}  // namespace arm
