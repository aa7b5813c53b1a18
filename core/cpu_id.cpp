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

}  // namespace

Cpu_id decode_cpu(uint32_t midr)
{
    Cpu_id id{"unknown", architectures[(midr >> 16) & 0xf], (midr >> 20) & 0xf, midr & 0xf};
    if (midr >> 24 == 0x41)
        for (const Known_part& known : known_parts)
            if (known.part == ((midr >> 4) & 0xfff)) {
                id.name = known.name;
                id.architecture = known.architecture;
            }
    return id;
}

}  // namespace core
