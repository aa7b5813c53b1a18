#include "core/emulate.hpp"

#include "core/divide.hpp"

namespace core {

namespace {

// A register as an operand: pc reads as the instruction's address + 8 (A2.3).
uint32_t operand(const Vcpu& cpu, unsigned n) { return n == 15 ? cpu.r[15] + 8 : cpu.r[n]; }

uint32_t byte_mask(uint8_t fields)
{
    // Field bit i to bit 8i (the multiplier's terms shift each bit to its byte), then a byte of ones.
    return ((fields & 0xfu) * 0x00204081u & 0x01010101u) * 0xffu;
}
static_assert(((0x5u * 0x00204081u & 0x01010101u) * 0xffu) == 0x00ff00ff);

// The lowest address of a block transfer of `count` words, and the base after it (A8.8.58-63).
struct Block {
    uint32_t start, written_back;
};
Block block(uint32_t base, unsigned count, bool before, bool increment)
{
    const uint32_t bytes = 4 * count;
    if (increment) return {before ? base + 4 : base, base + bytes};
    return {before ? base - bytes : base - bytes + 4, base - bytes};
}

uint32_t alu(unsigned opcode, uint32_t a, uint32_t b, bool carry)
{
    switch (opcode) {
    case 0x0: return a & b;
    case 0x1: return a ^ b;
    case 0x2: return a - b;
    case 0x3: return b - a;
    case 0x4: return a + b;
    case 0x5: return a + b + carry;
    case 0x6: return a - b - !carry;
    case 0x7: return b - a - !carry;
    case 0xc: return a | b;
    case 0xd: return b;
    case 0xe: return a & ~b;
    default: return ~b;  // 0xf MVN (TST, TEQ, CMP, CMN never decode as a return)
    }
}

Outcome advance(Vcpu& cpu, Outcome outcome = Outcome::next)
{
    cpu.r[15] += 4;
    return outcome;
}

Outcome mrs(Vcpu& cpu, const Instruction& in)
{
    if (in.rd() == 15) return Outcome::undefined;  // UNPREDICTABLE: refused
    if (in.spsr()) {
        const uint32_t* spsr = cpu.spsr();
        if (!spsr) return Outcome::undefined;  // USR and SYS: UNPREDICTABLE, QEMU undefines
        cpu.r[in.rd()] = *spsr;
    } else {
        cpu.r[in.rd()] = cpu.cpsr() & ~psr::execution_state;
    }
    return advance(cpu);
}

Outcome msr(Vcpu& cpu, const Instruction& in)
{
    const uint32_t value = in.immediate() ? in.rotated_immediate() : operand(cpu, in.rm());
    const uint32_t mask = byte_mask(in.fields()) & Vcpu::implemented;
    if (in.spsr()) {
        if (uint32_t* spsr = cpu.spsr()) *spsr = (*spsr & ~mask) | (value & mask);
        // USR and SYS have no SPSR: UNPREDICTABLE, ignored.
    } else {
        cpu.write_cpsr(value, mask & msr_writable(emulated(cpu.architecture()), cpu.privileged()));
    }
    return advance(cpu);
}

Outcome cps(Vcpu& cpu, const Instruction& in)
{
    if (cpu.privileged()) {  // CPS is a NOP in User mode (B9.3.2)
        uint32_t cpsr = cpu.cpsr();
        if (in.cps_effect() == 2) cpsr &= ~in.cps_masks();
        if (in.cps_effect() == 3) cpsr |= in.cps_masks();
        cpu.write_cpsr(cpsr, psr::abort_mask | psr::irq_mask | psr::fiq_mask);
        if (in.cps_change_mode()) cpu.set_mode(in.mode());  // an illegal mode changes nothing
    }
    return advance(cpu);
}

// The words the emulator moves for the guest, in the guest's data endianness: with CPSR.E set
// (SETEND BE, or SCTLR.EE at an exception) they are big-endian in memory (BE-8, ARMv7-A ARM
// A3.3.3), as device accesses are (core/access.cpp). The one path for every such transfer.
uint32_t in_guest_order(const Vcpu& cpu, uint32_t word)
{
    const bool big = emulated(cpu.architecture()) >= Architecture::v6 && cpu.cpsr() & psr::big_endian;
    return big ? __builtin_bswap32(word) : word;
}
bool load_word(const Vcpu& cpu, Guest_memory& memory, uint32_t address, uint32_t& value)
{
    if (!memory.access(address, false, value)) return false;
    value = in_guest_order(cpu, value);
    return true;
}
bool store_word(const Vcpu& cpu, Guest_memory& memory, uint32_t address, uint32_t value)
{
    value = in_guest_order(cpu, value);
    return memory.access(address, true, value);
}

// SRS, RFE, and LDM and STM with ^: the privileged block transfers, one path. SRS stores the
// current mode's lr and SPSR on the stack of `in.mode()`; RFE loads a return address and CPSR
// from [rn] and returns; LDM and STM with ^ move the User bank's registers, and LDM ^ with pc
// is an exception return.
Outcome transfer_block(Vcpu& cpu, const Instruction& in, Guest_memory& memory)
{
    const Operation operation = in.operation;
    const bool srs = operation == Operation::srs, rfe = operation == Operation::rfe;
    const bool load = operation != Operation::stm_user_registers && !srs;
    const bool exception_return = rfe || operation == Operation::ldm_exception_return;
    const uint32_t* spsr = cpu.spsr();
    // SRS with no SPSR (USR, SYS) or to a bad mode; the others in User mode, with Rn = pc or an
    // empty list (RFE's and SRS's low bits are never 0); an LDM ^ return in SYS: UNPREDICTABLE.
    if (srs ? !spsr || !is_guest_mode(in.mode())
            : !cpu.privileged() || in.rn() == 15 || in.registers() == 0 ||
                  (operation == Operation::ldm_exception_return && !spsr))
        return Outcome::undefined;
    uint32_t& base = srs ? cpu.banked_sp(in.mode()) : cpu.r[in.rn()];
    // The words moved, lowest address first: SRS's and RFE's two (values[0] and [1]), else the
    // list's registers (values[n] for register n).
    const unsigned list = srs || rfe ? 3 : in.registers();
    uint32_t values[16];
    if (srs) {
        values[0] = cpu.r[14];
        values[1] = *spsr;
    }
    const Block b = block(base, count_bits(list), in.before(), in.increment());
    uint32_t address = b.start;
    for (unsigned n = 0; n < 16; ++n)
        if (list >> n & 1) {
            const bool done = load ? load_word(cpu, memory, address, values[n])
                                   : store_word(cpu, memory, address,
                                                srs       ? values[n]
                                                : n == 15 ? cpu.r[15] + 8
                                                          : cpu.user_register(n));
            if (!done) return Outcome::data_abort;
            address += 4;
        }
    // Write-back first, so a base in the list ends with its loaded value (as QEMU does).
    if (in.writeback()) base = b.written_back;
    if (rfe) {
        cpu.return_from_exception(values[0], values[1]);
        return Outcome::next;
    }
    if (load)
        for (unsigned n = 0; n < 15; ++n)
            if (list >> n & 1) (exception_return ? cpu.r[n] : cpu.user_register(n)) = values[n];
    if (!exception_return) return advance(cpu);
    cpu.return_from_exception(values[15], *spsr);
    return Outcome::next;
}

// Operand 2 of a data-processing instruction, with pc read as the instruction + 8 (+ 12 when
// the shift amount comes from a register).
uint32_t shifter_operand(const Vcpu& cpu, const Instruction& in)
{
    if (in.immediate()) return in.rotated_immediate();
    const uint32_t value = in.rm() == 15 ? cpu.r[15] + (in.register_shift() ? 12 : 8) : cpu.r[in.rm()];
    const unsigned amount =
        in.register_shift() ? (in.rs() == 15 ? cpu.r[15] + 12 : cpu.r[in.rs()]) & 0xff : in.shift_amount();
    return shift(value, in.shift_type(), amount, cpu.cpsr() & psr::carry, !in.register_shift());
}

Outcome data_processing_return(Vcpu& cpu, const Instruction& in)
{
    const uint32_t* spsr = cpu.spsr();
    if (!spsr) return Outcome::undefined;  // USR (undefined in QEMU too) and SYS (UNPREDICTABLE)
    const uint32_t pc_offset = in.register_shift() ? 12 : 8;
    const uint32_t a = in.rn() == 15 ? cpu.r[15] + pc_offset : cpu.r[in.rn()];
    const uint32_t result = alu(in.opcode(), a, shifter_operand(cpu, in), cpu.cpsr() & psr::carry);
    cpu.return_from_exception(result, *spsr);
    return Outcome::next;
}

Outcome coprocessor_move(Vcpu& cpu, const Instruction& in, Coprocessors& coprocessors)
{
    uint32_t value = operand(cpu, in.rd());
    if (!coprocessors.move(in, cpu.privileged(), value)) return Outcome::undefined;
    if (in.to_core() && in.rd() == 15)
        cpu.write_cpsr(value, psr::flags & ~(1u << 27));  // MRC to APSR_nzcv: N Z C V only
    else if (in.to_core())
        cpu.r[in.rd()] = value;
    return advance(cpu);
}

}  // namespace

Outcome emulate(Vcpu& cpu, const Instruction& in, Guest_memory& memory, Coprocessors& coprocessors)
{
    if (in.condition != 0xe && !condition_passes(in.condition, cpu.cpsr()))
        return advance(cpu);  // AL: no flags
    switch (in.operation) {
    case Operation::mrs: return mrs(cpu, in);
    case Operation::msr: return msr(cpu, in);
    case Operation::cps: return cps(cpu, in);
    case Operation::srs:
    case Operation::rfe:
    case Operation::ldm_user_registers:
    case Operation::ldm_exception_return:
    case Operation::stm_user_registers: return transfer_block(cpu, in, memory);
    case Operation::data_processing_return: return data_processing_return(cpu, in);
    case Operation::coprocessor_move: return coprocessor_move(cpu, in, coprocessors);
    case Operation::wait_for_interrupt:
        // ARMv5's CP15 form is privileged; the WFI instruction is not (B1.8.14 aside).
        if (in.cp15_wait() && !cpu.privileged()) return Outcome::undefined;
        return advance(cpu, Outcome::wait_for_interrupt);
    case Operation::breakpoint: return Outcome::breakpoint;
    default:
        // The hints here rather than as cases: their advance is code the table's targets would
        // jump back to, which keeps the table from being one of forward offsets (bytes, not
        // words, on Thumb-2: 32 bytes of the vexpress-a9 image, 8 of the others).
        if (in.operation == Operation::wait_for_event || in.operation == Operation::hint)
            return advance(cpu, in.operation == Operation::hint ? Outcome::next : Outcome::wait_for_event);
        // SMC (no secure world is offered), MCRR and MRRC (Coprocessors), UDF, SVC, anything else
        return Outcome::undefined;
    }
}

}  // namespace core
