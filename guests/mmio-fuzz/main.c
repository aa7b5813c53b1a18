/* A random differential test of the loads and stores the monitor emulates against a device
 * (ops.S): LDR and STR with immediate, register and scaled-register offsets, pre-indexed with
 * write-back and post-indexed, added and subtracted, RRX with either carry; LDRD and STRD; LDM and STM in all four
 * directions, with and without write-back; conditional forms. Their target: sixteen read-write
 * words of the board's interrupt controller (versatilepb: the PL190's VICVectAddr0-15;
 * vexpress-a9: the GIC distributor's priorities of IDs 32-95), which keep what is written
 * (or what the controller keeps of it; on vexpress-a9 the priorities of IDs the partition does
 * not own read as zero under the monitor, by design, so the oracle test runs on versatilepb's
 * boards). ROUNDS operations drawn from a fixed pseudo-random
 * sequence; after each, its result and a digest of the sixteen words. Natively and under the
 * monitor the lines must be the same (system.<config>.mmio-fuzz-oracle). */
#include <stdint.h>

#include "fuzz.h"

#ifdef GUEST_VIC
#define BLOCK (GUEST_VIC + 0x100u)
#else
#define BLOCK (GUEST_GIC_DISTRIBUTOR + 0x420u)
#endif

typedef uint32_t (*Op)(uint32_t a, uint32_t b, volatile uint32_t* block, uint32_t index);
extern const Op mmio_ops[];
extern const uint32_t mmio_op_count;

#define ROUNDS 400

static uint32_t state = 0xbb67ae85u;

int main(void)
{
    volatile uint32_t* const block = (volatile uint32_t*)BLOCK;
    uint32_t sum = 0;
    for (unsigned round = 0; round < ROUNDS; ++round) {
        const uint32_t op = fuzz_next(&state) % mmio_op_count, a = fuzz_next(&state), b = fuzz_next(&state), index = fuzz_next(&state) % 12;
        const uint32_t result = mmio_ops[op](a, b, block, index);
        uint32_t digest = 0x811c9dc5u;
        for (unsigned i = 0; i < 16; ++i) digest = (digest ^ block[i]) * 0x01000193u;
        sum = sum * 31 + (result ^ digest);
        fuzz_line(round, op, "result", result, "block", digest);
    }
    fuzz_done(sum);
}
