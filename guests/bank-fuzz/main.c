/* A random differential test of the banked registers and the instructions that reach across
 * modes (ops.S): mode changes by MSR and CPS, LDM and STM of the User registers (`^`) from SVC
 * and FIQ mode, LDRT and STRT, exception returns by LDM with pc and by RFE, SRS to every mode's
 * stack. ROUNDS operations drawn from a fixed pseudo-random sequence, each with random values;
 * after each, every mode's sp, lr and SPSR, FIQ's r8-r12 and the CPSR are gathered and printed
 * as a digest with the operation's own result. No interrupt source is enabled. Natively and
 * under the monitor the lines must be the same (system.<config>.bank-fuzz-oracle). */
#include <stdint.h>

#include "fuzz.h"

typedef uint32_t (*Op)(uint32_t a, uint32_t b, uint32_t* scratch);
extern const Op bank_ops[];
extern const uint32_t bank_op_count;
void bank_gather(uint32_t* state);  // ops.S: BANK_STATE words

#define ROUNDS 400
#define BANK_STATE 21

static uint32_t state = 0x9e3779b9u;

static uint32_t digest(const uint32_t* words, unsigned count)  // FNV-1a over the bytes
{
    uint32_t h = 0x811c9dc5u;
    for (unsigned i = 0; i < count; ++i)
        for (unsigned b = 0; b < 32; b += 8) h = (h ^ (words[i] >> b & 0xff)) * 0x01000193u;
    return h;
}

static uint32_t scratch[16] __attribute__((aligned(8)));
static uint32_t banks[BANK_STATE];

int main(void)
{
    uint32_t sum = 0;
    for (unsigned round = 0; round < ROUNDS; ++round) {
        const uint32_t op = fuzz_next(&state) % bank_op_count, a = fuzz_next(&state), b = fuzz_next(&state);
        const uint32_t result = bank_ops[op](a, b, scratch);
        bank_gather(banks);
        const uint32_t banked = digest(banks, BANK_STATE) ^ digest(scratch, 16);
        sum = sum * 31 + (result ^ banked);
        fuzz_line(round, op, "result", result, "banks", banked);
    }
    fuzz_done(sum);
}
