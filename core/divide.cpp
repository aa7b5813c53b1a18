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
    uint32_t r;
    if (!(n >> 32)) return divide(uint32_t(n), d, r);
    uint64_t quotient = 0, remainder = 0;
    for (int bit = 63; bit >= 0; --bit) {
        remainder = remainder << 1 | (n >> bit & 1);
        if (remainder >= d) {
            remainder -= d;
            quotient |= uint64_t(1) << bit;
        }
    }
    return quotient;
}

}  // namespace core
