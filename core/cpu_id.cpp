#include "core/cpu_id.hpp"

#include "core/cp15.hpp"

namespace core {

namespace {

// A monitor is built for one core: its CP15 is that core's (emulated(), core/cp15.hpp), so it
// names that core and no other, and for any other core "unknown" is the truth. The host
// (tools, tests) names them all.
#ifdef CELLVISOR_ARCHITECTURE
constexpr bool monitor_build = true;
#else
constexpr bool monitor_build = false;
#endif

struct Known_part {
    uint16_t part;  // MIDR[15:4] of an ARM Ltd. (implementer 0x41) core
    const char* name;
    const char* architecture;
    bool emulated;  // a Cpu_core the monitor can be built for
    Cpu_core core;
};

constexpr Known_part all_parts[] = {
    {0x926, "ARM926EJ-S", "ARMv5TEJ", true, Cpu_core::arm926},
    {0xb76, "ARM1176JZF-S", "ARMv6KZ", true, Cpu_core::arm1176},
    {0xc08, "Cortex-A8", "ARMv7-A", false, {}},
    {0xc09, "Cortex-A9", "ARMv7-A", true, Cpu_core::cortex_a9},
};

/// Whether this build names `known`: a monitor its own core only.
constexpr bool named(const Known_part& known)
{
    return !monitor_build || (known.emulated && emulated(known.core) == known.core);
}

constexpr unsigned named_count = [] {
    unsigned count = 0;
    for (const Known_part& known : all_parts) count += named(known);
    return count;
}();

constexpr auto known_parts = [] {
    struct {
        Known_part at[named_count];
    } parts{};
    unsigned used = 0;
    for (const Known_part& known : all_parts)
        if (named(known)) parts.at[used++] = known;
    return parts;
}();

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
    names.add("unknown");
    if (!monitor_build)
        for (const char* architecture : architectures) names.add(architecture);
    for (const Known_part& known : known_parts.at) names.add(known.name), names.add(known.architecture);
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
        Part at[named_count];
    } parts{};
    for (unsigned i = 0; i < named_count; ++i)
        parts.at[i] = {known_parts.at[i].part, uint8_t(packed.offset_of(known_parts.at[i].name)),
                       uint8_t(packed.offset_of(known_parts.at[i].architecture))};
    return parts;
}();

}  // namespace

Cpu_id decode_cpu(uint32_t midr)
{
    Cpu_id id{text.chars, text.chars + (monitor_build ? 0 : architecture_offsets.at[(midr >> 16) & 0xf]),
              (midr >> 20) & 0xf, midr & 0xf};
    if (midr >> 24 == 0x41)
        for (const Part& known : parts.at)
            if (known.part == ((midr >> 4) & 0xfff)) {
                id.name = text.chars + known.name;
                id.architecture = text.chars + known.architecture;
            }
    return id;
}

}  // namespace core
