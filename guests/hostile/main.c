/* A hostile partition: maps all 4 GiB with its own MMU as manager (no permission checks), then
 * writes a pattern every 64 KiB across the whole address space — other partitions' memory, the
 * monitor, every device — except its own code megabyte and its UART's. Under Cellvisor every
 * write outside its window is an external abort it counts and skips; nothing else changes.
 * Not for native runs: natively it would scribble over the board's devices. */
#include <stdint.h>

#include "console.h"

extern volatile uint32_t aborts;
static uint32_t first_level[4096] __attribute__((aligned(16384)));

int main(void)
{
    const uint32_t own = (uint32_t)(uintptr_t)first_level >> 20, uart = GUEST_UART0 >> 20;
    for (uint32_t i = 0; i < 4096; ++i)  // identity sections, AP 11, domain 0 (bit 4: ARMv5 wants it)
        first_level[i] = i << 20 | 3u << 10 | (__ARM_ARCH == 5 ? 1u << 4 : 0) | 0x2;
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(first_level));
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(0xffffffffu));  // every domain: manager
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0));
    uint32_t sctlr;
    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(sctlr | 1));
    print("hostile: MMU on, all 4 GiB mapped; writing everywhere\n");
    uint32_t writes = 0;
    for (uint32_t address = 0;; address += 0x10000) {
        if (address >> 20 != own && address >> 20 != uart) {
            *(volatile uint32_t*)(uintptr_t)address = 0xdeadbeef;
            ++writes;
        }
        if (address == 0xffff0000) break;
    }
    print("hostile: ");
    print_number(writes);
    print(" writes, ");
    print_number(aborts);
    print(" aborted\n");
    for (;;) {}
}
