// What the compiler may call in the freestanding guest (block copies and clears of arrays).
#include <stddef.h>
#include <stdint.h>

// The loop-distribution pass would turn these loops into calls to themselves.
#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

extern "C" {

NO_LIBCALLS void* memset(void* destination, int value, size_t bytes)
{
    auto* d = static_cast<uint8_t*>(destination);
    while (bytes--) *d++ = uint8_t(value);
    return destination;
}

NO_LIBCALLS void* memcpy(void* destination, const void* source, size_t bytes)
{
    auto* d = static_cast<uint8_t*>(destination);
    const auto* s = static_cast<const uint8_t*>(source);
    while (bytes--) *d++ = *s++;
    return destination;
}
}
