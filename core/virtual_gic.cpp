#include "core/virtual_gic.hpp"

#include "core/divide.hpp"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "Virtual_gic::lane views the bitmaps as bytes");

namespace core {

namespace {
constexpr uint32_t priority_bits = 0xf8;  // a9mpcore.c: A9_GIC_NUM_PRIORITY_BITS 5 (gic_fullprio_mask)
constexpr uint8_t ack_control = 1 << 2, fiq_enable = 1 << 3, common_binary_point = 1 << 4;
constexpr unsigned hidden_group_1 = 1022;
}  // namespace

void Virtual_gic::reset(const uint32_t (&owned_ids)[3])
{
    // arm_gic_common_reset_hold: SGIs enabled and edge-triggered, everything else zero (as the
    // model already is) but GICC_ABPR (GIC_MIN_ABPR).
    for (unsigned i = 0; i < 3; ++i) bits_[owned][i] = owned_ids[i];
    bits_[owned][0] |= 0xffff;
    bits_[enabled][0] = bits_[edge][0] = 0xffff;
    cpu_[aliased_binary_point / 4] = 1;
}

void Virtual_gic::update(unsigned at, uint32_t set, uint32_t clear)
{
    uint8_t* const bytes = reinterpret_cast<uint8_t*>(bits_);
    const uint32_t mine = bytes[at & 15];  // the owned bitmap comes first
    bytes[at] = uint8_t((bytes[at] & ~(clear & mine)) | (set & mine));
}

void Virtual_gic::set_level(unsigned id, bool high)
{
    // gic_set_irq (revision 1: gic_set_irq_generic): a rising edge latches pending only on an
    // edge-triggered ID. A line that keeps its level changes nothing and keeps signal().
    if (id - 16 >= interrupt_count - 16) return;
    const unsigned word = id >> 5;
    const uint32_t bit = 1u << (id & 31) & bits_[owned][word];
    uint32_t& line = bits_[level][word];
    const uint32_t change = (high ? ~line : line) & bit;
    if (!change) return;
    line ^= change;
    bits_[pending][word] |= change & line & bits_[edge][word];  // rising only
    // A disabled or active ID is no candidate, whatever its line: best() and signal() hold.
    if (change & bits_[enabled][word] & ~bits_[active][word]) known_signal() = 0;
}

unsigned Virtual_gic::current_priority() const
{
    // gic_get_prio_from_apr_bits: the lowest set bit of both groups' active priorities.
    const uint32_t bits = active_priorities_[0] | active_priorities_[1];
    return bits ? 8 * lowest_bit(bits) : 0x100;
}

unsigned Virtual_gic::best() const
{
    if (known_signal()) return known_best() < interrupt_count ? known_best() : spurious;
    return best_now();
}

unsigned Virtual_gic::best_now() const
{
    // gic_update/gic_get_best_irq: the first ID of the lowest priority value among the enabled,
    // pending, inactive ones (every SPI targets the sole CPU), if below the priority mask.
    if (!(distributor_control_ & 3) || !(cpu_[cpu_control / 4] & 3)) return spurious;
    // Only the candidates are visited, lowest ID first (a tie keeps the first).
    unsigned id = spurious, priority = 0x100;
    for (unsigned word = 0; word < interrupt_count / 32; ++word)
        for (uint32_t candidates = pending_bits(word) & bits_[enabled][word] & ~bits_[active][word];
             candidates; candidates &= candidates - 1) {
            const unsigned n = 32 * word + lowest_bit(candidates);
            if (priority_[n] < priority) id = n, priority = priority_[n];
        }
    return priority < cpu_[priority_mask / 4] ? id : spurious;
}

unsigned Virtual_gic::highest_pending_id() const
{
    // gic_get_current_pending_irq, Secure access: group 1 shows as 1022 unless AckCtl is set.
    const unsigned id = best();
    return id != spurious && test(group, id) && !(cpu_[cpu_control / 4] & ack_control) ? hidden_group_1 : id;
}

unsigned Virtual_gic::signal() const
{
    unsigned kept = known_signal();
    if (!kept) {
        const unsigned id = best_now();
        known_best() = uint8_t(id);  // spurious: 0xff
        known_signal() = uint8_t(kept = 1 + signal_of(id));
    }
    return kept - 1;
}

unsigned Virtual_gic::signal_of(unsigned id) const
{
    // gic_update: above the running priority, its group enabled in both GICD_CTLR and GICC_CTLR;
    // group 0 goes to FIQ when FIQEn is set.
    if (id == spurious || priority_[id] >= current_priority()) return 0;
    const unsigned grp = test(group, id);
    if (!(distributor_control_ & cpu_[cpu_control / 4] & 1u << grp)) return 0;
    return !grp && cpu_[cpu_control / 4] & fiq_enable ? 2 : 1;
}

uint32_t Virtual_gic::take_interrupt()
{
    // gic_acknowledge_irq: activate (gic_activate_irq) and clear pending; a raised level line
    // stays pending. Nothing changes when nothing is taken.
    const unsigned id = highest_pending_id();
    if (id >= 1020) return id;
    if (priority_[id] >= current_priority()) return spurious;
    known_signal() = 0;
    const unsigned grp = test(group, id);
    // gic_get_group_priority: group 1 uses ABPR - 1 unless SBPR (CBPR) is set.
    const unsigned point = grp && !(cpu_[cpu_control / 4] & common_binary_point)
                               ? cpu_[aliased_binary_point / 4] - 1
                               : cpu_[binary_point / 4];
    active_priorities_[grp] |= 1u << ((priority_[id] & ~0u << (point + 1)) >> 3);
    assign(active, id, true);
    // gic_clear_pending_sgi: an SGI names its lowest source CPU and stays pending while others
    // remain.
    unsigned source = 0;
    bool last = true;
    if (id < 16) {
        uint8_t& sources = sgi_sources_[id];
        for (unsigned bits = sources; bits && !(bits & 1); bits >>= 1) ++source;
        sources &= sources - 1;
        last = !sources;
    }
    if (last) assign(pending, id, false);
    return id | source << 10;
}

void Virtual_gic::complete(unsigned id)
{
    // gic_complete_irq: ignored for IDs >= 96 or with nothing active; else drop the running
    // priority of the ID's group (gic_drop_prio) and deactivate the ID, whichever it is.
    if (id >= interrupt_count || !(active_priorities_[0] | active_priorities_[1])) return;
    uint32_t& bits = active_priorities_[test(group, id)];
    bits &= bits - 1;
    assign(active, id, false);
}

void Virtual_gic::raise_sgi(unsigned id, uint32_t sources)
{
    sgi_sources_[id] |= uint8_t(sources);
    assign(pending, id, true);
}

uint32_t Virtual_gic::distributor_byte(uint32_t offset, bool write, uint32_t value)
{
    // gic_dist_readb and gic_dist_writeb, Secure access: the byte at `offset` after a write of
    // `value` when `write`. Reserved and out-of-range offsets (bad_reg) read as zero and ignore
    // writes, and so do the read-only registers.
    static constexpr uint8_t low[12] = {0, 0, 0, 0, 0x02, 0x04, 0, 0, 0x3b, 0x04, 0, 0};  // TYPER, IIDR
    static constexpr uint8_t ids[12] = {0x04, 0, 0,    0,    0x90, 0xb3,
                                        0x1b, 0, 0x0d, 0xf0, 0x05, 0xb1};  // gic_id_gicv1
    const unsigned index = offset & 0x7f;
    if (offset < 12) {
        if (offset) return low[offset];
        if (write) distributor_control_ = value & 3;
        return distributor_control_;
    }
    if (offset - groups < 0x300 && index < 12) {
        // GICD_IGROUPR, IS/ICENABLER, IS/ICPENDR, ISACTIVER. SGIs: always enabled, pending only
        // through GICD_SGIR and GICD_SPENDSGIR; the active bits are read-only on GICv1.
        static constexpr uint8_t maps[7] = {0, group, enabled, enabled, pending, pending, active};
        const unsigned block = offset >> 7;
        const Map map = Map(maps[block]);
        if (write && block < 6 && (block == 1 || index >= 2))
            update(at(map, index), block == 3 || block == 5 ? 0 : value, block == 1 ? 0xff : value);
        return map == pending ? pending_bits(index >> 2) >> 8 * (index & 3) & 0xff : lane(at(map, index));
    }
    const unsigned id = offset - priorities;
    if (id < interrupt_count) {
        if (write && test(owned, id)) priority_[id] = value & priority_bits;
        return priority_[id];
    }
    if (offset - configuration < interrupt_count / 4) {
        // Bit 1 of each pair: edge-triggered; SGIs stay edge-triggered; the model bit is 11MPCore's.
        uint32_t pairs = 0;
        for (unsigned i = 0; i < 4; ++i) {
            const unsigned id = 4 * (offset - configuration) + i;
            if (write && id >= 16) assign(edge, id, value >> (2 * i + 1) & 1);
            pairs |= uint32_t(test(edge, id)) << (2 * i + 1);
        }
        return pairs;
    }
    if (offset - clear_sgi_pending < 32) {
        // GICD_CPENDSGIR clears sources, the SGI's pending bit with the last; GICD_SPENDSGIR adds
        // sources and sets the pending bit, even with none. An SGI with sources is pending.
        uint8_t& sources = sgi_sources_[offset & 15];
        if (write) {
            const bool set = offset >= set_sgi_pending;
            sources = uint8_t(set ? sources | value : sources & ~value);
            assign(pending, offset & 15, set || sources);
        }
        return sources;
    }
    if (offset - identification < 48 && !(offset & 3)) return ids[(offset - identification) >> 2];
    return 0;
}

bool Virtual_gic::distributor_access(uint32_t offset, unsigned size, uint32_t& value, bool write)
{
    if (write) {
        known_signal() = 0;  // whatever it writes
        if (size == 4 && offset == software_interrupt) {
            // gic_dist_writel: [25:24] filter (0: the list in [23:16], 1: all others, 2: self,
            // 3: QEMU sends to all), [3:0] the SGI. Only CPU 0 exists.
            if (((value >> 16 & 1) | 0xc) >> (value >> 24 & 3) & 1) raise_sgi(value & 15, 1);
            return true;
        }
    }
    // gic_dist_read and gic_dist_write: halfwords and words are bytes put together.
    uint32_t bytes = 0;
    for (unsigned i = size; i--;)
        bytes = bytes << 8 | distributor_byte(offset + i, write, value >> 8 * i & 0xff);
    if (!write) value = bytes;
    return true;
}

bool Virtual_gic::cpu_read(uint32_t offset, unsigned size, uint32_t& value)
{
    // gic_cpu_read, Secure access: the exact offset or nothing (an access narrower than the
    // register reads its low bytes, so a byte read of GICC_IAR still acknowledges).
    uint32_t v = offset == cpu_implementer ? 0x0001043b : 0;  // revision 1, Arm
    if (offset < 0x20 && !(offset & 3)) {
        switch (offset) {
        case acknowledge: v = take_interrupt(); break;
        case running_priority: v = current_priority(), v -= v >> 8; break;  // idle: 0xff
        case highest_pending: v = highest_pending_id(); break;
        default: v = cpu_[offset / 4]; break;  // GICC_EOIR reads as zero
        }
    }
    if (size < 4) v &= (1u << 8 * size) - 1;
    value = v;  // one store through the reference
    return true;
}

bool Virtual_gic::cpu_write(uint32_t offset, unsigned, uint32_t value)
{
    // gic_cpu_write, Secure access: GICC_CTLR_V1_S_MASK, 5 bits of GICC_PMR, GICC_BPR at least
    // GIC_MIN_BPR, GICC_ABPR at least GIC_MIN_ABPR; the rest is read-only or reserved.
    static constexpr uint8_t writable[8] = {0x1f, priority_bits, 7, 0, 0, 0, 0, 7};
    known_signal() = 0;
    if (offset == end_of_interrupt) complete(value & 0x3ff);
    if (offset < 0x20 && !(offset & 3)) cpu_[offset / 4] = uint8_t(value & writable[offset / 4]);
    if (!cpu_[aliased_binary_point / 4]) cpu_[aliased_binary_point / 4] = 1;  // MAX(value & 7, 1)
    return true;
}

}  // namespace core
