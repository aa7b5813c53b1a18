// Unsigned division without a division routine from libgcc (its ARM-state __udivsi3 alone is
// 604 bytes of the Cortex-A9 build; none of these cores has UDIV): shift and subtract, one
// quotient bit per step. For the monitor's rare divisions: printing numbers, catching a
// virtual timer up after a long pause. And counting bits without libgcc's __popcountsi2 (and
// the interworking veneer it brings on ARMv5/v6).
#pragma once
#include <stdint.h>

namespace core {

/// n / d, leaving n % d in `remainder`; d must not be zero.
uint32_t divide(uint32_t n, uint32_t d, uint32_t& remainder);
/// n / d for a 64-bit n; d must not be zero.
uint64_t divide(uint64_t n, uint32_t d);

/// The number of bits set in `bits` (an LDM/STM register list).
constexpr unsigned count_bits(uint32_t bits)
{
    unsigned n = 0;
    for (; bits; bits &= bits - 1) ++n;
    return n;
}
static_assert(count_bits(0) == 0 && count_bits(0x8001) == 2 && count_bits(~0u) == 32);

#if defined(__thumb__) && !defined(__thumb2__)
/// Thumb-1 has no CLZ, ARM state has (ARMv5 and later): lowest_bit's one ARM function, five
/// instructions, rather than libgcc's __ctzsi2 and the interworking veneer it brings (88 bytes).
[[gnu::target("arm"), gnu::noinline]] inline unsigned lowest_bit_in_arm_state(uint32_t bits)
{
    return unsigned(__builtin_ctz(bits));
}
#endif

/// The index of the lowest bit set in `bits` (not 0).
constexpr unsigned lowest_bit(uint32_t bits)
{
#if defined(__thumb__) && !defined(__thumb2__)
    if (!__builtin_is_constant_evaluated()) return lowest_bit_in_arm_state(bits);
#endif
    return unsigned(__builtin_ctz(bits));
}
static_assert(lowest_bit(1) == 0 && lowest_bit(0x30) == 4 && lowest_bit(0x80000000) == 31);

}  // namespace core
