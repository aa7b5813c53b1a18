/* The SVC probe: calls semihosting's SYS_WRITE0 with `svc 0x123456`, then with Thumb `svc 0xab`,
 * and says whether each reached its own SVC vector. Natively without -semihosting and under the
 * monitor without --semihosting both do (the guest contract: an SVC is the guest's own unless it
 * asked for semihosting), and the two runs print the same lines:
 *
 *     svc-probe: ARM svc 0x123456: reached the SVC vector: instruction 0xef123456, r0 0x00000004, SPSR 0x000000d3, returned 0x00000abc
 *     svc-probe: Thumb svc 0xab: reached the SVC vector: instruction 0x0000dfab, r0 0x00000004, SPSR 0x000000f3, returned 0x00000abc
 *     svc-probe: done
 *
 * With semihosting on, each call is served instead: its text goes to the console and the line
 * says "served as a semihosting call". */
#include <stdint.h>

#include "console.h"

struct Svc_seen {
    uint32_t r0, instruction, spsr, count;
} svc_seen; /* written by probe.S's SVC vector */

uint32_t arm_svc(uint32_t operation, const void* parameter);
uint32_t thumb_svc(uint32_t operation, const void* parameter);

#define SYS_WRITE0 0x04u /* ARM "Semihosting for AArch32 and AArch64" 2.0, 5.x */

static void probe(const char* kind, uint32_t (*call)(uint32_t, const void*), const char* text)
{
    const uint32_t before = svc_seen.count;
    const uint32_t result = call(SYS_WRITE0, text);
    print(GUEST_NAME ": ");
    print(kind);
    if (svc_seen.count == before) {
        print(": served as a semihosting call, not by the SVC vector\n");
        return;
    }
    print(": reached the SVC vector: instruction ");
    print_hex(svc_seen.instruction);
    print(", r0 ");
    print_hex(svc_seen.r0);
    print(", SPSR ");
    print_hex(svc_seen.spsr & 0xff); /* mode, T, F and I: the same natively and virtually */
    print(", returned ");
    print_hex(result);
    print("\n");
}

int main(void)
{
    probe("ARM svc 0x123456", arm_svc, GUEST_NAME ": SYS_WRITE0 through ARM semihosting\n");
    probe("Thumb svc 0xab", thumb_svc, GUEST_NAME ": SYS_WRITE0 through Thumb semihosting\n");
    print(GUEST_NAME ": done\n");
    for (;;) {}
}
