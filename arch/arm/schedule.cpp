// Who runs (docs/interrupts.md): the partitions' interrupts and devices brought up to the
// clock, the scheduler's pick, the virtual interrupt taken, the event timer programmed; the
// console's input and its focus key.
#include "arch/arm/state.hpp"

namespace arm {

constexpr uint32_t idle_cpsr = PSR_MODE_SVC | PSR_F;  // the monitor's idle loop, IRQs open
constexpr char focus_key = 0x1d;                      // Ctrl-]: the "switch profile" button

Partition* partitions[max_partitions];
unsigned partition_count;
int current = -1;
core::Scheduler scheduler;
int focus;
// Typed input waiting for room in the focused partition's receive FIFO. The physical UART is
// always drained, so the focus key is seen whatever the partition does with its input.
namespace {
char typed[64];
uint8_t typed_first;
int exit_status;
Exception_frame idle_frame;  // the monitor's idle loop, entered afresh

class Monitor_clock final : public core::Clock {
public:
    uint64_t now() override { return arm::now(); }
};
constinit Monitor_clock clock;
}  // namespace
uint8_t held;
uint64_t armed;
uint32_t masked[3];
core::Clock& monitor_clock = clock;

// ---- register state: the vectors save a partition's registers into its vCPU (entry.S) ----

/// The partition's vCPU as the frame the vectors restore: in User mode with IRQs open to the
/// monitor, whatever the virtual masks say.
Exception_frame* resume(Partition& p)
{
    p.cpu.hardware_cpsr = (p.cpu.cpsr() & core::Vcpu::live_bits) | PSR_MODE_USR | PSR_F;
    return &frame_of(p.cpu);
}

/// Mirrors the guest's alignment checking (SCTLR.A, and SCTLR.U on ARMv6) into the real

void stop(Partition& p, int status, unsigned how)
{
    p.console.flush();
    print("%s: %[exited with|powered off,|rebooted (restarting is not supported yet),] status %d\n", p.name,
          how, status);
    scheduler.set_state(p.index, State::stopped);
    if (status && !exit_status) exit_status = status;
    for (unsigned i = 0; i < partition_count; ++i)
        if (scheduler.state(i) != State::stopped) return;
    print("all partitions have stopped\n");
    halt(exit_status);
}

/// Moves held input into the partition's receive FIFO as far as it takes it.
void feed_input(Partition& p)
{
    for (; held && !p.board.console().full(); --held, typed_first = (typed_first + 1) % sizeof typed)
        p.board.console().receive(typed[typed_first]);
}

/// The interrupt the guest's core takes now: FIQ before IRQ, when not masked; else reset (none).
core::Exception deliverable(const Partition& p)
{
    const uint32_t cpsr = p.cpu.cpsr(), outputs = p.board.outputs();
    if ((outputs & 2) && !(cpsr & core::psr::fiq_mask)) return core::Exception::fiq;
    if ((outputs & 1) && !(cpsr & core::psr::irq_mask)) return core::Exception::irq;
    return core::Exception::reset;
}

namespace {

/// The guest's pending interrupt, taken as its core would.
void deliver(Partition& p, uint64_t t)
{
    const core::Exception kind = deliverable(p);
    if (kind == core::Exception::reset) return;
    reflect(p, kind);
    ++injections;
    if (p.raised && uint32_t(t) + 1 - p.raised > p.worst_latency)
        p.worst_latency = uint32_t(t) + 1 - p.raised;
    p.raised = 0;
}

}  // namespace

namespace {

/// The partition a line is passed through to, or nullptr.
Partition* owner(unsigned line)
{
    for (unsigned i = 0; i < partition_count; ++i)
        if (partitions[i]->lines[line / 32] >> line % 32 & 1) return partitions[i];
    return nullptr;
}

}  // namespace

/// Unmasks the passed-through lines whose devices have let go of them. Out of line: the trap
/// path pays only for the test of `masked`.
[[gnu::noinline]] void lower_lines()
{
    for (unsigned w = first_word; w < 3; ++w)
        for (uint32_t lines = masked[w]; lines; lines &= lines - 1) {
            const unsigned line = 32 * w + core::lowest_bit(lines);
            if (interrupt_asserted(line)) continue;
            masked[w] &= ~(1u << line % 32);
            owner(line)->board.set_line(line, false);
            enable_interrupt(line);
        }
}

/// Brings the partition's devices up to the clock; a pending interrupt, raised at `since`,
/// makes it runnable.
void refresh(Partition& p, uint64_t since)
{
    p.board.update();
    p.timer_event = p.board.next_event();
    if (!p.board.outputs()) return;
    if (!p.raised) p.raised = uint32_t(since) + 1;  // 0 means "not timed"
    if (scheduler.state(p.index) == State::waiting) scheduler.set_state(p.index, State::runnable);
}

/// Runs whoever the scheduler picks and programs the event timer for the next moment that can
/// change the choice (core::Scheduler::wake_time: a scheduler event, the status line, or a
/// device interrupt of a partition that could take the processor).
Exception_frame* dispatch()
{
    const uint64_t t = now();
    for (unsigned i = 0; i < partition_count; ++i)
        if (partitions[i]->timer_event <= t) refresh(*partitions[i], partitions[i]->timer_event);
    const int next = scheduler.pick(t);  // charges the time up to t to whoever had the processor
    charge_ticks();
    if (next != current) ++switches;
    current = next;
    Exception_frame* frame = &idle_frame;
    if (next < 0) {
        idle_frame.pc = uint32_t(uintptr_t(&monitor_idle));  // ARM code: entry.S
        idle_frame.cpsr = idle_cpsr;
    } else {
        Partition& p = *partitions[next];
        deliver(p, t);
        switch_to(next);
        frame = guest_frame = resume(p);
    }
    const uint64_t wanted = scheduler.wake_time(
        next, [](unsigned i) { return partitions[i]->timer_event; }, next_status);
    if (wanted != armed) {
        armed = wanted;
        set_event(wanted);
    }
    return frame;
}

void partition_event()
{
    const uint64_t t = now();
    if (t >= next_status) print_status(t);
    armed = 0;  // fired: whatever comes next is programmed anew (dispatch follows)
}

void console_input()
{
    for (char c; console_read(c);) {
        if (c == focus_key && partition_count) {  // what the old focus did not take is dropped
            held = 0;
            focus = unsigned(focus + 1) < partition_count ? focus + 1 : 0;
            print("focus: %s\n", partitions[focus]->name);
        } else if (held < sizeof typed) {  // else dropped: a partition that never reads loses its input
            typed[(typed_first + held++) % sizeof typed] = c;
        }
    }
    if (!partition_count) return;
    Partition& p = *partitions[focus];
    feed_input(p);
    refresh(p, now());
}

bool route_interrupt(unsigned line)
{
    Partition* p = line < 96 ? owner(line) : nullptr;
    if (!p) return false;
    masked[line / 32] |= 1u << line % 32;
    p->board.set_line(line, true);
    refresh(*p, now());
    return true;
}

}  // namespace arm
