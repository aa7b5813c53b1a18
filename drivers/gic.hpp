// ARM Generic Interrupt Controller v1 as in the Cortex-A9 MPCore: distributor and CPU
// interface, every interrupt routed to CPU 0. Offsets: GIC architecture spec (IHI 0048B) 4.1.
#pragma once
#include "core/registers.hpp"
#include "drivers/mmio.hpp"

namespace drivers {

// The registers it drives, from the map it shares with the model (core/registers.hpp).
enum class Gic_distributor_register : uintptr_t {
    control = core::gic::distributor_control,
    type = core::gic::controller_type,  // ITLinesNumber in [4:0]
    set_enable = core::gic::set_enable,
    clear_enable = core::gic::clear_enable,
    set_pending = core::gic::set_pending,
    clear_pending = core::gic::clear_pending,
    priority = core::gic::priorities,  // a byte per interrupt
    targets = core::gic::targets,      // a byte per interrupt
};

enum class Gic_cpu_register : uintptr_t {
    control = core::gic::cpu_control,
    priority_mask = core::gic::priority_mask,
    acknowledge = core::gic::acknowledge,
    end = core::gic::end_of_interrupt,
};

template <typename Access = Hardware_access>
class Gic {
public:
    static constexpr uint32_t spurious = 1023;
    static constexpr uint32_t default_priority = 0xa0a0a0a0;  // mid-range, below the mask
    static constexpr uint32_t all_to_cpu0 = 0x01010101;
    static constexpr uint32_t mask_lowest = 0xf0;  // let every priority above 0xf0 in

    constexpr Gic(uintptr_t distributor, uintptr_t cpu_interface)
        : distributor_(distributor), cpu_(cpu_interface)
    {
    }

    void init() const
    {
        distributor_.write(Gic_distributor_register::control, 0);
        const unsigned words = (distributor_.read(Gic_distributor_register::type) & 0x1f) + 1;
        for (unsigned n = 0; n < words; ++n) {
            distributor_.write(Gic_distributor_register::clear_enable, n, ~0u);
            distributor_.write(Gic_distributor_register::clear_pending, n, ~0u);
        }
        for (unsigned n = 0; n < words * 8; ++n) {
            distributor_.write(Gic_distributor_register::priority, n, default_priority);
            // GICD_ITARGETSR0-7 (SGIs, PPIs) are read-only; SPIs start at word 8.
            if (n >= 8) distributor_.write(Gic_distributor_register::targets, n, all_to_cpu0);
        }
        distributor_.write(Gic_distributor_register::control, 1);
        cpu_.write(Gic_cpu_register::priority_mask, mask_lowest);
        cpu_.write(Gic_cpu_register::control, 1);
    }
    void enable(unsigned id) const
    {
        distributor_.write(Gic_distributor_register::set_enable, id / 32, 1u << id % 32);
    }
    void disable(unsigned id) const
    {
        distributor_.write(Gic_distributor_register::clear_enable, id / 32, 1u << id % 32);
    }

    /// Whether a level-sensitive interrupt that is not active is asserted, enabled or not: such
    /// an interrupt reads as pending in GICD_ISPENDRn while its line is high (IHI 0048B 3.2.4).
    bool asserted(unsigned id) const
    {
        return distributor_.read(Gic_distributor_register::set_pending, id / 32) >> id % 32 & 1;
    }

    /// Reads GICC_IAR, which makes the interrupt active: the caller must end() it.
    int acknowledge() const
    {
        const uint32_t id = cpu_.read(Gic_cpu_register::acknowledge) & 0x3ff;
        return id >= 1020 ? no_interrupt : int(id);
    }
    /// GICC_EOIR; the CPU-ID field is 0 since only CPU 0 raises SGIs here.
    void end(int id) const { cpu_.write(Gic_cpu_register::end, uint32_t(id)); }

private:
    Mmio<Gic_distributor_register, Access> distributor_;
    Mmio<Gic_cpu_register, Access> cpu_;
};

}  // namespace drivers
