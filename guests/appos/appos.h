/* The application OS's one interface between its kernel (kernel.c, entry.S: privileged, in the
 * first megabyte) and its user tasks (user.c: User mode, in the second): the system calls, the
 * tasks the user side provides and the counters it keeps, which the kernel reads for the
 * benchmark. */
#ifndef APPOS_H
#define APPOS_H
#include <stdint.h>

/* `svc #N`, arguments in r0-r3, the result in r0; every other register is preserved. */
enum System_call {
    SYS_WRITE = 1,   /* r0: a NUL-terminated string in the user area; returns its length */
    SYS_YIELD,       /* the rest of this tick to the next runnable task */
    SYS_GET_TICKS,   /* returns the 1 ms ticks since the tasks started */
    SYS_SLEEP_UNTIL, /* r0: a tick; blocks until then */
    SYS_EXIT,        /* the task ends */
    SYS_COUNT
};

#define TICKS_PER_SECOND 1000 /* SP804 timer 0 interrupts every 1 ms */

enum Task_id {
    TASK_BENCH, /* CPU-bound: work units */
    TASK_IO,    /* system calls in a loop */
#ifndef APPOS_BENCH_SECONDS
    TASK_REPORT, /* a line a second; the benchmark build's kernel reports instead */
#endif
    TASK_COUNT
};

struct Task_image {
    void (*entry)(void);
    void* stack_top;
};
extern const struct Task_image task_images[TASK_COUNT];

/* The checksum folds the results of the first CHECKSUM_UNITS units: it does not depend on
 * how many units a run completes. */
#define CHECKSUM_UNITS 256
struct Counters {
    uint32_t bench_units, bench_checksum, io_calls;
};
extern volatile struct Counters counters;

#endif
