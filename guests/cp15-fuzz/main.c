/* A random differential test of the CP15 registers a guest may write with its MMU off (ops.S):
 * ROUNDS writes of random values, each to a register drawn from a fixed pseudo-random sequence,
 * each read back at once; what the core keeps of a write (which bits stick, which read as zero
 * or one) is the core's, probed by the monitor at boot. Natively and under the monitor the
 * lines must be the same (system.<config>.cp15-fuzz-oracle). */
#include <stdint.h>

#include "fuzz.h"

typedef uint32_t (*Op)(uint32_t value);
extern const Op cp15_ops[];
extern const uint32_t cp15_op_count;

#define ROUNDS 300

static uint32_t state = 0x6a09e667u;

int main(void)
{
    uint32_t sum = 0;
    for (unsigned round = 0; round < ROUNDS; ++round) {
        const uint32_t op = fuzz_next(&state) % cp15_op_count, value = fuzz_next(&state);
        const uint32_t read = cp15_ops[op](value);
        sum = sum * 31 + read;
        fuzz_line(round, op, "wrote", value, "read", read);
    }
    fuzz_done(sum);
}
