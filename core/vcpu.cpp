#include "core/vcpu.hpp"

#include "core/emulate.hpp"  // emulated()

namespace core {

[[gnu::noinline]] unsigned Vcpu::bank_of(uint32_t mode)
{
    // By M[3:0] of a guest mode (is_guest_mode): USR and SYS share a bank. A table: the bank is
    // looked up several times on every exception entry and return the monitor emulates.
    static constexpr uint8_t banks[16] = {usr_bank, fiq_bank, irq_bank, svc_bank, usr_bank, usr_bank,
                                          usr_bank, abt_bank, usr_bank, usr_bank, usr_bank, und_bank,
                                          usr_bank, usr_bank, usr_bank, usr_bank};
    static_assert(usr_bank == 0 && und_bank < 8);
    return banks[mode & 15];
}

uint32_t* Vcpu::spsr()
{
    const unsigned bank = bank_of(cpsr_);
    return bank == usr_bank ? nullptr : &banks_[bank].spsr;
}

bool Vcpu::set_mode(uint32_t mode)
{
    if (!is_guest_mode(mode)) return false;
    const unsigned from = bank_of(cpsr_), to = bank_of(mode);
    if (from != to) {
        banks_[from].sp = r[13];
        banks_[from].lr = r[14];
        r[13] = banks_[to].sp;
        r[14] = banks_[to].lr;
    }
    if ((from == fiq_bank) != (to == fiq_bank))
        for (unsigned i = 0; i < 5; ++i) {
            const uint32_t other = other_r8_r12_[i];
            other_r8_r12_[i] = r[8 + i];
            r[8 + i] = other;
        }
    cpsr_ = (cpsr_ & ~psr::mode) | (mode & psr::mode);
    return true;
}

void Vcpu::write_cpsr(uint32_t value, uint32_t mask)
{
    const uint32_t mode = (mask & psr::mode) ? (value & psr::mode) : (cpsr_ & psr::mode);
    cpsr_ = (cpsr_ & ~(mask & ~psr::mode)) | (value & mask & ~psr::mode);
    if (mode != (cpsr_ & psr::mode)) set_mode(mode);  // most writes keep the mode: nothing to bank
}

uint32_t& Vcpu::user_register(unsigned n)
{
    const unsigned bank = bank_of(cpsr_);
    if (n >= 8 && n <= 12 && bank == fiq_bank) return other_r8_r12_[n - 8];
    if (n == 13 && bank != usr_bank) return banks_[usr_bank].sp;
    if (n == 14 && bank != usr_bank) return banks_[usr_bank].lr;
    return r[n & 15];
}

uint32_t& Vcpu::banked_sp(uint32_t mode)
{
    const unsigned bank = bank_of(mode);
    return bank == bank_of(cpsr_) ? r[13] : banks_[bank].sp;
}

void Vcpu::enter_exception(Exception exception, uint32_t preferred_return, uint32_t vector_base,
                           bool thumb_exceptions, bool big_endian_exceptions)
{
    struct Entry {
        Mode mode;
        uint8_t lr_offset;  // ARM state (B1.8.3, table B1-7)
        bool mask_fiq, mask_abort;
    };
    static constexpr Entry entries[8] = {
        {Mode::svc, 0, true, true},    // reset
        {Mode::und, 4, false, false},  // undefined instruction: LR = instruction + 4
        {Mode::svc, 0, false, false},  // SVC: preferred return is the next instruction
        {Mode::abt, 4, false, true},   // prefetch abort: LR = instruction + 4
        {Mode::abt, 8, false, true},   // data abort: LR = instruction + 8
        {Mode::svc, 0, false, false},  // (unused vector)
        {Mode::irq, 4, false, true},   // IRQ: LR = next instruction + 4
        {Mode::fiq, 4, true, true},    // FIQ
    };
    const Entry& entry = entries[unsigned(exception) & 7];
    const uint32_t saved = cpsr_;
    set_mode(uint32_t(entry.mode));
    banks_[bank_of(uint32_t(entry.mode))].spsr = saved;  // a mode with an SPSR: no test for one
    r[14] = preferred_return + entry.lr_offset;
    uint32_t set = psr::irq_mask | (entry.mask_fiq ? psr::fiq_mask : 0);
    uint32_t clear = psr::execution_state;
    const Architecture architecture = emulated(architecture_);
    if (architecture >= Architecture::v6) {
        if (entry.mask_abort) set |= psr::abort_mask;
        clear |= psr::big_endian;
        if (big_endian_exceptions) set |= psr::big_endian;
    }
    if (architecture >= Architecture::v7 && thumb_exceptions) set |= psr::thumb;
    cpsr_ = (cpsr_ & ~clear) | set;
    r[15] = vector_base + 4 * unsigned(exception);
}

void Vcpu::return_from_exception(uint32_t target, uint32_t new_cpsr)
{
    write_cpsr(new_cpsr, ~0u);
    r[15] = target & (cpsr_ & psr::thumb ? ~1u : ~3u);
}

}  // namespace core
