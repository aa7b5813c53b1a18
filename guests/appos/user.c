/* The application OS's user tasks: everything here runs in User mode and is linked into the
 * user area (appos.ld.in), the one megabyte User mode may touch; the kernel, the UART and the
 * timers are privileged-only, so the tasks only compute and make system calls. Nothing here
 * may call into the kernel's megabyte: no libgcc helpers (no division), no library calls. */
#include "appos.h"

#define SYSTEM_CALL(number, argument)                                                                        \
    ({                                                                                                       \
        register uint32_t r0 __asm__("r0") = (argument);                                                     \
        __asm__ volatile("svc %1" : "+r"(r0) : "i"(number) : "memory");                                      \
        r0;                                                                                                  \
    })

volatile struct Counters counters;

/* One work unit, a fixed computation on its number alone: 64 words of xorshift, an insertion
 * sort (loads, stores, compares, branches), then a fold of the sorted words. */
#define UNIT_WORDS 64
static uint32_t work_unit(uint32_t number)
{
    uint32_t words[UNIT_WORDS], x = number * 0x9e3779b9u + 0x2545f491u;
    for (int i = 0; i < UNIT_WORDS; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        words[i] = x;
    }
    for (int i = 1; i < UNIT_WORDS; ++i) {
        const uint32_t key = words[i];
        int j = i;
        for (; j > 0 && words[j - 1] > key; --j) words[j] = words[j - 1];
        words[j] = key;
    }
    uint32_t sum = number;
    for (int i = 0; i < UNIT_WORDS; ++i) sum = (sum << 5 | sum >> 27) ^ (words[i] + (uint32_t)i);
    return sum;
}

static void bench(void)
{
    uint32_t checksum = 0;
    for (uint32_t unit = 0;; ++unit) {
        const uint32_t result = work_unit(unit);
        if (unit < CHECKSUM_UNITS)
            counters.bench_checksum = checksum = (checksum << 1 | checksum >> 31) ^ result;
        counters.bench_units = unit + 1;
    }
}

static void io(void)
{
    for (;;) {
        (void)SYSTEM_CALL(SYS_GET_TICKS, 0);
        counters.io_calls++;
        (void)SYSTEM_CALL(SYS_YIELD, 0);
        counters.io_calls++;
    }
}

#ifndef APPOS_BENCH_SECONDS
static char* append(char* out, const char* text)
{
    while (*text) *out++ = *text++;
    return out;
}

/* Decimal without division: User mode cannot reach libgcc's, in the kernel's megabyte. */
static char* append_number(char* out, uint32_t n)
{
    static const uint32_t powers[] = {1000000000, 100000000, 10000000, 1000000, 100000,
                                      10000,      1000,      100,      10,      1};
    int started = 0;
    for (unsigned i = 0; i < sizeof powers / sizeof powers[0]; ++i) {
        char digit = '0';
        while (n >= powers[i]) n -= powers[i], ++digit;
        if (digit != '0' || started || powers[i] == 1) *out++ = digit, started = 1;
    }
    return out;
}

/* Every second of ticks, what bench and io did during it: one write, one line. */
static void report(void)
{
    uint32_t units = 0, calls = 0;
    for (uint32_t second = 1;; ++second) {
        (void)SYSTEM_CALL(SYS_SLEEP_UNTIL, second * TICKS_PER_SECOND);
        const uint32_t now_units = counters.bench_units, now_calls = counters.io_calls;
        char line[96];
        char* end = append(line, GUEST_NAME ": t=");
        end = append_number(end, second);
        end = append(end, "s bench ");
        end = append_number(end, now_units - units);
        end = append(end, " units, io ");
        end = append_number(end, now_calls - calls);
        end = append(end, " syscalls\n");
        *end = 0;
        (void)SYSTEM_CALL(SYS_WRITE, (uint32_t)line);
        units = now_units;
        calls = now_calls;
    }
}
#endif

#define STACK_WORDS 128 /* 1 KiB, 8-byte aligned */
static uint64_t stacks[TASK_COUNT][STACK_WORDS];

const struct Task_image task_images[TASK_COUNT] = {
    [TASK_BENCH] = {bench, stacks[TASK_BENCH] + STACK_WORDS},
    [TASK_IO] = {io, stacks[TASK_IO] + STACK_WORDS},
#ifndef APPOS_BENCH_SECONDS
    [TASK_REPORT] = {report, stacks[TASK_REPORT] + STACK_WORDS},
#endif
};
