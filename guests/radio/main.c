/* The radio: a real-time baseband simulator, GSM-like TDMA. Its own SP804 timer 0 interrupts it
 * at the start of every slot, every 577 us (GSM's slot is 576.9 us; here 8 slots make a frame of
 * 8 x 577 = 4616 us, GSM's 4.615 ms), and the handler processes the slot's burst before the slot
 * ends. Timer 1 of the same SP804 runs free at 1 MHz as the clock. The main loop only waits for
 * interrupt and, every REPORT_FRAMES frames (about 1 s), prints the statistics line the handler
 * left it; nothing on the per-slot path prints.
 *
 * Latency. Timer 0 counts down from its load value (SLOT_US: sp804.c) and reloads at expiry, so
 * its value read first thing in the handler tells how long ago the slot began:
 *     latency = SLOT_US - value          (us, from the expiry to the handler's first read)
 * QEMU's counter reads SLOT_US - 1 in the first microsecond after the reload, so the least
 * latency is 1 us. Its worst and mean are kept per report period (the periodic lines) and
 * overall (the last line).
 *
 * Work: RADIO_WORK passes over the slot's 156-symbol burst (made afresh each slot by a
 * scrambler seeded with the slot's number): hard decisions through GSM's rate-1/2 K=5
 * convolutional code and a CRC-16 over the coded bits. A pass is about 3,300 instructions, the
 * burst about 1,300 (ARM926, -Os). The CRCs fold into a checksum printed at the end: the same
 * slots served give the same value natively and under the monitor.
 *
 * Misses. A slot misses its deadline when, its work done, timer 0 has expired again (its
 * interrupt is pending) or the clock says the slot's 577 us are over. A slot whose interrupt
 * never came is a miss too: the SP804's interrupt is a level, so expiries that come before the
 * last one was cleared make one interrupt. An interrupt's expiry time on the clock is its entry
 * time plus its latency, so the time from one expiry to the next is a whole number of slots
 * (the first is counted from the moment timer 0 was started); rounded to the nearest (the two
 * timers are read a few instructions apart), it counts the slots since the previous interrupt,
 * and each one beyond the first was lost. Counting from the previous interrupt rather than the
 * first keeps a period a tick off 577 (a counter that also spends a tick at 0 before it
 * reloads) from adding up to false misses.
 *
 * The guard timer. Natively under QEMU 7.2 with -icount sleep=off a guest that waits for
 * interrupt would lose every other slot: when all CPUs are idle the clock jumps to the next
 * timer deadline, and timer 0's expiry there reloads it (timer_mod makes it the earliest
 * deadline again, which warps once more) before its callback raises the interrupt, so the CPU
 * wakes one period late (the tickers see the same: guests/README.md). Timer 2 (the second
 * SP804) runs with the same period half a slot out of phase, its line left disabled in the
 * controller, so that there is always an earlier deadline than timer 0's next one and the
 * clock stops at every expiry. It changes no figure the radio measures; RADIO_GUARD=0 leaves
 * it out (under the monitor it only costs the emulation of one more virtual timer).
 *
 * Builds: `radio` runs forever (the demo system's radio partition); `radio-check`
 * (RADIO_FRAMES=1000) and `radio-long` (10,000) stop their timers after that many frames and
 * print the latency's histogram (tools/hv bench charts it), then a last line with the misses,
 * the overall latency and the checksum, and idle with IRQs masked. The histogram counts the
 * slots served per whole microsecond of latency, ten microseconds a line (lines of none left
 * out: short lines, as the monitor's console passes them whole), HISTOGRAM_US and more on one:
 *     radio: latency histogram 0-9 us: 0 7990 6 0 0 0 0 0 0 4
 *     radio: latency histogram 60+ us: 2
 * The same binary runs natively and as a Cellvisor partition: under the monitor its UART,
 * timers and interrupt controller are emulated, and the monitor's own latency shows in the
 * latency figures (and, if it exceeds a slot, in the misses). Any interrupt not of timer 0 is a
 * stray: its line is disabled and the main loop prints one FAIL line, for the first. */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"
#include "sp804.h"

#define SLOT_TIMER 0  /* periodic, its interrupt enabled: a slot each */
#define CLOCK_TIMER 1 /* free-running, its interrupt disabled: microseconds */
#define GUARD_TIMER 2 /* periodic, its line disabled: see above */
#ifndef RADIO_GUARD
#define RADIO_GUARD 1
#endif
#define SLOT_US 577
#define SLOTS_PER_FRAME 8
#define REPORT_FRAMES 216 /* 216 x 4616 us: about 1 s */
#define REPORT_SLOTS (REPORT_FRAMES * SLOTS_PER_FRAME)
#define BURST_SYMBOLS 156 /* a GSM normal burst's bit periods (156.25) */
#ifdef RADIO_FRAMES
#define RUN_SLOTS (RADIO_FRAMES * SLOTS_PER_FRAME)
#endif
#ifndef RADIO_WORK
#define RADIO_WORK 2 /* passes over the burst per slot: about 8,000 instructions with the burst */
#endif

#define HISTOGRAM_US 60 /* buckets 0-59 us, then 60 us and more */

#define STRING(x) #x
#define DECIMAL(x) STRING(x)

struct latency {
    uint32_t max; /* us */
    uint64_t sum; /* us */
    uint32_t count;
};

static void latency_add(struct latency* stats, uint32_t latency)
{
    if (latency > stats->max) stats->max = latency;
    stats->sum += latency;
    ++stats->count;
}

static uint32_t latency_mean(const struct latency* stats)  // rounded to the nearest us
{
    return stats->count ? (uint32_t)((stats->sum + stats->count / 2) / stats->count) : 0;
}

/* The handler's state; the main loop reads it with IRQs masked. */
static uint32_t slots;           /* since timer 0 started, lost ones included */
static uint32_t previous_expiry; /* the clock at the last expiry served (first: timer 0's start) */
static uint32_t misses;          /* deadlines missed plus slots lost */
static uint32_t checksum;        /* of every slot's work */
static struct latency period;    /* since the last report */
static struct latency overall;
#ifdef RADIO_FRAMES
static uint32_t histogram[HISTOGRAM_US + 1]; /* slots served per us of latency; the last: more */
#endif
static uint32_t next_report = REPORT_SLOTS;
static struct {
    uint32_t frames, misses;
    struct latency latency;
} report; /* the last period's, published by counting reports */
static volatile uint32_t reports;
static volatile int finished; /* RADIO_FRAMES reached: timer 0 stopped */
static volatile uint32_t strays;
static int first_stray_line; /* -1: spurious */

static uint8_t burst[BURST_SYMBOLS]; /* soft symbols 0-255, bit 7 the hard decision */

/* The encoder's output for each 5-bit shift register state (bit 0 the newest input): bit 0
 * G0 = 1 + D^3 + D^4, bit 1 G1 = 1 + D + D^3 + D^4 (GSM 05.03's rate-1/2 code). */
static const uint8_t coded_bits[32] = {
    0, 3, 2, 1, 0, 3, 2, 1, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0, 3, 2, 1, 0, 3, 2, 1,
};

/* The slot's burst: a 16-bit Galois LFSR (x^16 + x^14 + x^13 + x^11 + 1) seeded with its number. */
static void receive_burst(uint32_t slot)
{
    uint32_t lfsr = slot % 0xffff + 1; /* never 0 */
    for (unsigned i = 0; i < BURST_SYMBOLS; ++i) {
        lfsr = lfsr >> 1 ^ (-(lfsr & 1) & 0xb400u);
        burst[i] = (uint8_t)lfsr;
    }
}

/* One pass: hard decisions through the encoder, CRC-16-CCITT (0x1021) over the coded bits. */
static uint32_t process_burst(uint32_t crc)
{
    uint32_t state = 0;
    for (unsigned i = 0; i < BURST_SYMBOLS; ++i) {
        state = (state << 1 | burst[i] >> 7) & 0x1f;
        const uint32_t bits = coded_bits[state];
        for (unsigned b = 0; b < 2; ++b) {
            const uint32_t feedback = (crc >> 15 ^ bits >> b) & 1;
            crc = (crc << 1 ^ (-feedback & 0x1021u)) & 0xffff;
        }
    }
    return crc;
}

static void serve_slot(uint32_t latency, uint32_t clock)
{
    const uint32_t expiry = clock + latency; /* counting down: the clock when the slot began */
    uint32_t elapsed = (previous_expiry - expiry + SLOT_US / 2) / SLOT_US;
    /* 0: the previous interrupt was counted a slot late. Natively without icount QEMU may take
     * it before its timer has reloaded, when the counter reads 0 (latency SLOT_US, a miss). */
#ifdef RADIO_FRAMES
    if (elapsed > RUN_SLOTS - slots) elapsed = RUN_SLOTS - slots; /* lost past the end: not counted */
#endif
    if (elapsed) misses += elapsed - 1;
    slots += elapsed;
    previous_expiry = expiry;
    latency_add(&period, latency);
    latency_add(&overall, latency);
#ifdef RADIO_FRAMES
    ++histogram[latency < HISTOGRAM_US ? latency : HISTOGRAM_US];
#endif

    receive_burst(slots);
    uint32_t crc = 0xffff;
    for (unsigned pass = 0; pass < RADIO_WORK; ++pass) crc = process_burst(crc);
    checksum = (checksum ^ crc) * 16777619u; /* FNV-1a's step */

    if (sp804_pending(SLOT_TIMER) || expiry - sp804_value(CLOCK_TIMER) >= SLOT_US) ++misses;

    if (slots >= next_report) {
        report.frames = next_report / SLOTS_PER_FRAME;
        report.misses = misses;
        report.latency = period;
        period.max = 0, period.sum = 0, period.count = 0; /* not = (struct latency){0}: no memset */
        next_report += REPORT_SLOTS;
        ++reports;
    }
#ifdef RADIO_FRAMES
    if (slots == RUN_SLOTS) {
        sp804_stop(SLOT_TIMER);
        finished = 1;
    }
#endif
}

void irq_handler(void)
{
    const uint32_t count = sp804_value(SLOT_TIMER); /* first: the latency */
    const uint32_t clock = sp804_value(CLOCK_TIMER);
    const int line = irq_acknowledge();
    if (line == (int)sp804_line(SLOT_TIMER) && sp804_pending(SLOT_TIMER)) {
        sp804_clear(SLOT_TIMER);
        serve_slot(SLOT_US - count, clock);
    } else {
        if (!strays++) first_stray_line = line;
        if (line >= 0 && line != (int)sp804_line(SLOT_TIMER)) irq_disable_line((unsigned)line);  // no storm
    }
    if (line >= 0) irq_end(line);
}

static void print_latency(const struct latency* stats)
{
    print(", latency max ");
    print_number(stats->max);
    print(" us, mean ");
    print_number(latency_mean(stats));
    print(" us");
}

/* Called and returns with IRQs masked; prints with them unmasked. */
static void print_report(void)
{
    const uint32_t frames = report.frames, missed = report.misses;
    const struct latency latency = report.latency;
    irq_unmask();
    print("radio: frames ");
    print_number(frames);
    print(", misses ");
    print_number(missed);
    print_latency(&latency);
    print("\n");
    irq_mask();
}

static void print_stray(void)
{
    const int line = first_stray_line;
    irq_unmask();
    if (line < 0) {
        print("radio: FAIL spurious interrupt\n");
    } else {
        print("radio: FAIL stray interrupt line ");
        print_number((uint32_t)line);
        print("\n");
    }
    irq_mask();
}

#ifdef RADIO_FRAMES
/* Timer 0 stopped; IRQs masked from here on. */
static void finish(void) __attribute__((noreturn));
static void finish(void)
{
    sp804_stop(CLOCK_TIMER);
#if RADIO_GUARD
    sp804_stop(GUARD_TIMER);
#endif
    irq_disable_line(sp804_line(SLOT_TIMER));
    for (unsigned first = 0; first < HISTOGRAM_US; first += 10) {
        uint32_t any = 0;
        for (unsigned us = first; us < first + 10; ++us) any |= histogram[us];
        if (!any) continue;
        print("radio: latency histogram ");
        print_number(first);
        put('-');
        print_number(first + 9);
        print(" us:");
        for (unsigned us = first; us < first + 10; ++us) {
            put(' ');
            print_number(histogram[us]);
        }
        put('\n');
    }
    if (histogram[HISTOGRAM_US]) {
        print("radio: latency histogram " DECIMAL(HISTOGRAM_US) "+ us: ");
        print_number(histogram[HISTOGRAM_US]);
        put('\n');
    }
    print("radio: done: " DECIMAL(RADIO_FRAMES) " frames, ");
    print_number(slots);
    print(" slots, misses ");
    print_number(misses);
    print_latency(&overall);
    print(", checksum ");
    print_hex(checksum);
    print("\n");
    for (;;) wait_for_interrupt();
}
#endif

int main(void)
{
    const unsigned line = sp804_line(SLOT_TIMER);
    print("radio: TDMA " DECIMAL(SLOTS_PER_FRAME) " x " DECIMAL(SLOT_US) " us slots, timer " DECIMAL(
        SLOT_TIMER) " on line ");
    print_number(line);
    print(", clock timer " DECIMAL(CLOCK_TIMER) "\n");
    irq_controller_init();
    irq_enable_line(line);
    sp804_start_free_running(CLOCK_TIMER);
    previous_expiry = sp804_value(CLOCK_TIMER);
    sp804_start_periodic(SLOT_TIMER, SLOT_US);
#if RADIO_GUARD
    while (sp804_value(SLOT_TIMER) > SLOT_US / 2) {}  // IRQs still masked
    sp804_start_periodic(GUARD_TIMER, SLOT_US);
#endif

    /* IRQs are masked (as the guest is entered) around the tests and unmasked only to take the
     * interrupt that woke the wait: none can come between the test and the wait. */
    uint32_t printed = 0;
    int stray_printed = 0;
    for (;;) {
        if (reports != printed) {
            printed = reports;
            print_report();
        } else if (strays && !stray_printed) {
            stray_printed = 1;
            print_stray();
#ifdef RADIO_FRAMES
        } else if (finished) {
            finish();
#endif
        } else {
            wait_for_interrupt();
            irq_unmask();
            irq_mask();
        }
    }
}
