/* A demo partition: prints a numbered line every so often on its board's UART0, forever,
 * checking before each line that a 64 KiB pattern it wrote at start is intact (the isolation
 * test runs it beside a hostile partition).
 * Built three times (radio, work, home) with a different message and pace; the same binary
 * runs natively on QEMU and as a partition under Cellvisor. */
#include <stdint.h>

#include "console.h"

static void spin(uint32_t loops)
{
    for (volatile uint32_t i = 0; i < loops; ++i) {}
}

static uint32_t pattern[16384];

static int pattern_intact(void)
{
    for (uint32_t i = 0; i < 16384; ++i)
        if (pattern[i] != i * 0x9e3779b9u) return 0;
    return 1;
}

int main(void)
{
    for (uint32_t i = 0; i < 16384; ++i) pattern[i] = i * 0x9e3779b9u;
    for (uint32_t n = 1;; ++n) {
        if (!pattern_intact()) {
            print(DEMO_MESSAGE " MEMORY CORRUPTED\n");
            for (;;) {}
        }
        print(DEMO_MESSAGE " ");
        print_number(n);
        print("\n");
        spin(DEMO_LOOPS);
    }
}
