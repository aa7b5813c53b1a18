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
    // Long division in 16-bit digits: with d below 2^16 every partial dividend fits 32 bits.
    uint64_t quotient = 0;
    uint32_t remainder = 0;
    for (int shift = 48; shift >= 0; shift -= 16)
        quotient = quotient << 16 | divide(remainder << 16 | (uint32_t(n >> shift) & 0xffff), d, remainder);
    return quotient;
}

}  // namespace core
