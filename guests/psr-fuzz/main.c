/* A random differential test of the status register's instructions (MRS, MSR of the flags and
 * control fields, conditional and immediate forms, CPS on ARMv6+, the SPSR and exception
 * returns, ops.S): ROUNDS operations drawn from
 * a fixed pseudo-random sequence, each with random flags and masks in the current mode, the CPSR
 * printed after each. No interrupt source is enabled, so unmasking delivers nothing; natively and
 * under the monitor the lines must be the same (system.<config>.psr-fuzz-oracle). */
#include <stdint.h>

#include "fuzz.h"

typedef uint32_t (*Op)(uint32_t value, uint32_t seed);
extern const Op psr_ops[];
extern const uint32_t psr_op_count;

#define ROUNDS 400

static uint32_t state = 0x2545f491u;

int main(void)
{
    uint32_t sum = 0;
    for (unsigned round = 0; round < ROUNDS; ++round) {
        const uint32_t x = fuzz_next(&state), op = x % psr_op_count;
        uint32_t mode;
        __asm__ volatile("mrs %0, cpsr" : "=r"(mode));
        // Flags N Z C V Q, masks A I F (A in the x field, which these MSRs leave alone), this mode.
        const uint32_t value = (x & 0xf80001c0u) | (mode & 0x1f);
        const uint32_t cpsr = psr_ops[op](value, fuzz_next(&state));
        sum = sum * 31 + cpsr;
        fuzz_line(round, op, "cpsr", cpsr, 0, 0);
    }
    fuzz_done(sum);
}
