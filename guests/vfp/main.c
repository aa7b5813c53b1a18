/* A bare-metal program that computes in the VFP, as one built with -mfpu does: enables it
 * (CPACR, FPEXC), prints its identification and what it computes, then keeps its own pattern in
 * every D register (and on ARMv7 its own TEEHBR, ThumbEE's User-writable handler base) across
 * ROUNDS rounds of waiting and checks it each time. Two of them (SEED 1
 * and 2) side by side under the monitor check that the VFP's registers follow each partition
 * (docs/vcpu.md, "VFP"), on ARMv7 from Thumb code too (vfp_dump); alone, its lines equal the
 * native run's. */
#include <stdint.h>

#include "console.h"

void vfp_enable(void);
void vfp_ids(uint32_t* ids);
void vfp_write_ids(uint32_t value);
void vfp_fill(const uint64_t* d);
void vfp_dump(uint64_t* d, unsigned count);
uint64_t vfp_compute(uint64_t a, uint64_t b);
uint32_t vfp_divide_by_zero(void);

#define ROUNDS 200

static uint64_t expected[32], seen[32];

static void print_line(const char* what, uint32_t value)
{
    print(GUEST_NAME ": ");
    print(what);
    print_hex(value);
    put('\n');
}

int main(void)
{
    uint32_t ids[4];
    vfp_enable();
    vfp_ids(ids);
    print_line("FPSID ", ids[0]);
    print_line("MVFR0 ", ids[1]);
    print_line("MVFR1 ", ids[2]);
    print_line("FPEXC ", ids[3]);
    vfp_write_ids(0x12345678u);
    vfp_ids(ids);
    print_line("after writing them, FPSID ", ids[0]);
    print_line("  MVFR0 ", ids[1]);
    print_line("  MVFR1 ", ids[2]);
    const unsigned count = (ids[1] & 0xf) == 2 ? 32 : 16;
    const uint64_t r = vfp_compute(0x4024000000000000ull /* 10.0 */, 0x4008000000000000ull /* 3.0 */);
    print_line("sqrt(10 / 3) * 3 + 10 = ", (uint32_t)(r >> 32));
    print_line("  low word ", (uint32_t)r);
    print_line("FPSCR after 1 / 0: ", vfp_divide_by_zero());
    for (unsigned i = 0; i < count; ++i) expected[i] = (uint64_t)(SEED * 0x01010101u + i) << 32 | (SEED << 8 | i);
    vfp_fill(expected);
#if __ARM_ARCH >= 7
    // ThumbEE's handler base, which User mode reaches without a trap: each partition's own too.
    const uint32_t teehbr = 0x1000u * SEED + 4;
    __asm__ volatile("mcr p14, 6, %0, c1, c0, 0" ::"r"(teehbr));
#endif
    for (unsigned round = 0; round < ROUNDS; ++round) {
        for (volatile unsigned wait = 0; wait < 20000; ++wait) {}  // the other partition runs meanwhile
        vfp_dump(seen, count);
        for (unsigned i = 0; i < count; ++i)
            if (seen[i] != expected[i]) {
                print(GUEST_NAME ": FAIL round ");
                print_number(round);
                print(": D");
                print_number(i);
                print(" changed\n");
                for (;;) {}
            }
#if __ARM_ARCH >= 7
        uint32_t handler_base;
        __asm__ volatile("mrc p14, 6, %0, c1, c0, 0" : "=r"(handler_base));
        if (handler_base != teehbr) {
            print(GUEST_NAME ": FAIL round ");
            print_number(round);
            print_line(": TEEHBR ", handler_base);
            for (;;) {}
        }
#endif
        for (unsigned i = 0; i < count; ++i) expected[i] += 0x100000001ull;
        vfp_fill(expected);
    }
    print(GUEST_NAME ": ");
    print_number(ROUNDS);
    print(" rounds, ");
    print_number(count);
    print(" D registers kept");
#if __ARM_ARCH >= 7
    print(", and TEEHBR");
#endif
    put('\n');
    print(GUEST_NAME ": done\n");
    for (;;) {}
}
