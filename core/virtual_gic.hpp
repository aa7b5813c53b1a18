// The GIC a guest sees on vexpress-a9: register by register what QEMU's model of the Cortex-A9
// MPCore's interrupt controller (hw/intc/arm_gic.c, arm_gic_common.c, hw/cpu/a9mpcore.c, QEMU
// 7.2) gives a guest natively, for the interrupt IDs the guest owns. That GIC is revision 1 (GIC
// architecture v1) with one CPU interface, 96 IDs and 5 implemented priority bits, and it has the
// Security Extensions: vexpress defaults to `secure=on`, so the A9 has EL3 and a9mp_priv_realize
// sets has-security-extensions. A guest booted natively runs in the Secure state, so every access
// here is a Secure one: interrupt groups, GICD_CTLR.EnableGrp1, GICC_CTLR.AckCtl/FIQEn/SBPR and
// GICC_ABPR all work. IDs the guest does not own never assert, read as zero and ignore writes in
// every per-ID register; SGIs (0-15) are always its own (it has one virtual CPU).
// Offsets: GIC architecture specification v1.0/v2.0 (IHI 0048B) 4.1, 4.3.
#pragma once
#include <stdint.h>

#include "core/access.hpp"
#include "core/registers.hpp"

namespace core {

/// The model of the distributor's page itself (its read and write); the CPU interface's
/// registers are the private region's to route (cpu_read, cpu_write).
class Virtual_gic final : public Mmio_device {
public:
    static constexpr unsigned interrupt_count = 96;
    static constexpr unsigned spurious = 1023;

    // The maps the driver shares (core/registers.hpp).
    using Distributor_register = gic::Distributor_register;
    using enum gic::Distributor_register;
    using Cpu_register = gic::Cpu_register;
    using enum gic::Cpu_register;

    /// The reset state QEMU gives, with the IDs the guest owns (bit n of owned[n / 32]), for a
    /// new model zeroed as it is made (`Virtual_gic gic{}`, or a member of a value-initialised
    /// whole, as a partition's board is): it costs no constructor and no clearing.
    void reset(const uint32_t (&owned)[3]);
    /// A device line's level (PPI 16-31 or SPI 32-95; lines are level-sensitive as QEMU wires
    /// them); ignored for IDs not owned.
    void set_level(unsigned id, bool high);
    /// The CPU interface's IRQ and FIQ outputs to the virtual CPU, as gic_update computes them
    /// (FIQ: a group 0 interrupt while GICC_CTLR.FIQEn is set).
    bool irq() const { return signal() == 1; }
    bool fiq() const { return signal() == 2; }
    /// Both outputs at once: 0 none, 1 IRQ, 2 FIQ. Asked on every return to the guest, so
    /// kept: computed again only after something it depends on may have changed (a register
    /// write, an acknowledge that took an interrupt, a line that changed level on an enabled,
    /// inactive ID).
    unsigned signal() const;
    /// The same, computed from the state now (what signal() keeps; for tests).
    unsigned compute_signal() const { return signal_of(best_now()); }
    /// Whether signal() holds its value (no recomputation until the state changes; for tests).
    bool signal_known() const { return known_signal() != 0; }
    /// Where known_signal() is kept: entry.S reads it.
    static constexpr unsigned signal_known_offset();
    /// Accesses at byte `offset` within the distributor (0x000-0xfff) or the CPU interface
    /// (0x00-0xff) of `size` 1, 2 or 4 bytes; a write's `value` holds only the bytes written
    /// (perform_access masks it), a read answers only `size` bytes. QEMU's GIC never signals a
    /// bus error for these (gic_dist_read/write fail only other sizes, gic_cpu_read/write never
    /// fail): always true.
    bool distributor_read(uint32_t offset, unsigned size, uint32_t& value)
    {
        return distributor_access(offset, size, value, false);
    }
    bool distributor_write(uint32_t offset, unsigned size, uint32_t value)
    {
        return distributor_access(offset, size, value, true);
    }
    /// One path for both: the bytes at `offset` read into `value`, or written from it.
    bool distributor_access(uint32_t offset, unsigned size, uint32_t& value, bool write);
    bool cpu_read(uint32_t offset, unsigned size, uint32_t& value);
    bool cpu_write(uint32_t offset, unsigned size, uint32_t value);
    /// The distributor's page: `address` is the guest's, of which only the offset in the page
    /// counts (a guest may map the page anywhere).
    bool read(uint32_t address, unsigned size, uint32_t& value) override
    {
        return distributor_read(address & 0xfff, size, value);
    }
    bool write(uint32_t address, unsigned size, uint32_t value) override
    {
        return distributor_write(address & 0xfff, size, value);
    }

    /// The ID GICC_HPPIR shows (QEMU's current_pending; 1022: a group 1 ID hidden by AckCtl = 0).
    unsigned highest_pending_id() const;
    /// The running priority (0x100 when idle), from the active priorities.
    [[gnu::noinline]] unsigned current_priority() const;  // out of line: three callers

private:
    enum Map {
        owned,
        enabled,
        pending,
        active,
        level,
        edge,
        group,
        maps
    };

    // The bitmaps as bytes (they are little-endian words): byte `index` of `map`, IDs 8 * index
    // to 8 * index + 7, is at 16 * map + index.
    static constexpr unsigned at(Map map, unsigned index) { return 16 * map + index; }
    uint8_t lane(unsigned at) const { return reinterpret_cast<const uint8_t*>(bits_)[at]; }
    bool test(Map map, unsigned id) const { return lane(at(map, id >> 3)) >> (id & 7) & 1; }
    /// In the bitmap byte `at`, the bits the guest owns in `clear` go, then those in `set` come.
    void update(unsigned at, uint32_t set, uint32_t clear);
    void assign(Map map, unsigned id, bool on) { update(at(map, id >> 3), on << (id & 7), 1u << (id & 7)); }
    /// gic_test_pending: a level-sensitive ID is pending while its line is high.
    uint32_t pending_bits(unsigned word) const
    {
        return bits_[pending][word] | (bits_[level][word] & ~bits_[edge][word]);
    }
    /// gic_get_best_irq's choice as signal() last computed it while that holds (everything it
    /// depends on changes signal()'s too), else best_now().
    unsigned best() const;
    unsigned best_now() const;
    /// signal() when `id` is best().
    unsigned signal_of(unsigned id) const;
    uint32_t distributor_byte(uint32_t offset, bool write, uint32_t value);
    uint32_t take_interrupt();
    void raise_sgi(unsigned id, uint32_t sources);
    void complete(unsigned id);

    // The byte-wide registers first, where a byte's short load reaches (32 bytes), then the maps.
    uint8_t distributor_control_;
    /// The CPU interface registers that hold a value, by offset / 4: GICC_CTLR, GICC_PMR,
    /// GICC_BPR (reset: GIC_MIN_BPR), GICC_ABPR (GIC_MIN_ABPR); the others stay zero.
    uint8_t cpu_[8];
    uint32_t bits_[maps][4];  // 96 bits each, padded to 16 bytes to make `at` a shift
    /// signal()'s value + 1 while it holds, 0 (as reset leaves it) to be computed. It lives in
    /// the owned map's padding (byte 12), which the short loads and stores reach (a member
    /// after the maps costs 12 bytes of the vexpress-a9 image).
    uint8_t& known_signal() const
    {
        return const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(bits_))[12];
    }
    /// best() while signal() holds, its low byte (0xff: spurious), in byte 13.
    uint8_t& known_best() const { return const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(bits_))[13]; }
    /// Active priorities (GICC_APR, GICC_NSAPR) of groups 0 and 1: bit n = group priority 8n,
    /// enough for the 5 priority bits the A9's GIC implements.
    uint32_t active_priorities_[2];
    uint8_t priority_[interrupt_count];
    uint8_t sgi_sources_[16];  // GICD_SPENDSGIR: the CPUs an SGI is pending from
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr unsigned Virtual_gic::signal_known_offset() { return __builtin_offsetof(Virtual_gic, bits_) + 12; }
#pragma GCC diagnostic pop

}  // namespace core
