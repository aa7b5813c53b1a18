/* What the random differential guests share (psr-fuzz, bank-fuzz, cp15-fuzz, mmio-fuzz): their
 * fixed pseudo-random sequence, the line each prints per round and the last line with the sum
 * of the rounds (their oracle tests wait for it), so natively and under the monitor the same
 * program prints the same lines. */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H
#include <stdint.h>

#include "console.h"

/* xorshift32: the next number of the sequence `state` holds (never zero). */
static inline uint32_t fuzz_next(uint32_t* state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* "NAME: ROUND op OP FIRST 0x... [SECOND 0x...]": SECOND 0 leaves its part out. */
static inline void fuzz_line(unsigned round, uint32_t op, const char* first, uint32_t a, const char* second,
                             uint32_t b)
{
    print(GUEST_NAME ": ");
    print_number(round);
    print(" op ");
    print_number(op);
    put(' ');
    print(first);
    put(' ');
    print_hex(a);
    if (second) {
        put(' ');
        print(second);
        put(' ');
        print_hex(b);
    }
    put('\n');
}

/* "NAME: done, sum 0x...", and nothing more. */
__attribute__((noreturn)) static inline void fuzz_done(uint32_t sum)
{
    print(GUEST_NAME ": done, sum ");
    print_hex(sum);
    put('\n');
    for (;;) {}
}

#endif
