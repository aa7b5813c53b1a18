#include "core/cpu_id.hpp"

namespace core {

namespace {

struct Known_part {
    uint16_t part;  // MIDR[15:4] of an ARM Ltd. (implementer 0x41) core
    const char* name;
    const char* architecture;
};

constexpr Known_part known_parts[] = {
    {0x926, "ARM926EJ-S", "ARMv5TEJ"},
    {0xb76, "ARM1176JZF-S", "ARMv6KZ"},
    {0xc08, "Cortex-A8", "ARMv7-A"},
    {0xc09, "Cortex-A9", "ARMv7-A"},
};

// MIDR[19:16]; 0x8 to 0xE are unassigned.
constexpr const char* architectures[16] = {
    "unknown", "ARMv4",   "ARMv4T",  "ARMv5",   "ARMv5T",  "ARMv5TE", "ARMv5TEJ", "ARMv6",
    "unknown", "unknown", "unknown", "unknown", "unknown", "unknown", "unknown",  "ARMv6 or later",
};

// The tables above as the image holds them, built at compile time: every name once, back to
// back in one block of text, and byte offsets into it rather than pointers (a quarter of the
// size).
constexpr bool same(const char* a, const char* b)
{
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

/// Names with their NULs in the first `used` bytes of `chars`.
template <unsigned Size>
struct Packed_names {
    char chars[Size] = {};
    unsigned used = 0;

    constexpr unsigned offset_of(const char* name) const
    {
        for (unsigned at = 0; at < used; ++at)
            if ((!at || !chars[at - 1]) && same(chars + at, name)) return at;
        return used;
    }
    constexpr void add(const char* name)
    {
        if (offset_of(name) < used) return;
        do chars[used++] = *name;
        while (*name++);
    }
};

template <unsigned Size>
constexpr Packed_names<Size> pack()
{
    Packed_names<Size> names;
    for (const char* architecture : architectures) names.add(architecture);
    for (const Known_part& known : known_parts) names.add(known.name), names.add(known.architecture);
    return names;
}

constexpr unsigned text_size = pack<512>().used;
static_assert(text_size <= 256, "the offsets are bytes");
constexpr Packed_names<text_size> packed = pack<text_size>();
static_assert(packed.offset_of("unknown") == 0, "the name of what nobody knows comes first");

constexpr auto text = [] {
    struct {
        char chars[text_size];
    } text{};
    for (unsigned i = 0; i < text_size; ++i) text.chars[i] = packed.chars[i];
    return text;
}();

constexpr auto architecture_offsets = [] {
    struct {
        uint8_t at[16];
    } offsets{};
    for (unsigned i = 0; i < 16; ++i) offsets.at[i] = uint8_t(packed.offset_of(architectures[i]));
    return offsets;
}();

struct Part {
    uint16_t part;
    uint8_t name, architecture;  // offsets into text
};

constexpr auto parts = [] {
    struct {
        Part at[sizeof known_parts / sizeof *known_parts];
    } parts{};
    for (unsigned i = 0; i < sizeof known_parts / sizeof *known_parts; ++i)
        parts.at[i] = {known_parts[i].part, uint8_t(packed.offset_of(known_parts[i].name)),
                       uint8_t(packed.offset_of(known_parts[i].architecture))};
    return parts;
}();

}  // namespace

Cpu_id decode_cpu(uint32_t midr)
{
    Cpu_id id{text.chars, text.chars + architecture_offsets.at[(midr >> 16) & 0xf], (midr >> 20) & 0xf,
              midr & 0xf};
    if (midr >> 24 == 0x41)
        for (const Part& known : parts.at)
            if (known.part == ((midr >> 4) & 0xfff)) {
                id.name = text.chars + known.name;
                id.architecture = text.chars + known.architecture;
            }
    return id;
}

}  // namespace core
