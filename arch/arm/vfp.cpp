// The guests' VFP and Advanced SIMD (docs/vcpu.md, "VFP"): the core's registers run the guests'
// instructions natively, lent to one partition at a time and switched lazily. While a partition
// runs, FPEXC.EN is set only if the registers are its own and its FPEXC and CPACR turn its VFP
// on; its first VFP instruction after another partition's traps, and the monitor swaps the
// registers then. FPSID, MVFR0, MVFR1 and FPEXC, privileged, are rows of the virtual CP15.
#include "core/vfp.hpp"
#include "arch/arm/state.hpp"

extern "C" {
uint32_t arch_vfp_probe(uint32_t* ids);  // vN/boot.S (arch/arm/vfp.inc)
void arch_vfp_switch(uint64_t* save, const uint64_t* load);
void arch_vfp_enable(uint32_t fpexc);
}

namespace arm {

namespace {

using Cpacr = Cp15_register<0, 1, 0, 2>;
constexpr uint32_t cp10_cp11 = 0xfu << 20;  // CPACR: full access to coprocessors 10 and 11

bool present;      // the core has a VFP: CPACR keeps coprocessors 10 and 11
Partition* owner;  // whose registers the VFP holds (none: nobody's yet)

bool enabled(const Partition& p)
{
    return (p.cp15.field(core::field_fpexc) & core::vfp::fpexc_enable) &&
           (p.cp15.field(core::field_cpacr) & core::vfp::cpacr_cp10);
}

}  // namespace

void vfp_probe(core::Cp15_ids& ids)
{
    if ((~ids.fixed[core::field_cpacr] & cp10_cp11) != cp10_cp11) return;
    Cpacr::write(cp10_cp11);  // for good: FPEXC.EN alone turns the VFP on and off
    variant::instruction_sync();
    ids.fixed[core::field_fpexc] = ~arch_vfp_probe(&ids.id[core::id_fpsid]);  // and MVFR1, MVFR0
    present = true;
}

void vfp_follow(const Partition& p)
{
    if (present) arch_vfp_enable(owner == &p && enabled(p) ? core::vfp::fpexc_enable : 0);
}

bool vfp_instruction(Partition& p, uint32_t word)
{
    if (!present || !core::vfp::instruction(word) || core::vfp::system_register(word)) return false;
    // While it runs, the VFP is on for it exactly when it owns the registers and turned its VFP
    // on (vfp_follow): a trap then is its own undefined instruction, as is one with its VFP off.
    if (enabled(p) && owner != &p) {  // its registers in, the instruction runs again
        arch_vfp_switch(owner ? owner->vfp_bank : nullptr, p.vfp_bank);
        owner = &p;
        // The frame's pc is the undefined instruction's in ARM state, 2 bytes short of it in
        // Thumb (entry.S takes 4 from LR_und, which is the instruction + 2 there: table B1-7).
        static_assert(core::psr::thumb >> 4 == 2);
        if constexpr (variant::traits.has_thumb_vfp) p.cpu.r[15] += (p.cpu.cpsr() & core::psr::thumb) >> 4;
    } else {
        reflect(p, core::Exception::undefined_instruction);
    }
    return true;
}

}  // namespace arm
