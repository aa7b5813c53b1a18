// Names the processor from its Main ID Register (ARM ARM B4.1.105 MIDR; ARMv5 ARM B3.3).
#pragma once
#include <stdint.h>

namespace core {

struct Cpu_id {
    const char* name;          // "ARM926EJ-S", "Cortex-A9", or "unknown"
    const char* architecture;  // "ARMv5TEJ", "ARMv6KZ", "ARMv7-A", ...
    uint32_t variant;          // the r of rNpM
    uint32_t revision;         // the p of rNpM
};

/// Known cores carry their architecture; for others MIDR[19:16] names it, where 0xF (the
/// CPUID scheme of ARMv6 and later) says no more than "ARMv6 or later": ARM1176 reports the
/// same VMSA field in ID_MMFR0 as a Cortex-A9, so that register cannot tell them apart.
/// A monitor build knows only the core it emulates (emulated(), core/cp15.hpp): any other is
/// "unknown", its architecture too.
Cpu_id decode_cpu(uint32_t midr);

}  // namespace core
