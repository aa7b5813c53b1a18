/* What the small guests' vectors (vectors.S) do with an exception nobody expects: say so on
 * the console and stop. */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"

#ifndef GUEST_NAME
#define GUEST_NAME "guest" /* the guest SDK's library (CMakeLists.txt) serves every guest */
#endif

void unexpected_exception(uint32_t vector, uint32_t lr)
{
    static const char* const names[8] = {"reset",      "undefined instruction", "SVC", "prefetch abort",
                                         "data abort", "unused vector",         "IRQ", "FIQ"};
    print(GUEST_NAME ": FAIL unexpected exception: ");
    print(names[vector & 7]);
    print(", lr ");
    print_hex(lr);
    print("\n");
    for (;;) {}
}

/* The guest SDK links the vectors into every guest: one that takes an IRQ without a handler of
 * its own is told so. A guest's own irq_handler() replaces this one (every in-tree guest with
 * vectors has one). The interrupted address is not at hand here: lr 0. */
__attribute__((weak)) void irq_handler(void) { unexpected_exception(6, 0); }
