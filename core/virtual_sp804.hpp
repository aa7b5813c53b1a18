// The SP804 dual timer a guest sees, emulated on the monitor's clock: register by register what
// QEMU's model (hw/timer/arm_timer.c on ptimer's legacy policy, QEMU 7.2) gives a guest, with
// time taken from a monotonic microsecond clock (both boards clock their SP804s at 1 MHz), so a
// guest's time never runs ahead of real time and never goes backwards.
// Offsets: SP804 TRM (DDI 0271) 3.2.
#pragma once
#include <stdint.h>

#include "core/access.hpp"
#include "core/registers.hpp"

namespace core {

/// Monotonic time in microseconds since the monitor started.
class Clock {
public:
    virtual uint64_t now() = 0;

protected:
    ~Clock() = default;
};

inline constexpr uint64_t never = ~uint64_t(0);

/// Made zeroed, as Virtual_gic is (`{}`, or a member of a value-initialised whole, as a
/// partition's board is): its fields without an initialiser start at zero, with no clearing.
class Virtual_sp804 final : public Mmio_device {
public:
    using Register = sp804::Register;  // the map the driver shares (core/registers.hpp)
    using enum sp804::Register;
    static constexpr uint32_t control_one_shot = sp804::control_one_shot;
    static constexpr uint32_t control_32bit = sp804::control_32bit;
    static constexpr uint32_t control_interrupt = sp804::control_interrupt;
    static constexpr uint32_t control_periodic = sp804::control_periodic;
    static constexpr uint32_t control_enable = sp804::control_enable;

    /// A new model is in QEMU's reset state; it keeps time on `clock`.
    void attach(Clock& clock) { clock_ = &clock; }
    Clock& clock() const { return *clock_; }
    bool read(uint32_t address, unsigned size, uint32_t& value) override;
    bool write(uint32_t address, unsigned size, uint32_t value) override;

    /// Brings both timers up to `now` (the clock's time, read once by the caller): an expiry
    /// raises its interrupt.
    void advance(uint64_t now);
    void advance() { advance(clock_->now()); }
    /// TIMINTC: either timer's masked interrupt.
    bool level() const;
    /// When an interrupt that is not raised yet will be, or `never`.
    uint64_t next_event() const;
    /// For the board: its line and next event may have moved since the board last looked.
    /// Every register write sets it, and so does an expiry a register read brought (one that
    /// advance() brings the board asked for).
    bool stale;

private:
    struct Timer {
        uint32_t control = control_interrupt;  // QEMU's reset value
        uint32_t limit;                        // TimerXLoad / TimerXBGLoad
        uint32_t count;                        // the counter while stopped
        bool raw, running;
        uint64_t deadline;  // running: when the counter reaches zero
        uint64_t period;    // duration(reload()): kept, as Load, BGLoad and Control set it

        /// The prescaler, as a power of two: 1, 16, 256, and QEMU's 1 for the reserved 3 (a
        /// nibble of 0x0840 by TimerXControl[3:2]).
        unsigned shift() const { return 0x0840u >> (control & 0xc) & 0xf; }
        uint64_t duration(uint32_t ticks) const;  // of `ticks` counts, in microseconds
        uint32_t reload() const;                  // what the counter restarts from
        bool advance(uint64_t now);               // true: it expired (raised its raw interrupt)
        uint32_t counter(uint64_t now) const;     // once brought up to `now`
        void start(uint64_t now);                 // from `count`
    };
    /// The timer at `offset` (below 2 * second_timer), brought up to the clock, read into `now`.
    Timer& current(uint32_t offset, uint64_t& now);

    Clock* clock_;
    Timer timers_[2];
};

}  // namespace core
