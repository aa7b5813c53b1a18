#include "core/cp15.hpp"

namespace core {

namespace {

enum Core_mask : uint8_t {
    arm926 = 1,
    arm1176 = 2,
    a9 = 4,
    all = 7,
    v6up = 6
};
enum Access : uint8_t {
    r1 = 1,
    w1 = 2,
    r0 = 4,
    w0 = 8,
    rw1 = r1 | w1
};
enum class Kind : uint8_t {
    field,      // read and write fields_[index]
    constant,   // read constants[index]
    id,         // read one of the captured identification registers (index: Id below)
    operation,  // write-only maintenance
};
constexpr uint8_t id_ccsidr = 15;  // a Kind::id index beside Cp15_id's: CCSIDR, by CSSELR

constexpr uint32_t constants[] = {0, 1u << 30};  // 1 << 30: "test and clean" done (Z set)

constexpr uint16_t key(unsigned opc1, unsigned crn, unsigned crm, unsigned opc2)
{
    return uint16_t(opc1 << 11 | crn << 7 | crm << 3 | opc2);
}

// A register as the monitor keeps it, packed in a word, so that the table costs four bytes a
// register: its key, who may access it, its kind and index, and the Cp15_effect bits a write
// raises, highest first, so that words sort by key.
constexpr unsigned key_shift = 18, access_shift = 14, kind_shift = 12, index_shift = 6;
constexpr uint32_t effect_bits = 0x3f;
static_assert(field_count <= 64 && effect_coprocessor_access <= effect_bits, "an entry's fields fit");
constexpr unsigned key_of(uint32_t entry) { return entry >> key_shift; }
constexpr Kind kind_of(uint32_t entry) { return Kind(entry >> kind_shift & 3); }
constexpr unsigned index_of(uint32_t entry) { return entry >> index_shift & 0x3f; }

// A register as the table below defines it: the entry, and the cores that have it.
struct Definition {
    uint8_t cores;
    uint32_t entry;
};

constexpr Definition define(uint16_t k, uint8_t cores, uint8_t access, Kind kind, uint8_t index,
                            uint16_t effect)
{
    return {cores, uint32_t(k) << key_shift | uint32_t(access) << access_shift |
                       uint32_t(kind) << kind_shift | uint32_t(index) << index_shift | effect};
}
constexpr Definition field(uint16_t k, uint8_t cores, uint8_t access, Cp15_field f, uint16_t effect = 0)
{
    return define(k, cores, access, Kind::field, uint8_t(f), effect);
}
constexpr Definition operation(uint16_t k, uint8_t cores, uint16_t effect = 0, uint8_t access = w1)
{
    return define(k, cores, access, Kind::operation, 0, effect);
}
constexpr Definition constant(uint16_t k, uint8_t cores, uint8_t value_index, uint8_t access = r1)
{
    return define(k, cores, access, Kind::constant, value_index, 0);
}
constexpr Definition id(uint16_t k, uint8_t cores, uint8_t i, uint8_t access = r1)
{
    return define(k, cores, access, Kind::id, uint8_t(i), 0);
}

constexpr uint16_t address_space = effect_address_space, domains = effect_domains;
constexpr uint16_t tlb_all = effect_tlb_all, tlb_address = effect_tlb_address, tlb_asid = effect_tlb_asid;

// CRn 0 with opc1 0 and CRm 0-7 is handled before the table (Cp15_ids::c0 and the RAZ space).
constexpr Definition table[] = {
    field(key(0, 1, 0, 0), all, rw1, field_sctlr, tlb_all),
    field(key(0, 1, 0, 1), v6up, rw1, field_actlr),
    field(key(0, 1, 0, 2), v6up, rw1, field_cpacr, effect_coprocessor_access),
    field(key(0, 1, 1, 0), v6up, rw1, field_scr),
    field(key(0, 1, 1, 1), v6up, rw1, field_sder),
    field(key(0, 1, 1, 2), v6up, rw1, field_nsacr),
    field(key(0, 2, 0, 0), all, rw1, field_ttbr0, address_space),
    field(key(0, 2, 0, 1), v6up, rw1, field_ttbr1, address_space),
    field(key(0, 2, 0, 2), v6up, rw1, field_ttbcr, address_space),
    field(key(0, 3, 0, 0), all, rw1, field_dacr, domains),
    field(key(0, 5, 0, 0), all, rw1, field_dfsr),
    field(key(0, 5, 0, 1), all, rw1, field_ifsr),
    field(key(0, 5, 1, 0), a9, rw1, field_adfsr),
    field(key(0, 5, 1, 1), a9, rw1, field_aifsr),
    field(key(0, 6, 0, 0), all, rw1, field_dfar),
    field(key(0, 6, 0, 1), arm1176, rw1, field_wfar),
    field(key(0, 6, 0, 2), v6up, rw1, field_ifar),
    operation(key(0, 7, 1, 0), a9),  // ICIALLUIS
    operation(key(0, 7, 1, 6), a9),  // BPIALLIS
    field(key(0, 7, 4, 0), a9, rw1, field_par),
    operation(key(0, 7, 5, 0), all),                // invalidate entire instruction cache
    operation(key(0, 7, 5, 1), all),                // by MVA
    operation(key(0, 7, 5, 2), arm926 | arm1176),   // by set/way
    operation(key(0, 7, 5, 4), v6up, 0, w1 | w0),   // flush prefetch buffer (CP15ISB)
    operation(key(0, 7, 5, 6), v6up),               // invalidate branch predictor
    operation(key(0, 7, 5, 7), v6up),               // by MVA
    operation(key(0, 7, 6, 0), arm926 | arm1176),   // invalidate entire data cache
    operation(key(0, 7, 6, 1), all),                // by MVA
    operation(key(0, 7, 6, 2), all),                // by set/way
    operation(key(0, 7, 7, 0), arm926 | arm1176),   // invalidate both caches
    operation(key(0, 7, 10, 0), arm1176),           // clean entire data cache
    operation(key(0, 7, 10, 1), all),               // clean by MVA
    operation(key(0, 7, 10, 2), all),               // clean by set/way
    constant(key(0, 7, 10, 3), arm926, 1),          // test and clean (read: Z when clean)
    operation(key(0, 7, 10, 4), arm926),            // drain write buffer: privileged only on ARMv5
    operation(key(0, 7, 10, 4), v6up, 0, w1 | w0),  // CP15DSB: User mode too
    operation(key(0, 7, 10, 5), v6up, 0, w1 | w0),  // data memory barrier (CP15DMB)
    operation(key(0, 7, 11, 1), a9),                // clean to point of unification by MVA
    operation(key(0, 7, 13, 1), arm926 | arm1176),  // prefetch instruction cache line
    operation(key(0, 7, 14, 0), arm1176),           // clean and invalidate entire data cache
    operation(key(0, 7, 14, 1), all),               // by MVA
    operation(key(0, 7, 14, 2), all),               // by set/way
    constant(key(0, 7, 14, 3), arm926, 1),          // test, clean and invalidate
    operation(key(0, 8, 3, 0), a9, tlb_all),        // TLBIALLIS
    operation(key(0, 8, 3, 1), a9, tlb_address),    // TLBIMVAIS
    operation(key(0, 8, 3, 2), a9, tlb_asid),       // TLBIASIDIS
    operation(key(0, 8, 3, 3), a9, tlb_address),    // TLBIMVAAIS
    operation(key(0, 8, 5, 0), all, tlb_all),       // instruction TLB
    operation(key(0, 8, 5, 1), all, tlb_address),
    operation(key(0, 8, 5, 2), v6up, tlb_asid),
    operation(key(0, 8, 6, 0), all, tlb_all),  // data TLB
    operation(key(0, 8, 6, 1), all, tlb_address),
    operation(key(0, 8, 6, 2), v6up, tlb_asid),
    operation(key(0, 8, 7, 0), all, tlb_all),  // unified TLB
    operation(key(0, 8, 7, 1), all, tlb_address),
    operation(key(0, 8, 7, 2), v6up, tlb_asid),
    operation(key(0, 8, 7, 3), a9, tlb_address),  // TLBIMVAA
    field(key(0, 9, 0, 0), arm926 | arm1176, rw1, field_dcache_lockdown),
    field(key(0, 9, 0, 1), arm926 | arm1176, rw1, field_icache_lockdown),
    field(key(0, 9, 12, 0), a9, rw1, field_pmcr),
    field(key(0, 9, 12, 1), a9, rw1, field_pmcntenset),
    field(key(0, 9, 12, 3), a9, rw1, field_pmovsr),
    field(key(0, 9, 12, 5), a9, rw1, field_pmselr),
    field(key(0, 9, 14, 0), a9, rw1 | r0, field_pmuserenr),
    field(key(0, 9, 14, 1), a9, rw1, field_pminten),
    field(key(0, 10, 0, 0), all, rw1, field_tlb_lockdown),
    field(key(0, 10, 2, 0), v6up, rw1, field_prrr, tlb_all),
    field(key(0, 10, 2, 1), v6up, rw1, field_nmrr, tlb_all),
    field(key(0, 12, 0, 0), v6up, rw1, field_vbar),
    field(key(0, 12, 0, 1), v6up, rw1, field_mvbar),
    constant(key(0, 12, 1, 0), a9, 0),  // ISR: reads 0 until virtual interrupts exist
    field(key(0, 13, 0, 0), all, rw1, field_fcseidr, tlb_all),
    field(key(0, 13, 0, 1), all, rw1, field_contextidr, address_space),
    field(key(0, 13, 0, 2), v6up, rw1 | r0 | w0, field_tpidrurw),
    field(key(0, 13, 0, 3), v6up, rw1 | r0, field_tpidruro),
    field(key(0, 13, 0, 4), v6up, rw1, field_tpidrprw),
    field(key(0, 15, 0, 0), a9, rw1, field_power_control),
    id(key(1, 0, 0, 0), a9, id_ccsidr),
    id(key(1, 0, 0, 1), a9, id_clidr),
    id(key(1, 0, 0, 7), a9, id_aidr),
    field(key(2, 0, 0, 0), a9, rw1, field_csselr),
    id(key(4, 15, 0, 0), a9, id_cbar),
    // The VFP's system registers: VMRS/VMSR (MRC/MCR p10, 7, Rt, CRn, c0, 0) on this key. A
    // write of an ID register is ignored (QEMU, both cores: probed).
    id(key(7, 0, 0, 0), v6up, id_fpsid, rw1),
    id(key(7, 6, 0, 0), v6up, id_mvfr1, rw1),
    id(key(7, 7, 0, 0), v6up, id_mvfr0, rw1),
    field(key(7, 8, 0, 0), v6up, rw1, field_fpexc, effect_coprocessor_access),
};

constexpr bool sorted()
{
    for (unsigned i = 1; i < sizeof table / sizeof *table; ++i)
        if (key_of(table[i - 1].entry) > key_of(table[i].entry) ||
            (key_of(table[i - 1].entry) == key_of(table[i].entry) && (table[i - 1].cores & table[i].cores)))
            return false;
    return true;
}
static_assert(sorted(), "the CP15 table must be sorted by key, a key once per core");

constexpr unsigned count(uint8_t core_bit)
{
    unsigned n = 0;
    for (const Definition& d : table) n += (d.cores & core_bit) != 0;
    return n;
}

// One core's entries, then an inaccessible sentinel with the highest key, so that a search
// always ends on an entry; and where each CRn's registers with opc1 0 start (the others, opc1
// above 0, follow them all: `first[16]`), so that a search looks at one CRn's few.
template <Cpu_core Core>
struct Core_table {
    static constexpr uint8_t core_bit = 1u << unsigned(Core);
    static constexpr unsigned size = count(core_bit);
    uint32_t entries[size + 1] = {};
    uint8_t first[18] = {};
    constexpr Core_table()
    {
        unsigned n = 0;
        for (const Definition& d : table)
            if (d.cores & core_bit) entries[n++] = d.entry;
        entries[n] = uint32_t(0x3fff) << key_shift;
        for (unsigned crn = 0, i = 0; crn < 17; ++crn) {
            while (i < size && key_of(entries[i]) < crn << 7) ++i;
            first[crn] = uint8_t(i);
        }
        first[17] = uint8_t(size);
    }
};
static_assert(sizeof table / sizeof *table < 256, "Core_table::first indexes a core's entries in a byte");

template <Cpu_core Core>
constexpr Core_table<Core> core_table;

// What each core has: read() and write() leave out what the core they emulate lacks (a
// constant in a monitor build). Bit n of `kinds` is Kind n, of `fields` Cp15_field n.
struct Presence {
    uint8_t kinds;
    uint64_t fields;
};
constexpr Presence presence_of(Cpu_core core)
{
    Presence presence{};
    for (const Definition& d : table)
        if (d.cores >> unsigned(core) & 1) {
            presence.kinds |= uint8_t(1u << unsigned(kind_of(d.entry)));
            if (kind_of(d.entry) == Kind::field) presence.fields |= uint64_t(1) << index_of(d.entry);
        }
    return presence;
}
constexpr Presence presence[] = {presence_of(Cpu_core::arm926), presence_of(Cpu_core::arm1176),
                                 presence_of(Cpu_core::cortex_a9)};
constexpr bool has(Cpu_core core, Kind kind) { return presence[unsigned(core)].kinds >> unsigned(kind) & 1; }
constexpr bool has(Cpu_core core, Cp15_field field) { return presence[unsigned(core)].fields >> field & 1; }

template <Cpu_core Core>
uint32_t search(uint16_t k)
{
    constexpr const Core_table<Core>& t = core_table<Core>;
    const unsigned group = k >> 11 ? 16 : k >> 7;  // opc1 0: its CRn; else the rest
    unsigned low = t.first[group], high = t.first[group + 1];
    while (low < high) {
        const unsigned middle = (low + high) / 2;
        if (key_of(t.entries[middle]) < k)
            low = middle + 1;
        else
            high = middle;
    }
    return key_of(t.entries[low]) == k ? t.entries[low] : 0;
}

// The entry of the register with key `k` on `core`, or 0, which grants no access.
uint32_t find(uint16_t k, Cpu_core core)
{
    switch (core) {
    case Cpu_core::arm926: return search<Cpu_core::arm926>(k);
    case Cpu_core::arm1176: return search<Cpu_core::arm1176>(k);
    default: return search<Cpu_core::cortex_a9>(k);
    }
}

}  // namespace

void Virtual_cp15::reset(Cpu_core core, const Cp15_ids& ids)
{
    core_ = core;
    ids_ = ids;
    effects = 0;
    effect_address = 0;
    memo_register_ = none;
    __builtin_memcpy(fields_, ids.reset, sizeof fields_);
}

uint32_t Virtual_cp15::entry(uint32_t word)
{
    const uint32_t register_bits = word & register_mask;
    if (register_bits != memo_register_) {
        memo_register_ = register_bits;
        // opc1 (bits 23-21), CRn (19-16), CRm (3-0) and opc2 (7-5) where key() puts them.
        memo_entry_ =
            find(uint16_t((word >> 10 & 0x3800) | (word >> 9 & 0x780) | (word & 15) << 3 | (word >> 5 & 7)),
                 core());
    }
    return memo_entry_;
}

[[gnu::noinline]] bool Virtual_cp15::move(uint32_t word, bool privileged, uint32_t& value)
{
    if ((word & 0x00e00000) == 0x00e00000)
        return false;  // opc1 7: the table's keys are the VFP's (reaches())
    place_ = nullptr;
    const bool done = word >> 20 & 1 ? read(word, privileged, value) : write(word, privileged, value);
    if (done && privileged && place_) shortcut = {word, place_};
    return done;
}

namespace {

/// Coprocessor 15 (opc1 7 is not CP15's), or the VFP's system registers (VMRS, VMSR: coprocessor
/// 10, opc1 7, CRm 0, opc2 0) while CPACR grants coprocessor 10, on the table's opc1 7 keys.
bool reaches(const Instruction& in, uint32_t cpacr)
{
    const bool opc1_7 = (in.word & 0x00e00000) == 0x00e00000;
    if (in.coprocessor() == 15) return !opc1_7;
    return in.coprocessor() == 10 && opc1_7 && !(in.word & 0xef) && (cpacr & 3u << 20);
}

}  // namespace

bool Virtual_cp15::move(const Instruction& in, bool privileged, uint32_t& value)
{
    if (!reaches(in, fields_[field_cpacr])) return false;
    return in.to_core() ? read(in.word, privileged, value) : write(in.word, privileged, value);
}

[[gnu::noinline]] bool Virtual_cp15::read(uint32_t word, bool privileged, uint32_t& value)
{
    const unsigned crm = word & 15, opc2 = word >> 5 & 7;
    if (!(word & 0x00ef0000)) {  // opc1 0, CRn 0
        if (!privileged) return false;
        if (crm == 0 || (crm < 3 && core() != Cpu_core::arm926)) {
            place_ = &ids_.c0[crm][opc2];
            value = *place_;
            return true;
        }
        value = 0;  // ARMv6/v7: the rest of the ID space reads as zero
        return core() != Cpu_core::arm926;
    }
    if ((word >> 16 & 15) == 15 && core() != Cpu_core::cortex_a9) {  // CRn 15
        value = 0;  // QEMU's ARM926 and ARM1176: all of c15 reads as zero (conformance check 73)
        return privileged;
    }
    const uint32_t entry = this->entry(word);
    if (!(entry >> access_shift & (privileged ? r1 : r0))) return false;  // operations are write-only
    const unsigned index = index_of(entry);
    const Kind kind = kind_of(entry);
    if (kind == Kind::constant && has(core(), Kind::constant))
        value = constants[index];
    else if (kind == Kind::id && has(core(), Kind::id))
        value = index == id_ccsidr ? ids_.ccsidr[fields_[field_csselr] & 1] : ids_.id[index];
    else
        value = *(place_ = &fields_[index]);
    return true;
}

[[gnu::noinline]] bool Virtual_cp15::write(uint32_t word, bool privileged, uint32_t value)
{
    if ((word >> 16 & 15) == 15 && core() != Cpu_core::cortex_a9)
        return privileged;  // CRn 15: ignored, as in QEMU
    const uint32_t entry = this->entry(word);
    if (!(entry >> access_shift & (privileged ? w1 : w0)))
        return false;  // constants and IDs are read-only (the VFP's IDs ignore writes)
    const unsigned index = index_of(entry);
    if (kind_of(entry) == Kind::field) {
        // Architectural, so not probed: VBAR/MVBAR[4:0] RES0; CSSELR is Level[3:1] and InD[0].
        const auto is = [&](Cp15_field field) { return index == field && has(core(), field); };
        if (is(field_vbar) || is(field_mvbar)) value &= ~0x1fu;
        if (is(field_csselr)) value &= 0xf;
        effect_address = fields_[index];
        fields_[index] = (value & ~ids_.fixed[index]) | (effect_address & ids_.fixed[index]);
    } else if (entry & (tlb_address | tlb_asid)) {
        effect_address = value;
    }
    effects |= entry & effect_bits;
    return true;
}

uint32_t Virtual_cp15::vector_base() const
{
    if (fields_[field_sctlr] >> 13 & 1) return 0xffff0000;
    return core() == Cpu_core::arm926 ? 0 : fields_[field_vbar];
}

}  // namespace core
