// What every board description provides, and the invariants checked on it at compile time.
#pragma once
#include <stdint.h>

namespace board {

/// Physical 4 KiB pages of the devices the monitor drives itself, mapped into its window.
template <unsigned N>
struct Device_pages {
    uint32_t page[N];

    constexpr unsigned count() const { return N; }
    constexpr bool valid() const
    {
        for (unsigned i = 0; i < N; ++i) {
            if (page[i] & 0xfff) return false;
            for (unsigned j = 0; j < i; ++j)
                if (page[i] == page[j]) return false;
        }
        return true;
    }
    /// Index of the page holding `physical`, or N when the monitor has not mapped it.
    constexpr unsigned index_of(uint32_t physical) const
    {
        for (unsigned i = 0; i < N; ++i)
            if (page[i] == (physical & ~0xfffu)) return i;
        return N;
    }
};

}  // namespace board
