/* A random differential test of the status register's instructions (MRS, MSR of the flags and
 * control fields, conditional and immediate forms, CPS on ARMv6+, the SPSR and exception
 * returns, ops.S): ROUNDS operations drawn from
 * a fixed pseudo-random sequence, each with random flags and masks in the current mode, the CPSR
 * printed after each. No interrupt source is enabled, so unmasking delivers nothing; natively and
 * under the monitor the lines must be the same (system.<config>.psr-fuzz-oracle). */
#include <stdint.h>

#include "console.h"

typedef uint32_t (*Op)(uint32_t value, uint32_t seed);
extern const Op psr_ops[];
extern const uint32_t psr_op_count;

#define ROUNDS 400

static uint32_t state = 0x2545f491u;

static uint32_t next(void)  // xorshift32
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

int main(void)
{
    uint32_t sum = 0;
    for (unsigned round = 0; round < ROUNDS; ++round) {
        const uint32_t x = next(), op = x % psr_op_count;
        uint32_t mode;
        __asm__ volatile("mrs %0, cpsr" : "=r"(mode));
        // Flags N Z C V Q, masks A I F (A in the x field, which these MSRs leave alone), this mode.
        const uint32_t value = (x & 0xf80001c0u) | (mode & 0x1f);
        const uint32_t cpsr = psr_ops[op](value, next());
        sum = sum * 31 + cpsr;
        print(GUEST_NAME ": ");
        print_number(round);
        print(" op ");
        print_number(op);
        print(" cpsr ");
        print_hex(cpsr);
        put('\n');
    }
    print(GUEST_NAME ": done, sum ");
    print_hex(sum);
    put('\n');
    for (;;) {}
}
