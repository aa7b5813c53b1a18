// What a partition sees of versatilepb emulated on the monitor: the primary PL190 VIC with the
// partition's own lines, the secondary controller (SIC, none of whose lines a partition owns: it
// reads as zero), both SP804 dual timers on monitor time, and UART0 multiplexed onto the
// monitor's console, each as its configuration chooses. docs/interrupts.md, docs/configuration.md.
#pragma once
#include "core/virtual_pl011.hpp"
#include "core/virtual_sp804.hpp"
#include "core/virtual_vic.hpp"

namespace board {

/// Made zeroed, as the models are (`{}`, or a member of a value-initialised whole, as in a
/// partition): its fields without an initialiser start at zero, with no clearing.
class Virtual_board {
public:
    static constexpr uint32_t vic = 0x10140000;
    static constexpr uint32_t secondary_controller = 0x10003000;  // SIC
    static constexpr uint32_t timers[2] = {0x101e2000, 0x101e3000};
    static constexpr unsigned timer_lines[2] = {4, 5};
    static constexpr uint32_t uart = 0x101f1000;
    static constexpr unsigned uart_line = 12;
    static constexpr uint32_t owned_lines = 1u << timer_lines[0] | 1u << timer_lines[1] | 1u << uart_line;

    /// A new board is in its reset state; this connects it to the monitor. `emulated`: the
    /// devices the partition sees (bit n: the n-th of device()'s); `lines`: the controller's
    /// lines of its passed-through devices (core/package.hpp).
    void attach(core::Clock& clock, core::Line_console& console, uint32_t emulated,
                const uint32_t (&lines)[3])
    {
        for (core::Virtual_sp804& t : timers_) t.attach(clock);
        uart_.attach(console);
        vic_.own(lines[0]);
        emulated_ = emulated;
    }

    /// The model behind a guest-physical page, or nullptr: the controllers (0, 1), the timers
    /// (2, 3), the UART (4), those the partition sees.
    core::Mmio_device* device(uint32_t page)
    {
        core::Mmio_device* model;
        unsigned n;
        switch (page) {
        case vic: model = &vic_, n = 0; break;
        case secondary_controller: model = &sic_, n = 1; break;
        case timers[0]: model = &timers_[0], n = 2; break;
        case timers[1]: model = &timers_[1], n = 3; break;
        case uart: model = &uart_, n = 4; break;
        default: return nullptr;
        }
        return emulated_ >> n & 1 ? model : nullptr;
    }
    /// A passed-through device's line, as the monitor last saw it.
    void set_line(unsigned line, bool high) { vic_.set_level(line, high); }

    /// Brings the board up to the clock: every timer block whose next interrupt has come (one
    /// clock reading; before that, bringing a block up to the clock changes nothing a line, the
    /// next event or a register shows, and an access brings it up first), and what
    /// after_access() does. For a timer event, and whenever the monitor does not know what
    /// changed.
    void update() { bring_up(timers_[0].clock().now()); }
    /// Brings the VIC's lines up to the models an emulated access (or received input) may have
    /// moved; each flags itself (core::Virtual_sp804::stale and the UART's). No clock reading:
    /// an interrupt the clock has reached meanwhile comes with the timer event, which the
    /// monitor takes before the guest runs on.
    void after_access() { bring_up(0); }
    /// The controller's outputs to the virtual CPU: bit 0 IRQ, bit 1 FIQ (kept by the VIC).
    unsigned outputs() const { return vic_.outputs(); }
    /// Where 1 + outputs() is kept while it holds, 0 when to be computed (entry.S reads it).
    static constexpr unsigned outputs_known_offset();
    /// When a timer will next raise an interrupt, or core::never (as of the last update() or
    /// after_access()).
    uint64_t next_event() const { return event_; }
    core::Virtual_pl011& console() { return uart_; }
    /// The partition's own power-off or reboot: none on this board (its system controller is
    /// not the partitions').
    static constexpr uint32_t request() { return 0; }

private:
    /// The models flagged stale, and the timer blocks whose next event `now` has reached
    /// (brought up to it), set their lines; each block's next event is kept, computed again
    /// only for a block brought up. The VIC keeps its own outputs.
    void bring_up(uint64_t now)
    {
        if (now < event_ && !(uart_.stale | timers_[0].stale | timers_[1].stale)) return;
        if (uart_.stale) {
            uart_.stale = false;
            vic_.set_level(uart_line, uart_.level());
        }
        for (unsigned i = 0; i < 2; ++i) {
            core::Virtual_sp804& t = timers_[i];
            const bool due = events_[i] <= now;  // else stale: its accesses brought it up
            if (t.stale || due) {
                t.stale = false;
                if (due) t.advance(now);
                vic_.set_level(timer_lines[0] + i, t.level());
                events_[i] = t.next_event();
            }
        }
        event_ = events_[0] < events_[1] ? events_[0] : events_[1];
    }

    // What update() and after_access() look at first, where short offsets reach it.
    uint64_t event_;      // next_event(): the earlier of events_
    uint64_t events_[2];  // each SP804 block's next_event()
    core::Virtual_sp804 timers_[2];
    core::Virtual_pl011 uart_;
    core::Virtual_vic vic_{owned_lines};
    core::Zero_device sic_;
    uint32_t emulated_;
    friend struct Board_test;
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
constexpr unsigned Virtual_board::outputs_known_offset()
{
    return __builtin_offsetof(Virtual_board, vic_) + core::Virtual_vic::outputs_known_offset();
}
#pragma GCC diagnostic pop

}  // namespace board
