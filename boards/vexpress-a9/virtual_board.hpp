// What a partition sees of vexpress-a9 emulated on the monitor, each as its configuration
// chooses: the GIC (distributor, and
// the CPU interface in the Cortex-A9's private region with the private timer and watchdog; the
// SCU reads as QEMU's for one CPU), both SP804 dual timers on monitor time, UART0
// multiplexed onto the monitor's console, and the motherboard's system registers and SP810 (the
// partition's own power-off and reboot). docs/interrupts.md.
#pragma once
#include "core/virtual_gic.hpp"
#include "core/virtual_pl011.hpp"
#include "core/virtual_sp804.hpp"
#include "core/virtual_twd.hpp"
#include "core/virtual_v2m.hpp"

namespace board {

/// Made zeroed, as its GIC is (`{}`, or a member of a value-initialised whole, as in a
/// partition): its fields without an initialiser start at zero, with no clearing.
class Virtual_board {
public:
    static constexpr uint32_t private_region = 0x1e000000;  // SCU, GIC CPU interface, timers
    static constexpr uint32_t distributor = 0x1e001000;
    static constexpr uint32_t timers[2] = {0x10011000, 0x10012000};
    static constexpr unsigned timer_lines[2] = {34, 35};
    static constexpr uint32_t uart = 0x10009000;
    static constexpr uint32_t system_registers = 0x10000000, sp810 = 0x10001000;
    static constexpr unsigned uart_line = 37;
    static constexpr unsigned private_timer_line = 29, watchdog_line = 30;  // PPIs

    /// A new board is in its reset state; this connects it to the monitor. `emulated`: the
    /// devices the partition sees (bit n: the n-th of device()'s); `lines`: the interrupt IDs of
    /// its passed-through devices (core/package.hpp).
    void attach(core::Clock& clock, core::Line_console& console, uint32_t emulated,
                const uint32_t (&lines)[3])
    {
        const uint32_t owned[3] = {0xffff | 1u << private_timer_line | 1u << watchdog_line,
                                   lines[1] | 1u << (timer_lines[0] - 32) | 1u << (timer_lines[1] - 32) |
                                       1u << (uart_line - 32),
                                   lines[2]};
        private_.gic.reset(owned);
        for (core::Virtual_sp804& t : timers_) t.attach(clock);
        private_.twd.attach(clock);
        uart_.attach(console);
        v2m_.attach(clock);
        emulated_ = emulated;
    }

    /// The model behind a guest-physical page, or nullptr: the private region and the GIC
    /// distributor (0), the timers (1, 2), the UART (3), the system registers (4) and the SP810
    /// (5), those the partition sees.
    core::Mmio_device* device(uint32_t page)
    {
        core::Mmio_device* model;
        unsigned n;
        switch (page) {
        case private_region: model = &private_, n = 0; break;
        case distributor: model = &private_.gic, n = 0; break;
        case timers[0]: model = &timers_[0], n = 1; break;
        case timers[1]: model = &timers_[1], n = 2; break;
        case uart: model = &uart_, n = 3; break;
        case system_registers: model = &v2m_, n = 4; break;
        case sp810: model = &core::zero_device, n = 5; break;  // QEMU does not model it
        default: return nullptr;
        }
        return emulated_ >> n & 1 ? model : nullptr;
    }
    /// A passed-through device's line, as the monitor last saw it.
    void set_line(unsigned id, bool high) { private_.gic.set_level(id, high); }

    /// Brings the board up to the clock: every timer block whose next interrupt has come (one
    /// clock reading; before that, bringing a block up to the clock changes nothing a line, the
    /// next event or a register shows, and an access brings it up first), and what
    /// after_access() does. For a timer event, and whenever the monitor does not know what
    /// changed.
    void update() { bring_up(timers_[0].clock().now()); }
    /// Brings the GIC's lines up to the models an emulated access (or received input) may have
    /// moved; each flags itself (core::Virtual_sp804::stale and the others). No clock reading:
    /// an interrupt the clock has reached meanwhile comes with the timer event, which the
    /// monitor takes before the guest runs on.
    void after_access() { bring_up(0); }
    /// The controller's outputs to the virtual CPU: bit 0 IRQ, bit 1 FIQ (kept by the GIC).
    unsigned outputs() const { return private_.gic.signal(); }
    /// Where 1 + outputs() is kept while it holds, 0 when to be computed (entry.S reads it).
    static constexpr unsigned outputs_known_offset();
    /// When a timer will next raise an interrupt, or core::never (as of the last update() or
    /// after_access()).
    uint64_t next_event() const { return event_; }
    core::Virtual_pl011& console() { return uart_; }
    /// The partition's own power-off or reboot (core::Virtual_v2m::Function), asked for by the
    /// access the model refused; 0 before any.
    uint32_t request() const { return v2m_.request(); }

private:
    /// The models flagged stale, and the timer blocks whose next event `now` has reached
    /// (brought up to it), set their lines; each block's next event is kept, computed again
    /// only for a block brought up. The GIC keeps its own outputs.
    void bring_up(uint64_t now)
    {
        core::Virtual_twd& twd = private_.twd;
        if (now < event_ && !(uart_.stale | twd.stale | timers_[0].stale | timers_[1].stale)) return;
        if (uart_.stale) {
            uart_.stale = false;
            private_.gic.set_level(uart_line, uart_.level());
        }
        if (twd.stale || events_[0] <= now) {
            twd.stale = false;
            twd.advance(now);
            private_.gic.set_level(private_timer_line, twd.level(0));
            private_.gic.set_level(watchdog_line, twd.level(1));
            events_[0] = twd.next_event();  // a 64-bit division while it runs
        }
        uint64_t next = events_[0];
        for (unsigned i = 0; i < 2; ++i) {
            core::Virtual_sp804& t = timers_[i];
            if (t.stale || events_[1 + i] <= now) {
                t.stale = false;
                t.advance(now);
                private_.gic.set_level(timer_lines[0] + i, t.level());
                events_[1 + i] = t.next_event();
            }
            if (events_[1 + i] < next) next = events_[1 + i];
        }
        event_ = next;
    }

    /// The Cortex-A9 private memory region's first page (QEMU hw/cpu/a9mpcore.c): the SCU, the
    /// GIC CPU interface, the private timer and watchdog. The GIC is the model of the second,
    /// the distributor's. Each sees only the offset within its page: a guest maps the two pages
    /// where it likes.
    class Private_region final : public core::Mmio_device {
    public:
        bool read(uint32_t address, unsigned size, uint32_t& value) override
        {
            const uint32_t offset = address & 0xfff;
            if (offset - cpu_interface < 0x100) return gic.cpu_read(offset - cpu_interface, size, value);
            if (offset - timers < 0x40) return twd.read(offset - timers, size, value);
            // a9_scu_read: the control register; the configuration says one CPU.
            value = offset == scu_control ? scu_control_ : offset == scu_configuration ? 0x10 : 0;
            return true;
        }
        bool write(uint32_t address, unsigned size, uint32_t value) override
        {
            const uint32_t offset = address & 0xfff;
            if (offset - cpu_interface < 0x100) return gic.cpu_write(offset - cpu_interface, size, value);
            if (offset - timers < 0x40) return twd.write(offset - timers, size, value);
            if (offset == scu_control) scu_control_ = value & 1;
            return true;
        }
        core::Virtual_gic gic;
        core::Virtual_twd twd;

    private:
        static constexpr uint32_t scu_control = 0x00, scu_configuration = 0x04;
        static constexpr uint32_t cpu_interface = 0x100, timers = 0x600;
        uint32_t scu_control_;
    };

    // In the order that gives the smallest image (what update() looks at first).
    core::Virtual_pl011 uart_;
    uint64_t event_;      // next_event(): the earliest of events_
    uint64_t events_[3];  // the private timers', then each SP804 block's next_event()
    core::Virtual_sp804 timers_[2];
    Private_region private_;  // and in it the GIC
    core::Virtual_v2m v2m_;
    uint32_t emulated_;
    friend struct Board_test;
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr unsigned Virtual_board::outputs_known_offset()
{
    return __builtin_offsetof(Virtual_board, private_) + __builtin_offsetof(Private_region, gic) +
           core::Virtual_gic::signal_known_offset();
}
#pragma GCC diagnostic pop

}  // namespace board
