/* appos: a small application OS, the `work` and `home` partitions of the demo and, built with
 * APPOS_BENCH_SECONDS, the `appos-bench` benchmark. One source for the three cores.
 *
 * Memory. Its own first-level translation table maps, identity, the first megabyte of RAM
 * (vectors, kernel code, data, stacks and the tables: privileged-only, AP = 01) and the second
 * (the user area, appos.ld.in: the tasks' code, data and stacks, AP = 11), normal memory, and
 * the pages of its UART0, SP804 block 0 and interrupt controller through coarse second-level
 * tables: privileged-only device pages, execute-never on ARMv6/v7. All in domain 0, a client
 * (DACR = 1), so permissions are checked. The ARMv5 format on the ARM926 (bit 4 set), the
 * ARMv6 format on the ARM1176 (SCTLR.XP = 1) and the Cortex-A9: the descriptors of v6 and v7
 * are the same. Caches stay off.
 *
 * Tasks. bench, io and report (user.c) run in User mode, preempted round robin by SP804 timer
 * 0 every 1 ms; timer 1 runs free as a microsecond clock (appos-bench times its phases with
 * it). The context switch is entry.S's: the whole User context lives in struct Task. System
 * calls are `svc #N` (appos.h). A task's undefined instruction or abort kills that task only
 * (a FAIL line says which; a task that returns faults at pc 0); one in the kernel, an FIQ or
 * an unused vector prints a FAIL line and stops the guest, as does the last task ending:
 * through semihosting SYS_EXIT (status 1) where it is enabled, else it sleeps.
 *
 *     work: app OS up: MMU on, 3 user tasks, 1 ms tick
 *     work: t=1s bench 1234 units, io 2001 syscalls          (each second: what it did then)
 *
 * appos-bench runs bench alone for half of APPOS_BENCH_SECONDS of ticks, then io alone for the
 * other half, and exits through semihosting with status 0 after one line; the counts depend
 * on the speed of the machine, the checksum (of the first CHECKSUM_UNITS units) does not:
 *
 *     appos-bench: bench N units in 1000 ms (U us), io M syscalls in 1000 ms (U us), checksum 0x...
 *
 * (U: the phase on timer 1, in microseconds; ticks lost by a loaded host make it longer.) */
#include <stddef.h>
#include <stdint.h>

#include "appos.h"
#include "console.h"
#include "interrupts.h"
#include "sp804.h"

#define TICK_TIMER 0
#define CLOCK_TIMER 1

/* ---- memory ---- */

#define SECTION 0x2u
#define PAGE_TABLE 0x1u
#define AP_KERNEL (1u << 10) /* AP = 01: privileged read-write, User no access */
#define AP_USER (3u << 10)   /* AP = 11: read-write for both */
#define NORMAL (3u << 2)     /* C, B (TEX 000): write-back; inert while SCTLR.C is clear */
#if __ARM_ARCH == 5
#define FORMAT_BIT4 (1u << 4)           /* ARMv5: must be 1 in sections and page tables */
#define DEVICE_PAGE (0x55u << 4 | 0x2u) /* small page, AP = 01 in its 4 subpages, C B = 00 */
#else
#define FORMAT_BIT4 0u                         /* ARMv6/v7: XN of a section, 0 in a page table */
#define DEVICE_PAGE (1u << 4 | 1u << 2 | 0x3u) /* small page, AP = 01, TEX C B = 000 0 1 (device), XN */
#endif
#define SCTLR_MMU (1u << 0)
#define SCTLR_HIGH_VECTORS (1u << 13)
#define SCTLR_EXTENDED_PAGES (1u << 23) /* ARM1176: the ARMv6 format (RES1 on ARMv7) */

static uint32_t first_level[4096] __attribute__((aligned(16384)));
static uint32_t second_level[2][256] __attribute__((aligned(1024))); /* the devices' megabytes */

extern char __user_start[], __user_end[], __user_bss_start[], __user_bss_end[]; /* appos.ld.in */

static const uintptr_t device_pages[] = {GUEST_UART0, GUEST_SP804_0,
#ifdef GUEST_VIC
                                         GUEST_VIC};
#else
                                         GUEST_GIC_DISTRIBUTOR, GUEST_GIC_CPU};
#endif

static void data_barrier(void)
{
#if __ARM_ARCH >= 7
    __asm__ volatile("dsb" ::: "memory");
#else
    __asm__ volatile("mcr p15, 0, %0, c7, c10, 4" ::"r"(0) : "memory"); /* ARMv6 DSB, ARMv5 drain */
#endif
}

static void instruction_barrier(void)
{
#if __ARM_ARCH >= 7
    __asm__ volatile("isb" ::: "memory");
#elif __ARM_ARCH == 6
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 4" ::"r"(0) : "memory");  /* flush prefetch buffer */
#endif
}

static void map_device_page(uintptr_t address)
{
    static unsigned tables_used;
    uint32_t* entry = &first_level[address >> 20];
    if (!*entry) *entry = (uint32_t)(uintptr_t)second_level[tables_used++] | FORMAT_BIT4 | PAGE_TABLE;
    ((uint32_t*)(*entry & ~0x3ffu))[(address >> 12) & 0xff] = (address & ~0xfffu) | DEVICE_PAGE;
}

/* ARMv7-A ARM B3.10.1, B3.10.2 and B2.2.7: the descriptors are visible to the walk (DSB)
 * before the TLBs and the branch predictor are invalidated and the MMU turned on; the ISB
 * makes the new SCTLR govern what follows. */
static void mmu_enable(void)
{
    const uint32_t kernel = CELLVISOR_RAM_BASE, user = (uint32_t)(uintptr_t)__user_start;
    first_level[kernel >> 20] = kernel | AP_KERNEL | NORMAL | FORMAT_BIT4 | SECTION;
    first_level[user >> 20] = user | AP_USER | NORMAL | FORMAT_BIT4 | SECTION;
    for (unsigned i = 0; i < sizeof device_pages / sizeof device_pages[0]; ++i)
        map_device_page(device_pages[i]);
    data_barrier();
#if __ARM_ARCH >= 6
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" ::"r"(0)); /* TTBCR: TTBR0 translates everything */
#endif
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(first_level));  /* TTBR0: walks uncached */
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(1));            /* DACR: domain 0 client */
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0) : "memory"); /* invalidate the TLBs */
#if __ARM_ARCH >= 6
    __asm__ volatile("mcr p15, 0, %0, c7, c5, 6" ::"r"(0) : "memory"); /* and branch predictor */
#endif
    data_barrier();
    instruction_barrier();
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr = (sctlr & ~SCTLR_HIGH_VECTORS) | SCTLR_MMU;  // the vectors at the RAM base (or VBAR)
#if __ARM_ARCH == 6
    sctlr |= SCTLR_EXTENDED_PAGES;
#endif
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(sctlr) : "memory");
    instruction_barrier();
}

static int in_user_area(const char* address) { return address >= __user_start && address < __user_end; }

/* ---- tasks ---- */

#define MODE_MASK 0x1fu
#define MODE_USER 0x10u
#define THUMB (1u << 5)

struct Context {
    uint32_t r[13], sp, lr, pc, cpsr;
};
enum Task_state {
    RUNNABLE,
    SLEEPING,
    SUSPENDED, /* appos-bench: outside its phase */
    DEAD
};
struct Task {
    struct Context context; /* first: entry.S saves to and restores from current_task */
    const char* name;
    enum Task_state state;
    uint32_t wake_tick;
};
_Static_assert(offsetof(struct Task, context) == 0 && offsetof(struct Context, sp) == 52 &&
                   offsetof(struct Context, lr) == 56 && offsetof(struct Context, pc) == 60 &&
                   offsetof(struct Context, cpsr) == 64,
               "entry.S's context offsets");

static const char* const task_names[TASK_COUNT] = {
    [TASK_BENCH] = "bench",
    [TASK_IO] = "io",
#ifndef APPOS_BENCH_SECONDS
    [TASK_REPORT] = "report",
#endif
};
static struct Task tasks[TASK_COUNT];
struct Task* current_task;
static uint32_t ticks;

void restore_context(void) __attribute__((noreturn)); /* entry.S */

static void halt(int success) __attribute__((noreturn));
static int halting;

/* Round robin from the task after the current one, the current one last; with none runnable
 * but some asleep, waits for the tick here (IRQs stay masked in the kernel). */
static void service_interrupt(void);
static void schedule(void)
{
    for (;;) {
        int sleeping = 0;
        for (unsigned i = 1; i <= TASK_COUNT; ++i) {
            struct Task* task = &tasks[(unsigned)(current_task - tasks + i) % TASK_COUNT];
            if (task->state == RUNNABLE) {
                current_task = task;
                return;
            }
            sleeping |= task->state == SLEEPING;
        }
        if (!sleeping) {
            print(GUEST_NAME ": no task left to run\n");
            halt(0);
        }
        wait_for_interrupt();
        service_interrupt();
    }
}

/* ---- the benchmark's phases (appos-bench) ---- */

#ifdef APPOS_BENCH_SECONDS
#define PHASE_TICKS (APPOS_BENCH_SECONDS * TICKS_PER_SECOND / 2)

static uint32_t clock_start, bench_units, bench_us;

static uint32_t clock_lap(void)
{
    const uint32_t now = sp804_value(CLOCK_TIMER), elapsed = clock_start - now; /* counts down */
    clock_start = now;
    return elapsed;
}

static void bench_phases(void)
{
    if (ticks == PHASE_TICKS) {
        bench_units = counters.bench_units;
        bench_us = clock_lap();
        tasks[TASK_BENCH].state = SUSPENDED;
        tasks[TASK_IO].state = RUNNABLE;
    } else if (ticks == 2 * PHASE_TICKS) {
        const uint32_t io_us = clock_lap();
        print(GUEST_NAME ": bench ");
        print_number(bench_units);
        print(" units in ");
        print_number(PHASE_TICKS);
        print(" ms (");
        print_number(bench_us);
        print(" us), io ");
        print_number(counters.io_calls);
        print(" syscalls in ");
        print_number(PHASE_TICKS);
        print(" ms (");
        print_number(io_us);
        print(" us), checksum ");
        print_hex(counters.bench_checksum);
        print("\n");
        halt(1);
    }
}
#endif

/* ---- exceptions ---- */

/* The tick, or an interrupt nobody asked for: reported, its line disabled. A spurious one
 * (none pending any more) is ignored. */
static void service_interrupt(void)
{
    const int line = irq_acknowledge();
    if (line == (int)sp804_line(TICK_TIMER) && sp804_pending(TICK_TIMER)) {
        sp804_clear(TICK_TIMER);
        ++ticks;
        for (unsigned i = 0; i < TASK_COUNT; ++i)
            if (tasks[i].state == SLEEPING && (int32_t)(ticks - tasks[i].wake_tick) >= 0)
                tasks[i].state = RUNNABLE;
#ifdef APPOS_BENCH_SECONDS
        bench_phases();
#endif
    } else if (line >= 0 && line != (int)sp804_line(TICK_TIMER)) {
        print(GUEST_NAME ": FAIL interrupt on line ");
        print_number((uint32_t)line);
        print(", not the tick's\n");
        irq_disable_line((unsigned)line);
    }
    if (line >= 0) irq_end(line);
}

void interrupt(void)
{
    service_interrupt();
    schedule();
}

static uint32_t sys_write(struct Context* context)
{
    const char* text = (const char*)context->r[0];
    uint32_t length = 0;
    for (; in_user_area(text + length) && text[length]; ++length) put(text[length]);
    return length;
}
static uint32_t sys_yield(struct Context* context)
{
    schedule();
    return context->r[0];
}
static uint32_t sys_get_ticks(struct Context* context)
{
    (void)context;
    return ticks;
}
static uint32_t sys_sleep_until(struct Context* context)
{
    if ((int32_t)(context->r[0] - ticks) > 0) {
        current_task->state = SLEEPING;
        current_task->wake_tick = context->r[0];
    }
    schedule();
    return 0;
}
static uint32_t sys_exit(struct Context* context)
{
    (void)context;
    current_task->state = DEAD;
    schedule();
    return 0;
}
static uint32_t (*const system_calls[SYS_COUNT])(struct Context*) = {
    [SYS_WRITE] = sys_write,         [SYS_YIELD] = sys_yield,
    [SYS_GET_TICKS] = sys_get_ticks, [SYS_SLEEP_UNTIL] = sys_sleep_until,
    [SYS_EXIT] = sys_exit,
};

static void fatal(const char* exception, uint32_t pc) __attribute__((noreturn));

/* The result lands in the caller's r0 even when the call switched tasks. */
void supervisor_call(void)
{
    struct Context* context = &current_task->context;
    if ((context->cpsr & MODE_MASK) != MODE_USER) {
        if (halting) halt(0); /* halt's semihosting call, without semihosting */
        fatal("SVC", context->pc - 4);
    }
    const uint32_t number = context->cpsr & THUMB ? *(const uint16_t*)(context->pc - 2) & 0xffu
                                                  : *(const uint32_t*)(context->pc - 4) & 0xffffffu;
    const uint32_t result = number < SYS_COUNT && system_calls[number] ? system_calls[number](context) : ~0u;
    context->r[0] = result;
}

static const char* const exception_names[8] = {"reset",      "undefined instruction", "SVC", "prefetch abort",
                                               "data abort", "unused vector",         "IRQ", "FIQ"};

/* An undefined instruction (1) or abort (3, 4): kills the task it came from, or stops. */
void fault(uint32_t vector)
{
    struct Context* context = &current_task->context;
    if ((context->cpsr & MODE_MASK) != MODE_USER) fatal(exception_names[vector], context->pc);
    print(GUEST_NAME ": FAIL ");
    print(exception_names[vector]);
    print(" at pc ");
    print_hex(context->pc);
    if (vector == 4) {
        uint32_t address;
        __asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(address)); /* DFAR */
        print(", address ");
        print_hex(address);
    }
    print(" in task ");
    print(current_task->name);
    print(": task killed\n");
    current_task->state = DEAD;
    schedule();
}

void fatal_exception(uint32_t vector, uint32_t lr) { fatal(exception_names[vector & 7], lr - 4); }

static void fatal(const char* exception, uint32_t pc)
{
    print(GUEST_NAME ": FAIL ");
    print(exception);
    print(" at pc ");
    print_hex(pc);
    print(" in the kernel\n");
    halt(0);
}

/* Semihosting SYS_EXIT (ARM "Semihosting for AArch32 and AArch64" 2.0, 5.5): QEMU ends with
 * status 0 for ADP_Stopped_ApplicationExit, 1 for any other reason. Without semihosting the
 * svc reaches the kernel's own vector, which comes back here: then it sleeps. */
static void halt(int success)
{
    if (!halting++) {
        sp804_stop(TICK_TIMER);
        sp804_stop(CLOCK_TIMER);
        register uint32_t r0 __asm__("r0") = 0x18;                        /* SYS_EXIT */
        register uint32_t r1 __asm__("r1") = success ? 0x20026 : 0x20023; /* or RunTimeErrorUnknown */
        __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    }
    for (;;) wait_for_interrupt();
}

int main(void)
{
    mmu_enable();
    for (volatile char* byte = __user_bss_start; byte < __user_bss_end; ++byte) *byte = 0;
    for (unsigned i = 0; i < TASK_COUNT; ++i) {
        tasks[i].name = task_names[i];
        tasks[i].context.pc = (uint32_t)(uintptr_t)task_images[i].entry;
        tasks[i].context.sp = (uint32_t)(uintptr_t)task_images[i].stack_top;
        tasks[i].context.cpsr = MODE_USER;
#ifdef APPOS_BENCH_SECONDS
        tasks[i].state = i == TASK_BENCH ? RUNNABLE : SUSPENDED;
#endif
    }
    print(GUEST_NAME ": app OS up: MMU on, ");
    print_number(TASK_COUNT);
    print(" user tasks, 1 ms tick\n");
#ifdef APPOS_BENCH_SECONDS
    print(GUEST_NAME ": bench alone for ");
    print_number(PHASE_TICKS);
    print(" ms, then io alone for as long\n");
#endif
    irq_controller_init();
    irq_enable_line(sp804_line(TICK_TIMER));
    sp804_start_free_running(CLOCK_TIMER);
#ifdef APPOS_BENCH_SECONDS
    clock_start = sp804_value(CLOCK_TIMER);
#endif
    sp804_start_periodic(TICK_TIMER, 1000000 / TICKS_PER_SECOND);
    current_task = &tasks[TASK_BENCH];
    restore_context();
}
