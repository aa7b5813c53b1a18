// The Cortex-A9 private timer and watchdog (in timer mode) a guest sees on vexpress-a9, emulated
// on the monitor's clock: register by register what QEMU's model (hw/timer/arm_mptimer.c,
// QEMU 7.2) gives a guest. They count PERIPHCLK, 100 MHz on QEMU's vexpress-a9, divided by
// the prescaler + 1; the monitor's clock has microsecond resolution, so a counter read advances
// in steps of 100 / (prescaler + 1) ticks. Offsets: Cortex-A9 MPCore TRM (DDI 0407) 4.1.
#pragma once
#include <stdint.h>

#include "core/virtual_sp804.hpp"

namespace core {

/// Not an Mmio_device: the private region's model (the board's) decodes its accesses and calls
/// it directly, which saves the vtable.
/// Made zeroed, as Virtual_gic is (`{}`, or a member of a value-initialised whole, as a
/// partition's board is): its fields without an initialiser start at zero, with no clearing.
class Virtual_twd {
public:
    enum Register : uint32_t {
        load = 0x00,      // Private Timer Load / Watchdog Load
        counter = 0x04,   // Counter
        control = 0x08,   // Control: [15:8] prescaler, [2] IT enable, [1] auto-reload, [0] enable
        status = 0x0c,    // Interrupt Status: [0] event flag, write 1 to clear
        watchdog = 0x20,  // the watchdog's registers follow the timer's
    };
    static constexpr uint32_t ticks_per_microsecond = 100;

    /// A new model is in QEMU's reset state; it keeps time on `clock`.
    void attach(Clock& clock) { clock_ = &clock; }
    /// Offsets within the 0x40 bytes of the timer and watchdog.
    bool read(uint32_t address, unsigned size, uint32_t& value);
    bool write(uint32_t address, unsigned size, uint32_t value);

    /// Brings both up to `microseconds` on the clock (read once by the caller): an expiry sets
    /// its event flag.
    void advance(uint64_t microseconds);
    void advance() { advance(clock_->now()); }
    /// The timer's (0) or the watchdog's (1) interrupt.
    bool level(unsigned which) const
    {
        return timers_[which].status && (timers_[which].control & control_interrupt);
    }
    uint64_t next_event() const;
    /// For the board: its lines and next event may have moved since the board last looked.
    /// Every register write sets it, and so does an expiry a register read brought (one that
    /// advance() brings the board asked for).
    bool stale;

private:
    static constexpr uint32_t control_enable = 1u << 0, control_reload = 1u << 1, control_interrupt = 1u << 2;
    struct Timer {
        uint32_t load, control, count;
        bool status, running;
        uint64_t deadline;  // running: when the counter reaches zero, in PERIPHCLK ticks since boot

        uint32_t divisor() const { return (control >> 8 & 0xff) + 1; }
        bool advance(uint64_t now);            // true: it expired (set its event flag)
        uint32_t current(uint64_t now) const;  // once brought up to `now`
        void run(uint64_t now);
    };
    uint64_t now() { return clock_->now() * ticks_per_microsecond; }
    /// The timer or the watchdog at `offset`, brought up to now(), read into `time`.
    Timer& current(uint32_t offset, uint64_t& time);

    Clock* clock_;
    Timer timers_[2];
};

}  // namespace core
