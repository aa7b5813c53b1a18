// The status line (docs/interrupts.md): where the processor's time went since the last one,
// the monitor's own share counted on its 24 MHz counter from every trap's entry to its exit.
#include "arch/arm/state.hpp"

namespace arm {

uint32_t status_period;
uint64_t next_status = core::never;
uint64_t status_since;
uint32_t injections, switches, shadow_fills, shadow_flushes;

namespace {

uint32_t idle_reported;
// The monitor's own time, in counter ticks (entry.S sums every trap's into monitor_ticks, in
// sixteenths): per
// slot (each partition, then idle), what its traps took since the last status line.
uint32_t slot_ticks[max_partitions + 1];
uint32_t ticks_mark;  // how much of monitor_ticks slot_ticks hold

/// " NAME P.T%": `part` of `period` in percent, to a tenth (the host divides: %P).
void print_share(const char* name, uint32_t part, uint32_t period) { print(" %s %P%%", name, part, period); }

}  // namespace

/// The monitor's counts since the last time, to the slot (a partition, or idle) that had the
/// processor meanwhile: the scheduler charged that slot with them.
void charge_ticks()
{
    const uint32_t ticks = (monitor_ticks - ticks_mark) >> 4;  // whole ticks; the rest stays
    slot_ticks[current < 0 ? max_partitions : unsigned(current)] += ticks;
    ticks_mark += ticks << 4;
}

/// One line: where the processor's time went since the last one, the top-priority partition's
/// worst interrupt latency, and the monitor's event counts. The monitor's share is every
/// instruction its traps executed (entry.S counts them on the 24 MHz counter), taken out of the
/// share of whoever the scheduler charged them to.
void print_status(uint64_t t)
{
    constexpr uint32_t per_us = board::counter_hz / 1'000'000;
    const uint32_t period = per_us * uint32_t(t - status_since);
    uint32_t monitor = 0;
    const Partition* top = partitions[0];
    scheduler.account(t);  // the time since the last pick too (dispatch's pick follows at once)
    charge_ticks();
    print("status:");
    for (unsigned i = 0; i <= partition_count; ++i) {
        const bool idle = i == partition_count;
        uint32_t& reported = idle ? idle_reported : partitions[i]->reported_time;
        const uint32_t run = (idle ? scheduler.idle_time() : scheduler.run_time(i)) - reported;
        reported += run;
        uint32_t& ticks = slot_ticks[idle ? max_partitions : i];
        monitor += ticks;
        print_share(idle ? "idle" : partitions[i]->name, per_us * run > ticks ? per_us * run - ticks : 0,
                    period);
        ticks = 0;
        if (!idle && scheduler.priority(i) > scheduler.priority(top->index)) top = partitions[i];
    }
    print_share("monitor", monitor, period);
    // The monitor's time in microseconds: the host divides its counts (%Q).
    print(" (%Q us) | %s latency max %u us | %u traps, %u irqs, %u switches, %u shadow fills, %u flushes\n",
          monitor, per_us, top->name, top->worst_latency, traps, injections, switches, shadow_fills,
          shadow_flushes);
    for (unsigned i = 0; i < partition_count; ++i) partitions[i]->worst_latency = 0;
    traps = injections = switches = shadow_fills = shadow_flushes = 0;
    status_since = t;
    next_status = t + status_period;
}

}  // namespace arm
