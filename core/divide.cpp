#include "core/divide.hpp"

namespace core {

uint32_t divide(uint32_t n, uint32_t d, uint32_t& remainder)
{
    uint32_t quotient = 0, r = 0;
    for (int bit = 31; bit >= 0; --bit) {
        r = r << 1 | (n >> bit & 1);
        if (r >= d) {
            r -= d;
            quotient |= 1u << bit;
        }
    }
    remainder = r;
    return quotient;
}

uint64_t divide(uint64_t n, uint32_t d)
{
    // A bit at a time, by constant shifts only (a variable 64-bit shift is a libgcc call in
    // Thumb-1); the partial remainder stays below 2d, which needs 33 bits.
    uint64_t quotient = 0, r = 0;
    for (int bit = 0; bit < 64; ++bit, n <<= 1) {
        r = r << 1 | n >> 63;
        quotient <<= 1;
        if (r >= d) {
            r -= d;
            quotient |= 1;
        }
    }
    return quotient;
}

}  // namespace core
