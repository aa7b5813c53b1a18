/* What the small guests' vectors (vectors.S) do with an exception nobody expects: say so on
 * the console and stop. */
#include <stdint.h>

#include "console.h"
#include "interrupts.h"

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
