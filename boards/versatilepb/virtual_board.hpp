// What a partition sees of versatilepb emulated on the monitor: the primary PL190 VIC with the
// partition's own lines, the secondary controller (SIC, none of whose lines a partition owns: it
// reads as zero), both SP804 dual timers on monitor time, and UART0 multiplexed onto the
// monitor's console, each as its configuration chooses. docs/interrupts.md, docs/configuration.md.
#pragma once
#include "core/virtual_pl011.hpp"
#include "core/virtual_sp804.hpp"
#include "core/virtual_vic.hpp"

namespace board {

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

    /// Brings the VIC's lines up to the models: the UART's (a guest's access or received input
    /// may have moved it), a timer block's once the guest wrote it, and both blocks' once the
    /// clock has reached the earliest interrupt one will raise by itself (before that, bringing
    /// a timer up to the clock changes nothing a line, the next event or a register shows: an
    /// access brings it up first). One clock reading; nothing else when nothing changed. The
    /// VIC keeps its own outputs.
    void update()
    {
        const uint64_t now = timers_[0].clock().now();  // the models' clock
        if (now >= event_) timers_[0].stale = timers_[1].stale = true;
        vic_.set_level(uart_line, uart_.level());
        if (!(timers_[0].stale | timers_[1].stale)) return;
        for (unsigned i = 0; i < 2; ++i) {
            core::Virtual_sp804& t = timers_[i];
            if (t.stale) {
                t.stale = false;
                t.advance(now);
                vic_.set_level(timer_lines[0] + i, t.level());
            }
        }
        const uint64_t a = timers_[0].next_event(), b = timers_[1].next_event();
        event_ = a < b ? a : b;
    }
    /// The controller's outputs to the virtual CPU: bit 0 IRQ, bit 1 FIQ (kept by the VIC).
    unsigned outputs() const { return vic_.outputs(); }
    /// When a timer will next raise an interrupt, or core::never (as of the last update(); 0
    /// before the first).
    uint64_t next_event() const { return event_; }
    core::Virtual_pl011& console() { return uart_; }

private:
    // In the order that gives the smallest image (what update() looks at first).
    uint64_t event_ = 0;  // next_event()
    core::Virtual_sp804 timers_[2];
    core::Virtual_pl011 uart_;
    core::Virtual_vic vic_{owned_lines};
    core::Zero_device sic_;
    uint32_t emulated_ = 0;
    friend struct Board_test;
};

}  // namespace board
