// Decodes the ARM-state instructions the monitor emulates: those that trap from User mode
// because they are privileged, and the sensitive ones the image tool rewrites because they
// do not. Pure and constexpr: a word in, its operation out (the fields stay in the word and are
// read where the encodings keep them); nothing is executed here.
// Encodings: ARMv7-A ARM (DDI 0406C) A5 and B9; ARMv5 ARM (DDI 0100I) A3, A4.
#pragma once
#include <stdint.h>

#include "core/psr.hpp"

namespace core {

enum class Operation : uint8_t {
    other,                    // nothing the monitor emulates: the guest's undefined instruction
    mrs,                      // rd = CPSR or SPSR
    msr,                      // CPSR or SPSR fields = immediate (value) or rm
    cps,                      // ARMv6+: change the mask bits and/or mode
    srs,                      // ARMv6+: store lr and SPSR to the stack of `value`'s mode
    rfe,                      // ARMv6+: load pc and CPSR from [rn]
    ldm_user_registers,       // LDM {list}^ without pc: the User bank's registers
    ldm_exception_return,     // LDM {list, pc}^: CPSR = SPSR
    stm_user_registers,       // STM {list}^
    data_processing_return,   // <op>S pc, rn, operand 2: CPSR = SPSR
    coprocessor_move,         // MCR (to coprocessor) / MRC (to_core)
    coprocessor_move_double,  // MCRR / MRRC (to_core)
    wait_for_interrupt,       // WFI (ARMv6K+), and before ARMv7 the CP15 c7, c0, 4 operation
    wait_for_event,           // WFE (ARMv6K+)
    hint,                     // NOP, YIELD, SEV and the reserved hints: no effect
    breakpoint,               // BKPT: a prefetch abort (debug event)
    secure_monitor_call,      // SMC (Security Extensions)
    permanently_undefined,    // UDF-space, which also carries rewritten instructions
    supervisor_call,          // SVC
};

constexpr uint32_t rotate_right(uint32_t value, unsigned amount)
{
    amount &= 31;
    return amount ? value >> amount | value << (32 - amount) : value;
}

/// The barrel shifter (A8.4.3, Shift without the carry out): `value` shifted by `type` (LSL,
/// LSR, ASR, ROR) by `amount`, a register's (any, 0: unchanged) or, when `immediate`, an
/// instruction's 5-bit field, where LSR #0 and ASR #0 encode #32 and ROR #0 RRX, which shifts
/// `carry` in. The one shifter of the emulated data-processing operands and the load and store
/// offsets: out of line.
[[gnu::noinline]] constexpr uint32_t shift(uint32_t value, unsigned type, unsigned amount, bool carry,
                                           bool immediate)
{
    if (immediate && amount == 0) {
        if (type == 3) return uint32_t(carry) << 31 | value >> 1;  // RRX
        if (type) amount = 32;
    }
    switch (type) {
    case 0: return amount >= 32 ? 0 : value << amount;
    case 1: return amount >= 32 ? 0 : value >> amount;
    case 2: return uint32_t(int32_t(value) >> (amount >= 32 ? 31 : amount));
    default: return rotate_right(value, amount);
    }
}
static_assert(shift(0x80000001, 0, 0, false, true) == 0x80000001 &&
              shift(0x80000001, 1, 0, false, true) == 0 && shift(0x80000001, 2, 0, false, true) == ~0u &&
              shift(0x80000001, 3, 0, true, true) == 0xc0000000 &&
              shift(0x80000001, 3, 0, false, false) == 0x80000001 &&
              shift(0x80000001, 0, 32, false, false) == 0 && shift(0x80000001, 2, 40, false, false) == ~0u &&
              shift(0x80000001, 3, 36, false, false) == 0x18000000);

/// What decode() found, and the word itself: each field is read where the ARM encodings keep
/// it (the operation says which apply), not copied out of it.
struct Instruction {
    Operation operation = Operation::other;
    uint8_t condition = 0xe;  // 0xf: the unconditional space
    uint32_t word = 0;

    constexpr bool spsr() const { return word >> 22 & 1; }           // MRS, MSR: R
    constexpr bool to_core() const { return word >> 20 & 1; }        // MRC, MRRC, LDM: L
    constexpr bool immediate() const { return word >> 25 & 1; }      // MSR, data processing: I
    constexpr bool register_shift() const { return word >> 4 & 1; }  // data processing
    constexpr bool before() const { return word >> 24 & 1; }         // LDM, STM, SRS, RFE: P
    constexpr bool increment() const { return word >> 23 & 1; }      // U
    constexpr bool writeback() const { return word >> 21 & 1; }      // W
    constexpr unsigned rd() const { return word >> 12 & 15; }        // also Rt of a coprocessor move
    constexpr unsigned rn() const { return word >> 16 & 15; }        // also Rt2 of MCRR/MRRC
    constexpr unsigned rm() const { return word & 15; }
    constexpr unsigned rs() const { return word >> 8 & 15; }
    constexpr unsigned mode() const { return word & 0x1f; }          // CPS, SRS
    constexpr unsigned fields() const { return word >> 16 & 15; }    // MSR mask: bit 0 c, 1 x, 2 s, 3 f
    constexpr unsigned opcode() const { return word >> 21 & 15; }    // data processing: AND EOR ... MVN
    constexpr unsigned shift_type() const { return word >> 5 & 3; }  // LSL LSR ASR ROR (ROR #0: RRX)
    constexpr unsigned shift_amount() const { return word >> 7 & 31; }
    constexpr unsigned coprocessor() const { return word >> 8 & 15; }
    constexpr unsigned opc1() const { return word >> 21 & 7; }         // MCR, MRC
    constexpr unsigned opc1_double() const { return word >> 4 & 15; }  // MCRR, MRRC
    constexpr unsigned crn() const { return word >> 16 & 15; }
    constexpr unsigned crm() const { return word & 15; }
    constexpr unsigned opc2() const { return word >> 5 & 7; }
    constexpr unsigned cps_effect() const
    {
        return word >> 18 & 3;
    }  // imod: 2 enable (clear), 3 disable (set)
    constexpr bool cps_change_mode() const { return word >> 17 & 1; }
    constexpr uint32_t cps_masks() const { return word & 0x1c0; }    // A I F as in the CPSR
    constexpr uint16_t registers() const { return uint16_t(word); }  // LDM, STM
    /// MSR and data processing: the rotated 8-bit immediate.
    constexpr uint32_t rotated_immediate() const { return rotate_right(word & 0xff, 2 * (word >> 8 & 15)); }
    /// UDF and BKPT: imm12:imm4.
    constexpr uint32_t immediate16() const { return (word >> 4 & 0xfff0) | (word & 0xf); }
    /// The coprocessor form of wait for interrupt (ARMv5, ARMv6: MCR p15, 0, Rt, c7, c0, 4),
    /// privileged, rather than the WFI hint.
    constexpr bool cp15_wait() const { return (word & 0x0f000000) == 0x0e000000; }
};

/// One row of the decoding tables: the words whose bits under `mask` equal `value`.
struct Encoding {
    uint32_t mask, value;
};

/// The operations decode() recognises in the conditional space, first match wins: the
/// exclusions before the rows they carve from, the syscall and exception-return operations
/// (MRS, MSR, <op>S pc, LDM ^) first, as they are the ones emulated most often; then the rest.
/// A last row matches every word.
inline constexpr Encoding conditional_encodings[] = {
    {0x0fbf0fff, 0x010f0000},  // MRS (A8.8.109, B9.3.8)
    {0x0fb0fff0, 0x0120f000},  // MSR, register (A8.8.112, B9.3.12)
    {0x0d90f000, 0x0110f000},  // TST TEQ CMP CMN with Rd = 1111: not a return
    {0x0e10f090, 0x0010f090},  // multiplies, extra loads and stores: not data processing
    {0x0c10f000, 0x0010f000},  // <op>S pc (B9.3.20)
    {0x0e500000, 0x08400000},  // STM ^ (B9.3.17)
    {0x0e508000, 0x08508000},  // LDM ^ with pc (B9.3.5)
    {0x0e508000, 0x08500000},  // LDM ^ without pc (B9.3.6)
    {0x0f000010, 0x0e000010},  // MCR, MRC (A8.8.99, A8.8.108)
    {0x0ff000f0, 0x07f000f0},  // UDF (A8.8.247)
    {0x0f000000, 0x0f000000},  // SVC (A8.8.228)
    {0x0ff000f0, 0x01200070},  // BKPT (A8.8.24)
    {0x0ff000f0, 0x01600070},  // SMC (B9.3.14)
    // Hints (A8.8.127), bits 11-8 ignored; QEMU decodes them on ARMv5 too (its ARM926 waits on
    // WFI), so the oracle does as well. Before MSR immediate, whose encoding holds them.
    {0x0ffff0ff, 0x0320f002},  // WFE
    {0x0ffff0ff, 0x0320f003},  // WFI
    {0x0ffff000, 0x0320f000},  // NOP, YIELD, SEV, the reserved ones
    {0x0fb0f000, 0x0320f000},  // MSR, immediate (A8.8.111, B9.3.11)
    {0x0fe00000, 0x0c400000},  // MCRR, MRRC (A8.8.100, A8.8.109)
    {0, 0},
};
inline constexpr Operation conditional_operations[] = {
    Operation::mrs,
    Operation::msr,
    Operation::other,
    Operation::other,
    Operation::data_processing_return,
    Operation::stm_user_registers,
    Operation::ldm_exception_return,
    Operation::ldm_user_registers,
    Operation::coprocessor_move,
    Operation::permanently_undefined,
    Operation::supervisor_call,
    Operation::breakpoint,
    Operation::secure_monitor_call,
    Operation::wait_for_event,
    Operation::wait_for_interrupt,
    Operation::hint,
    Operation::msr,
    Operation::coprocessor_move_double,
    Operation::other,
};
/// The unconditional space's (ARMv6 and later), then a row that matches every word.
inline constexpr Encoding unconditional_encodings[] = {
    {0xfff1fe20, 0xf1000000},  // CPS (A8.8.35, B9.3.2)
    {0xfe5fffe0, 0xf84d0500},  // SRS (B9.3.16)
    {0xfe50ffff, 0xf8100a00},  // RFE (B9.3.13)
    {0, 0},
};
inline constexpr Operation unconditional_operations[] = {Operation::cps, Operation::srs, Operation::rfe,
                                                         Operation::other};
static_assert(sizeof conditional_encodings / sizeof *conditional_encodings ==
                  sizeof conditional_operations / sizeof *conditional_operations &&
              sizeof unconditional_encodings / sizeof *unconditional_encodings ==
                  sizeof unconditional_operations / sizeof *unconditional_operations);

/// The ARM-state instruction `word` as the given architecture defines it: what ARMv5 does
/// not have (CPS, SRS, RFE, SMC) decodes as it behaves there.
constexpr Instruction decode(uint32_t word, Architecture architecture)
{
    Instruction in;
    in.word = word;
    in.condition = uint8_t(word >> 28);
    const bool v6 = architecture >= Architecture::v6;
    if (in.condition == 0xf && !v6) return in;  // ARMv5: BLX, PLD and the like; nothing to emulate
    const bool unconditional = in.condition == 0xf;
    const Encoding* const rows = unconditional ? unconditional_encodings : conditional_encodings;
    unsigned i = 0;
    while ((word & rows[i].mask) != rows[i].value) ++i;
    in.operation = unconditional ? unconditional_operations[i] : conditional_operations[i];
    if (in.operation == Operation::secure_monitor_call && !v6) in.operation = Operation::other;
    // ARMv5, ARMv6: the CP15 wait for interrupt, MCR p15, 0, Rt, c7, c0, 4.
    if (in.operation == Operation::coprocessor_move && architecture < Architecture::v7 &&
        (word & 0x0fff0fff) == 0x0e070f90)
        in.operation = Operation::wait_for_interrupt;
    return in;
}

/// Whether the condition field passes for the flags in `cpsr` (A8.3, table A8-1): bit NZCV of
/// the condition's row, each row the 16 flag combinations it passes for (AL, and the
/// unconditional space, all of them).
constexpr bool condition_passes(uint8_t condition, uint32_t cpsr)
{
    constexpr uint16_t rows[16] = {
        0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,  // EQ NE CS CC MI PL VS VC
        0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,  // HI LS GE LT GT LE AL (NV)
    };
    return rows[condition & 15] >> (cpsr >> 28) & 1;
}

}  // namespace core
