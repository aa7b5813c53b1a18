#include "core/access.hpp"

#include "core/decode.hpp"
#include "core/divide.hpp"

namespace core {

namespace {

constexpr uint32_t bits(uint32_t word, unsigned high, unsigned low)
{
    return word >> low & ((2u << (high - low)) - 1);
}

/// The scaled register offset of LDR/STR (A5.3): rm shifted by an immediate.
uint32_t scaled_register(uint32_t word, const uint32_t (&r)[16], bool carry)
{
    const uint32_t rm = bits(word, 3, 0) == 15 ? r[15] + 8 : r[bits(word, 3, 0)];
    return shift(rm, bits(word, 6, 5), bits(word, 11, 7), carry, true);
}

/// The `size` low bytes of `value` (whose other bytes are zero) in the other byte order.
uint32_t swap_bytes(uint32_t value, unsigned size) { return __builtin_bswap32(value) >> (32 - 8 * size); }

/// Writes a loaded value to rt; a load into pc branches (interworking on ARMv5 and later).
void load_register(Vcpu& cpu, unsigned rt, uint32_t value)
{
    if (rt != 15) {
        cpu.r[rt] = value;
        return;
    }
    if (value & 1) cpu.write_cpsr(psr::thumb, psr::thumb);
    cpu.r[15] = value & (value & 1 ? ~1u : ~3u);
}

/// A default Access: three two-word stores, where -Os makes the default initialization a memset
/// call (some 30 instructions on every emulated device access).
Access blank_access()
{
    union Words {
        Access a;
        uint64_t raw[3];
        Words() : raw() {}
    } words;
    static_assert(sizeof words == sizeof(Access));
    words.raw[0] = words.raw[1] = words.raw[2] = 0;
    words.a.size = 4;
    return words.a;
}

}  // namespace

Access decode_access(uint32_t word, const Vcpu& cpu)
{
    const uint32_t(&r)[16] = cpu.r;
    Access a = blank_access();
    if (bits(word, 31, 28) == 0xf) return a;  // the unconditional space holds no load or store
    const unsigned rn = bits(word, 19, 16);
    const uint32_t base = rn == 15 ? r[15] + 8 : r[rn];
    const bool before = bits(word, 24, 24), up = bits(word, 23, 23), writeback = bits(word, 21, 21);
    a.load = bits(word, 20, 20);
    a.rn = uint8_t(rn);
    a.rt = uint8_t(bits(word, 15, 12));
    uint32_t offset = 0;
    if (bits(word, 27, 26) == 1) {                             // LDR, STR, LDRB, STRB (and the T forms)
        if (bits(word, 25, 25) && bits(word, 4, 4)) return a;  // media instructions
        a.kind = Access::Kind::single;
        a.size = bits(word, 22, 22) ? 1 : 4;
        offset = bits(word, 25, 25) ? scaled_register(word, r, cpu.cpsr() & psr::carry) : bits(word, 11, 0);
    } else if (bits(word, 27, 25) == 0 && bits(word, 7, 7) && bits(word, 4, 4) && bits(word, 6, 5)) {
        const unsigned sh = bits(word, 6, 5);  // extra load/store: LDRH STRH LDRSB LDRSH LDRD STRD
        offset = bits(word, 22, 22) ? bits(word, 11, 8) << 4 | bits(word, 3, 0) : r[bits(word, 3, 0)];
        if (!bits(word, 22, 22) && bits(word, 3, 0) == 15) return a;
        if (a.load) {
            a.kind = Access::Kind::single;
            a.size = sh == 2 ? 1 : 2;
            a.sign_extend = sh != 1;
        } else if (sh == 1) {
            a.kind = Access::Kind::single;
            a.size = 2;
        } else {
            if (a.rt % 2 || a.rt == 14) return a;  // LDRD/STRD need an even pair below pc
            a.kind = Access::Kind::dual;
            a.load = sh == 2;
        }
    } else if (bits(word, 27, 25) == 4) {                                        // LDM, STM
        if (bits(word, 22, 22) || bits(word, 15, 0) == 0 || rn == 15) return a;  // ^ forms trap elsewhere
        a.kind = Access::Kind::multiple;
        a.registers = uint16_t(bits(word, 15, 0));
        const uint32_t span = 4 * count_bits(a.registers);
        a.address = up ? base + (before ? 4 : 0) : base - span + (before ? 0 : 4);
        a.writeback = writeback;
        a.new_base = up ? base + span : base - span;
        return a;
    } else {
        return a;
    }
    const uint32_t indexed = up ? base + offset : base - offset;
    a.address = before ? indexed : base;
    a.writeback = !before || writeback;  // post-indexing always writes back
    a.new_base = indexed;
    if (a.writeback && rn == 15) a.kind = Access::Kind::none;  // UNPREDICTABLE: not emulated
    return a;
}

bool perform_access(Vcpu& cpu, const Access& a, Mmio_device& device)
{
    const bool swap = cpu.cpsr() & psr::big_endian;
    const uint32_t pc = cpu.r[15];
    // The registers transferred, lowest first: LDM/STM's list, LDRD/STRD's pair, or one.
    const unsigned first = a.kind == Access::Kind::multiple ? 0 : a.rt;
    const unsigned list = a.kind == Access::Kind::multiple ? a.registers
                          : a.kind == Access::Kind::dual   ? 3u << a.rt
                                                           : 1u << a.rt;
    if (a.kind == Access::Kind::none) return false;
    uint32_t values[16];
    uint32_t address = a.address;
    for (unsigned n = first, rest = list >> first; rest; ++n, rest >>= 1) {  // from rt, or r0 for LDM/STM
        if (!(rest & 1)) continue;
        if (a.load) {
            uint32_t value;
            if (!device.read(address, a.size, value)) return false;
            if (a.size < 4) value &= (1u << 8 * a.size) - 1;  // a model may answer with the whole register
            if (swap) value = swap_bytes(value, a.size);
            if (a.sign_extend) value = a.size == 1 ? uint32_t(int8_t(value)) : uint32_t(int16_t(value));
            values[n] = value;
        } else {
            const uint32_t mask = a.size == 4 ? ~0u : (1u << 8 * a.size) - 1;
            const uint32_t value = (n == 15 ? pc + 8 : cpu.r[n]) & mask;
            if (!device.write(address, a.size, swap ? swap_bytes(value, a.size) : value)) return false;
        }
        address += a.size;
    }
    cpu.r[15] = pc + 4;
    if (a.writeback) cpu.r[a.rn] = a.new_base;
    if (a.load)  // after the writeback: a loaded base register keeps the loaded value
        for (unsigned n = first, rest = list >> first; rest; ++n, rest >>= 1)
            if (rest & 1) load_register(cpu, n, values[n]);
    return true;
}

}  // namespace core
