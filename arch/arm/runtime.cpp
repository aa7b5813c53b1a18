// What the compiler may call in freestanding code.
#include <stddef.h>
#include <stdint.h>

// The loop-distribution pass would turn these loops into calls to themselves; `used` keeps
// link-time optimisation from dropping them before code generation calls them.
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns"), used))

extern "C" {

// Word at a time when both ends allow it: the loader clears and fills whole partition windows
// (three instructions a word: 96 MiB in about 75 ms of virtual time).
NO_LIBCALLS void* memset(void* destination, int value, size_t bytes)
{
    auto* d = static_cast<uint8_t*>(destination);
    if (((uintptr_t(d) | bytes) & 3) == 0) {
        const uint32_t word = uint8_t(value) * 0x01010101u;
        auto* w = reinterpret_cast<uint32_t*>(d);
        if (bytes) do
                *w++ = word;
            while (bytes -= 4);  // the test at the bottom
        return destination;
    }
    while (bytes--) *d++ = uint8_t(value);
    return destination;
}

NO_LIBCALLS void* memcpy(void* destination, const void* source, size_t bytes)
{
    auto* d = static_cast<uint8_t*>(destination);
    const auto* s = static_cast<const uint8_t*>(source);
    if (((uintptr_t(d) | uintptr_t(s)) & 3) == 0) {
        auto* dw = reinterpret_cast<uint32_t*>(d);
        const auto* sw = reinterpret_cast<const uint32_t*>(s);
        for (; bytes >= 4; bytes -= 4) *dw++ = *sw++;
        d = reinterpret_cast<uint8_t*>(dw);
        s = reinterpret_cast<const uint8_t*>(sw);
    }
    while (bytes--) *d++ = *s++;
    return destination;
}

/// A call through a pure virtual function is a monitor bug: trap into the fatal dump.
void __cxa_pure_virtual() { __builtin_trap(); }
}
