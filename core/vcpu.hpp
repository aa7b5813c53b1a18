// A guest's virtual CPU: the registers it sees in its current virtual mode, the banked copies
// of the other modes, and the virtual CPSR. Pure logic: the monitor copies the live registers
// to and from the exception frame; the host tests drive it directly.
#pragma once
#include <stdint.h>

#include "core/psr.hpp"

namespace core {

class Vcpu {
public:
    /// Entry state of the guest contract as native QEMU gives it (docs/evidence): CPSR
    /// 0x400001d3 (SVC mode; IRQ, FIQ and A masked; Z set) on all three cores; every
    /// register zero.
    static constexpr uint32_t entry_cpsr = 0x400001d3;
    explicit constexpr Vcpu(Architecture architecture)
        : r(), hardware_cpsr(), architecture_(architecture), cpsr_(entry_cpsr), banks_(), other_r8_r12_()
    {
    }
    /// In storage already zeroed (a value-initialised Partition): the registers are left as
    /// they are, not zeroed a second time.
    struct Zeroed {};
    constexpr Vcpu(Architecture architecture, Zeroed) : architecture_(architecture), cpsr_(entry_cpsr) {}

    /// r0-r15 as the current mode sees them; r[15] is the address of the instruction the
    /// monitor is emulating or resuming. First, and followed by hardware_cpsr: the monitor's
    /// exception vectors save a partition's registers here and restore them from here
    /// (arch/arm/exception.hpp checks the layout).
    uint32_t r[16];
    /// The CPSR the processor runs the guest with (User mode, the live bits): saved by the
    /// vectors, merged by set_live_bits(), made anew by the monitor before it resumes the guest.
    uint32_t hardware_cpsr;

    /// The PSR bits the core implements, the same for every partition: what its SPSR keeps of
    /// all ones, probed at boot (entry.S). An MSR writes no others, so a guest reads back what
    /// it would natively.
    static inline uint32_t implemented = ~0u;

    /// Where cpsr() is kept: entry.S's shortcut reads the virtual mode there.
    static constexpr unsigned cpsr_offset();
    /// Where the SPSR of the bank numbered `bank` is kept: entry.S's shortcut reads and writes
    /// FIQ's, IRQ's and SVC's, whose banks are numbered by their mode's M[3:0].
    static constexpr unsigned spsr_offset(unsigned bank);

    Architecture architecture() const { return architecture_; }
    uint32_t cpsr() const { return cpsr_; }
    Mode mode() const { return Mode(cpsr_ & psr::mode); }
    bool privileged() const { return mode() != Mode::usr; }

    /// The CPSR bits the hardware keeps while the guest runs in User mode: the flags, GE, E and
    /// the execution state. The virtual mode and masks (I, F, A) live only here.
    static constexpr uint32_t live_bits =
        psr::flags | psr::greater_equal | psr::big_endian | psr::execution_state;
    /// Takes the live bits from the real CPSR the guest was interrupted with.
    void set_live_bits(uint32_t real_cpsr) { cpsr_ = (cpsr_ & ~live_bits) | (real_cpsr & live_bits); }

    /// The current mode's SPSR, or nullptr in USR and SYS mode, which have none.
    uint32_t* spsr();

    /// Changes mode, banking sp, lr (and r8-r12 into or out of FIQ mode) as the hardware
    /// does. Returns false, changing nothing, for a mode a guest cannot be in.
    bool set_mode(uint32_t mode);

    /// Writes the bits of `value` selected by `mask` into the CPSR, changing mode through
    /// set_mode(). A mode field that names no guest mode leaves the mode unchanged (as QEMU
    /// does for an illegal MSR mode change; the ARM ARM calls it UNPREDICTABLE).
    void write_cpsr(uint32_t value, uint32_t mask);

    /// The User-mode bank's register n (r8-r14 may be banked away): LDM/STM with ^.
    uint32_t& user_register(unsigned n);

    /// The sp of `mode`'s bank (SRS stores to another mode's stack). `mode` must be a guest mode.
    uint32_t& banked_sp(uint32_t mode);

    /// Takes `exception` as the hardware does (ARMv7-A ARM B1.8.3-B1.8.10): SPSR of the target
    /// mode = CPSR, LR = `preferred_return` + the architecture's offset, I (and F, A as the
    /// exception demands) set, Thumb cleared (or SCTLR.TE on ARMv7), E = SCTLR.EE on ARMv6+,
    /// pc = `vector_base` + the vector's offset.
    void enter_exception(Exception exception, uint32_t preferred_return, uint32_t vector_base,
                         bool thumb_exceptions, bool big_endian_exceptions);

    /// An exception return (SUBS pc, lr; LDM ^ with pc; RFE): CPSR = `new_cpsr`, pc =
    /// `target`. A mode field naming no guest mode keeps the current mode.
    void return_from_exception(uint32_t target, uint32_t new_cpsr);

private:
    struct Bank {
        uint32_t sp, lr, spsr;
    };
    enum Bank_index : uint8_t {  // FIQ, IRQ and SVC by M[3:0] (spsr_offset)
        usr_bank,
        fiq_bank,
        irq_bank,
        svc_bank,
        abt_bank,
        und_bank,
        bank_count
    };
    static unsigned bank_of(uint32_t mode);

    Architecture architecture_;
    uint32_t cpsr_;
    Bank banks_[bank_count];    // the current mode's sp and lr live in r[13], r[14]
    uint32_t other_r8_r12_[5];  // USR's r8-r12 while in FIQ mode, FIQ's otherwise
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr unsigned Vcpu::cpsr_offset() { return __builtin_offsetof(Vcpu, cpsr_); }
constexpr unsigned Vcpu::spsr_offset(unsigned bank)
{
    static_assert(fiq_bank == (uint32_t(Mode::fiq) & 15) && irq_bank == (uint32_t(Mode::irq) & 15) &&
                  svc_bank == (uint32_t(Mode::svc) & 15));
    return __builtin_offsetof(Vcpu, banks_) + bank * sizeof(Bank) + __builtin_offsetof(Bank, spsr);
}
#pragma GCC diagnostic pop

}  // namespace core
