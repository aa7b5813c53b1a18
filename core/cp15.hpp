// The virtual system-control coprocessor (CP15) a guest sees: one sorted constexpr table
// keyed by (opc1, CRn, CRm, opc2), each entry naming the cores that have the register, who
// may read and write it, and where its value lives or what writing it does; the image keeps
// the entries of the core it emulates only. ARMv7-A ARM B3.17-B3.18 and B4.1; ARM926EJ-S
// TRM 2.3; ARM1176JZF-S TRM 3.2.
#pragma once
#include <stdint.h>

#include "core/emulate.hpp"

namespace core {

enum class Cpu_core : uint8_t {
    arm926,
    arm1176,
    cortex_a9
};

/// The core a vCPU of `core` is emulated as (emulated() in emulate.hpp): in a monitor build its
/// own, a constant.
constexpr Cpu_core emulated(Cpu_core core)
{
#ifdef CELLVISOR_ARCHITECTURE
    (void)core;
    return CELLVISOR_ARCHITECTURE == 5   ? Cpu_core::arm926
           : CELLVISOR_ARCHITECTURE == 6 ? Cpu_core::arm1176
                                         : Cpu_core::cortex_a9;
#else
    return core;
#endif
}

/// The guest's writable CP15 state.
enum Cp15_field : uint8_t {
    field_sctlr,
    field_actlr,
    field_cpacr,
    field_scr,
    field_sder,
    field_nsacr,
    field_ttbr0,
    field_ttbr1,
    field_ttbcr,
    field_dacr,
    field_dfsr,
    field_ifsr,
    field_adfsr,
    field_aifsr,
    field_dfar,
    field_ifar,
    field_wfar,
    field_par,
    field_prrr,
    field_nmrr,
    field_vbar,
    field_mvbar,
    field_fcseidr,
    field_contextidr,
    field_tpidrurw,
    field_tpidruro,
    field_tpidrprw,
    field_csselr,
    field_dcache_lockdown,
    field_icache_lockdown,
    field_tlb_lockdown,
    field_pmcr,
    field_pmcntenset,
    field_pmovsr,
    field_pmselr,
    field_pmuserenr,
    field_pminten,
    field_power_control,
    field_fpexc,  // the VFP's FPEXC (VMRS/VMSR, opc1 7 of coprocessor 10: the table's key opc1 7)
    field_count
};

/// What the real core is, captured at boot, so that a guest reads what it would natively (QEMU
/// is the oracle) and the silicon beneath on a board: its identification registers — including
/// each core's aliases (an unassigned c0, c0, opc2 reads as MIDR) — and, per writable register,
/// its value out of reset and the bits a write does not change (probed: variant.hpp).
enum Cp15_id : uint8_t {
    id_clidr,
    id_aidr,
    id_cbar,
    id_fpsid,
    id_mvfr1,
    id_mvfr0
};

struct Cp15_ids {
    uint32_t c0[3][8];   // CRn = 0, opc1 = 0, CRm 0-2, opc2 0-7 (CRm 1-2 on ARMv6/v7 only)
    uint32_t ccsidr[2];  // ARMv7: level-1 data (CSSELR 0) and instruction (CSSELR 1) cache
    /// One word each, indexed by Cp15_id: CLIDR, AIDR (ARMv7), CBAR (the Cortex-A9's configuration
    /// base address, c15 opc1 4), and with a VFP (ARMv6/v7, arch/arm/vfp.cpp) FPSID, MVFR1, MVFR0.
    uint32_t id[6];
    uint32_t reset[field_count];
    uint32_t fixed[field_count];  // a write keeps these bits as they are
};

/// What the monitor must do after a write: bits of Virtual_cp15::effects.
enum Cp15_effect : uint16_t {
    effect_address_space = 1 << 0,       // TTBR0/1, TTBCR or CONTEXTIDR written: another ASID perhaps
    effect_tlb_all = 1 << 1,             // invalidate every shadow entry (also SCTLR, PRRR, NMRR, FCSEIDR)
    effect_tlb_address = 1 << 2,         // invalidate shadow entries for effect_address
    effect_tlb_asid = 1 << 3,            // invalidate the shadow entries of ASID effect_address & 0xff
    effect_domains = 1 << 4,             // DACR written; effect_address holds the value it replaced
    effect_coprocessor_access = 1 << 5,  // CPACR or FPEXC changed (the VFP on or off)
};

/// A privileged MRC of CP15 that entry.S repeats without the monitor's C++ (its
/// undefined-instruction shortcut, docs/architecture.md): `word`, the instruction (unconditional,
/// Rt not pc), reads the register whose value is the word at `place`.
struct Cp15_shortcut {
    uint32_t word = 0;  // 0: none (no MRC is 0)
    const uint32_t* place = nullptr;
};

class Virtual_cp15 final : public Coprocessors {
public:
    /// The last privileged MRC move() carried out of a register that is a plain word of
    /// storage (an identification register or a field). reset() leaves it: a register's place
    /// stays. First of the members: entry.S reaches it at a small offset.
    Cp15_shortcut shortcut;

    Virtual_cp15(Cpu_core core, const Cp15_ids& ids) { reset(core, ids); }
    /// For storage that reset() sets up before use (a partition's): it holds no state until then.
    constexpr Virtual_cp15() = default;
    /// The state of `core` out of reset, identified by `ids`.
    void reset(Cpu_core core, const Cp15_ids& ids);

    bool move(const Instruction& in, bool privileged, uint32_t& value) override;
    /// The MRC (L set: `value` is read) or MCR (`value` is written) `word` with coprocessor 15
    /// as the other move() does it, without decoding the rest: the trap path's fast way, for an
    /// unconditional `word` whose Rt is not pc. A privileged read of a plain register becomes
    /// the shortcut.
    bool move(uint32_t word, bool privileged, uint32_t& value);

    uint32_t field(Cp15_field f) const { return fields_[f]; }
    void set_field(Cp15_field f, uint32_t value) { fields_[f] = value; }

    /// Where the guest's exception vectors are: SCTLR.V, else VBAR (ARMv7 and ARM1176), else 0.
    uint32_t vector_base() const;
    bool thumb_exceptions() const { return core() == Cpu_core::cortex_a9 && fields_[field_sctlr] >> 30 & 1; }
    bool big_endian_exceptions() const
    {
        return core() != Cpu_core::arm926 && fields_[field_sctlr] >> 25 & 1;
    }

    uint16_t effects = 0;  // accumulated; the monitor clears what it has handled
    // The MVA or ASID of the last effect_tlb_address / _asid; after a field's write, the value
    // it replaced.
    uint32_t effect_address = 0;

private:
    Cpu_core core() const { return emulated(core_); }
    /// The MRC or MCR `word` (or VMRS, VMSR: the same fields), whatever its condition and Rt.
    bool read(uint32_t word, bool privileged, uint32_t& value);
    bool write(uint32_t word, bool privileged, uint32_t value);
    /// The table's entry of the register `word` moves (0: none), the last one remembered: a guest's trapped
    /// accesses mostly repeat one register (its per-CPU pointer, its domain register).
    uint32_t entry(uint32_t word);
    static constexpr uint32_t register_mask = 0x00ef00ef;  // opc1, CRn, opc2, CRm of the word
    static constexpr uint32_t none = ~0u;                  // no register's bits
    const uint32_t* place_ = nullptr;                      // set by read() for a plain register: the shortcut
    uint32_t memo_register_ = none;  // the bits of register_mask of the last word entry() looked up
    uint32_t memo_entry_ = 0;

    Cpu_core core_ = Cpu_core::arm926;
    uint32_t fields_[field_count];  // before ids_: the short offsets for the ones used most
    Cp15_ids ids_;
};

}  // namespace core
