// Program Status Register layout and processor modes (ARMv7-A ARM B1.3.3; ARMv5 ARM A2.5).
#pragma once
#include <stdint.h>

namespace core {

enum class Architecture : uint8_t {
    v5 = 5,
    v6 = 6,
    v7 = 7
};

enum class Mode : uint8_t {
    usr = 0x10,
    fiq = 0x11,
    irq = 0x12,
    svc = 0x13,
    mon = 0x16,  // Security Extensions only: never offered to a guest
    abt = 0x17,
    hyp = 0x1a,  // Virtualization Extensions only: never offered to a guest
    und = 0x1b,
    sys = 0x1f,
};

/// The exceptions, in vector-table order (the value times 4 is the vector's offset).
enum class Exception : uint8_t {
    reset,
    undefined_instruction,
    supervisor_call,
    prefetch_abort,
    data_abort,
    unused,  // the reserved vector: never taken
    irq,
    fiq,
};

namespace psr {
inline constexpr uint32_t mode = 0x1f;
inline constexpr uint32_t thumb = 1u << 5;
inline constexpr uint32_t fiq_mask = 1u << 6;
inline constexpr uint32_t irq_mask = 1u << 7;
inline constexpr uint32_t abort_mask = 1u << 8;        // ARMv6 and later
inline constexpr uint32_t big_endian = 1u << 9;        // ARMv6 and later
inline constexpr uint32_t greater_equal = 0xfu << 16;  // GE[3:0], ARMv6 and later
inline constexpr uint32_t jazelle = 1u << 24;
inline constexpr uint32_t if_then = 0x0600fc00;  // IT[1:0] at 26:25, IT[7:2] at 15:10 (ARMv6T2+)
inline constexpr uint32_t flags = 0xf8000000;    // N Z C V Q
inline constexpr uint32_t carry = 1u << 29;
/// Execution-state bits, which MRS reads as zero (B1.3.3) and MSR cannot change.
inline constexpr uint32_t execution_state = jazelle | thumb | if_then;
}  // namespace psr

/// The CPSR bits an MSR may write: in a privileged mode, and in User mode.
constexpr uint32_t msr_writable(Architecture architecture, bool privileged)
{
    // ARMv6+: GE, and E, which User mode may change too (SETEND; QEMU's MSR lands it as well).
    const uint32_t application =
        psr::flags | (architecture >= Architecture::v6 ? psr::greater_equal | psr::big_endian : 0);
    if (!privileged) return application;
    // A too on ARMv5, as QEMU's ARM926 keeps it (Vcpu::implemented: what the core keeps).
    return application | psr::abort_mask | psr::irq_mask | psr::fiq_mask | psr::mode;
}

/// USR, FIQ, IRQ, SVC, ABT, UND and SYS: the modes a guest may be in.
constexpr bool is_guest_mode(uint32_t mode)
{
    // M[4] set, nothing above M, and M[3:0] one of 0 1 2 3 7 11 15: a bit each in 0x888f
    // (no switch: a Thumb-1 build makes a case table of it, ten instructions on every mode change).
    return (mode & ~0xfu) == 0x10 && (0x888fu >> (mode & 0xf) & 1);
}

}  // namespace core
