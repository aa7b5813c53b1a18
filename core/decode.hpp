// Decodes the ARM-state instructions the monitor emulates: those that trap from User mode
// because they are privileged, and the sensitive ones the image tool rewrites because they
// do not. Pure and constexpr: a word in, a plain description out; nothing is executed here.
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

struct alignas(8) Instruction {  // 8: zeroed two words at a time (blank_instruction)
    Operation operation = Operation::other;
    uint8_t condition = 0xe;      // 0xf: the unconditional space
    bool spsr = false;            // MRS, MSR: the SPSR rather than the CPSR
    bool to_core = false;         // MRC, MRRC, LDM (a load)
    bool immediate = false;       // MSR, data processing: operand 2 is `value`
    bool register_shift = false;  // data processing: shifted by rs rather than shift_amount
    bool before = false;          // LDM, STM, SRS, RFE: P (address before the transfer)
    bool increment = false;       // U
    bool writeback = false;       // W
    uint8_t rd = 0;               // also Rt of a coprocessor move
    uint8_t rn = 0;               // also Rt2 of a coprocessor double move
    uint8_t rm = 0, rs = 0;
    uint8_t fields = 0;  // MSR field mask: bit 0 c, 1 x, 2 s, 3 f
    uint8_t opcode = 0;  // data processing: AND EOR SUB RSB ADD ADC SBC RSC - - - - ORR MOV BIC MVN
    uint8_t shift_type = 0, shift_amount = 0;  // LSL LSR ASR ROR (ROR #0 is RRX)
    uint8_t coprocessor = 0, opc1 = 0, crn = 0, crm = 0, opc2 = 0;
    uint8_t cps_effect = 0;  // CPS imod: 2 = enable (clear masks), 3 = disable (set)
    bool cps_change_mode = false;
    uint16_t registers = 0;  // LDM, STM
    uint32_t value = 0;      // immediates: MSR and data processing (rotated), CPS/SRS mode,
                             // CPS mask bits (A I F as in the CPSR), SVC/BKPT/UDF/SMC immediates
};

constexpr uint32_t rotate_right(uint32_t value, unsigned amount)
{
    amount &= 31;
    return amount ? value >> amount | value << (32 - amount) : value;
}

/// An Instruction with every field zero but `condition` (decode() sets it): at run time four
/// two-word stores, where -Os makes the default initialization a memset call (some 30
/// instructions on every trap that decodes).
constexpr Instruction blank_instruction()
{
    if (__builtin_is_constant_evaluated()) return Instruction{};
    union Words {
        Instruction in;
        uint64_t raw[4];
        constexpr Words() : raw() {}
    } words;
    static_assert(sizeof words == sizeof(Instruction));
    words.raw[0] = words.raw[1] = words.raw[2] = words.raw[3] = 0;
    return words.in;
}

/// The ARM-state instruction `word` as the given architecture defines it: what ARMv5 does
/// not have (CPS, SRS, RFE, SMC) decodes as it behaves there.
constexpr Instruction decode(uint32_t word, Architecture architecture)
{
    Instruction in = blank_instruction();
    in.condition = uint8_t(word >> 28);
    const auto bits = [word](unsigned high, unsigned low) {
        return uint8_t(word >> low & ((1u << (high - low + 1)) - 1));
    };
    const bool v6 = architecture >= Architecture::v6;

    if (in.condition == 0xf) {
        if (!v6) return in;                       // ARMv5: BLX, PLD and the like; nothing to emulate
        if ((word & 0xfff1fe20) == 0xf1000000) {  // CPS (A8.8.35 / B9.3.2)
            in.operation = Operation::cps;
            in.cps_effect = bits(19, 18);
            in.cps_change_mode = bits(17, 17);
            in.value = word & 0x1c0;                     // A I F at their CPSR positions (bits 8..6)
            in.rs = bits(4, 0);                          // the mode
        } else if ((word & 0xfe5fffe0) == 0xf84d0500) {  // SRS (B9.3.16)
            in.operation = Operation::srs;
            in.before = bits(24, 24);
            in.increment = bits(23, 23);
            in.writeback = bits(21, 21);
            in.value = bits(4, 0);
        } else if ((word & 0xfe50ffff) == 0xf8100a00) {  // RFE (B9.3.13)
            in.operation = Operation::rfe;
            in.before = bits(24, 24);
            in.increment = bits(23, 23);
            in.writeback = bits(21, 21);
            in.rn = bits(19, 16);
        }
        return in;
    }

    // MCR and MRC first: the most frequent trap (no other test below matches their encodings).
    if ((word & 0x0f000010) == 0x0e000010) {  // MCR, MRC (A8.8.99, A8.8.108)
        in.operation = Operation::coprocessor_move;
        in.to_core = bits(20, 20);
        in.opc1 = bits(23, 21);
        in.crn = bits(19, 16);
        in.rd = bits(15, 12);
        in.coprocessor = bits(11, 8);
        in.opc2 = bits(7, 5);
        in.crm = bits(3, 0);
        if (architecture < Architecture::v7 && !in.to_core && in.coprocessor == 15 && in.opc1 == 0 &&
            in.crn == 7 && in.crm == 0 && in.opc2 == 4)
            in.operation = Operation::wait_for_interrupt;  // ARMv5, ARMv6: CP15 wait for interrupt
    } else if ((word & 0x0ff000f0) == 0x07f000f0) {        // UDF (A8.8.247)
        in.operation = Operation::permanently_undefined;
        in.value = (word >> 4 & 0xfff0) | (word & 0xf);
    } else if ((word & 0x0f000000) == 0x0f000000) {  // SVC (A8.8.228)
        in.operation = Operation::supervisor_call;
        in.value = word & 0xffffff;
    } else if ((word & 0x0ff000f0) == 0x01200070) {  // BKPT (A8.8.24)
        in.operation = Operation::breakpoint;
        in.value = (word >> 4 & 0xfff0) | (word & 0xf);
    } else if ((word & 0x0ff000f0) == 0x01600070) {  // SMC (B9.3.14)
        if (v6) in.operation = Operation::secure_monitor_call;
        in.value = word & 0xf;
    } else if ((word & 0x0fbf0fff) == 0x010f0000) {  // MRS (A8.8.109, B9.3.8)
        in.operation = Operation::mrs;
        in.spsr = bits(22, 22);
        in.rd = bits(15, 12);
    } else if ((word & 0x0fb0fff0) == 0x0120f000) {  // MSR register (A8.8.112, B9.3.12)
        in.operation = Operation::msr;
        in.spsr = bits(22, 22);
        in.fields = bits(19, 16);
        in.rm = bits(3, 0);
    } else if ((word & 0x0ffff000) == 0x0320f000) {  // hints (A8.8.127): bits 11-8 ignored; QEMU
        // decodes them on ARMv5 too (its ARM926 waits on WFI), so the oracle does as well
        switch (word & 0xff) {
        case 2: in.operation = Operation::wait_for_event; break;
        case 3: in.operation = Operation::wait_for_interrupt; break;
        default: in.operation = Operation::hint;
        }
    } else if ((word & 0x0fb0f000) == 0x0320f000) {  // MSR immediate (A8.8.111, B9.3.11)
        in.operation = Operation::msr;
        in.immediate = true;
        in.spsr = bits(22, 22);
        in.fields = bits(19, 16);
        in.value = rotate_right(word & 0xff, 2 * bits(11, 8));
    } else if ((word & 0x0e400000) == 0x08400000) {  // LDM/STM with ^ (B9.3.5, B9.3.6, B9.3.17)
        in.to_core = bits(20, 20);
        in.operation = !in.to_core     ? Operation::stm_user_registers
                       : word & 0x8000 ? Operation::ldm_exception_return
                                       : Operation::ldm_user_registers;
        in.before = bits(24, 24);
        in.increment = bits(23, 23);
        in.writeback = bits(21, 21);
        in.rn = bits(19, 16);
        in.registers = uint16_t(word);
    } else if ((word & 0x0c10f000) == 0x0010f000 && (bits(24, 21) & 0xc) != 0x8 &&
               ((word & 0x02000000) || (word & 0x90) != 0x90)) {  // <op>S pc (B9.3.20)
        in.operation = Operation::data_processing_return;
        in.opcode = bits(24, 21);
        in.rn = bits(19, 16);
        in.immediate = bits(25, 25);
        if (in.immediate) {
            in.value = rotate_right(word & 0xff, 2 * bits(11, 8));
        } else {
            in.rm = bits(3, 0);
            in.shift_type = bits(6, 5);
            in.register_shift = bits(4, 4);
            in.rs = bits(11, 8);
            in.shift_amount = bits(11, 7);
        }
    } else if ((word & 0x0fe00000) == 0x0c400000) {  // MCRR, MRRC (A8.8.100, A8.8.109)
        in.operation = Operation::coprocessor_move_double;
        in.to_core = bits(20, 20);
        in.rn = bits(19, 16);
        in.rd = bits(15, 12);
        in.coprocessor = bits(11, 8);
        in.opc1 = bits(7, 4);
        in.crm = bits(3, 0);
    }
    return in;
}

/// Whether the condition field passes for the flags in `cpsr` (A8.3, table A8-1).
constexpr bool condition_passes(uint8_t condition, uint32_t cpsr)
{
    const bool n = cpsr >> 31 & 1, z = cpsr >> 30 & 1, c = cpsr >> 29 & 1, v = cpsr >> 28 & 1;
    bool result = true;
    switch (condition >> 1) {
    case 0: result = z; break;
    case 1: result = c; break;
    case 2: result = n; break;
    case 3: result = v; break;
    case 4: result = c && !z; break;
    case 5: result = n == v; break;
    case 6: result = !z && n == v; break;
    case 7: return true;  // AL, and the unconditional space
    }
    return condition & 1 ? !result : result;
}

}  // namespace core
