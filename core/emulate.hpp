// Executes a decoded privileged or sensitive instruction against a guest's virtual CPU. The
// guest's memory and coprocessors are reached through interfaces, so the host tests drive every
// instruction class with fakes, and the monitor supplies the real ones.
#pragma once
#include <stdint.h>

#include "core/decode.hpp"
#include "core/vcpu.hpp"

namespace core {

/// Guest memory at guest-virtual addresses, accessed with the guest's privileged rights (every
/// instruction that reaches memory here runs in a virtual privileged mode). A false return is
/// a fault: the implementation has recorded the abort (status, address) the guest receives.
class Guest_memory {
public:
    /// The word at `address` into `value`, or (`write`) `value` into it.
    virtual bool access(uint32_t address, bool write, uint32_t& value) = 0;

protected:
    ~Guest_memory() = default;
};

/// The guest's coprocessors. A false return makes the instruction undefined for the guest.
/// Single-register moves only: no coprocessor the monitor offers has a 64-bit register (no
/// LPAE; the ARM1176's block cache operations are not offered), so MCRR and MRRC are undefined.
class Coprocessors {
public:
    /// The MRC (in.to_core(): `value` is read) or MCR (`value` is written) `in`.
    virtual bool move(const Instruction& in, bool privileged, uint32_t& value) = 0;

protected:
    ~Coprocessors() = default;
};

/// The architecture a vCPU of `architecture` is emulated as. Guests see the core the monitor
/// runs on, so a monitor build emulates its own only (CELLVISOR_ARCHITECTURE, which
/// core/CMakeLists.txt sets): a constant, and what the others need compiles away. The host
/// build emulates each vCPU's own, for the tests.
constexpr Architecture emulated(Architecture architecture)
{
#ifdef CELLVISOR_ARCHITECTURE
    (void)architecture;
    return Architecture(CELLVISOR_ARCHITECTURE);
#else
    return architecture;
#endif
}

enum class Outcome : uint8_t {
    next,                // done: resume at cpu.r[15]
    undefined,           // take an undefined-instruction exception at cpu.r[15]
    data_abort,          // a guest memory access faulted: take a data abort at cpu.r[15]
    breakpoint,          // take a prefetch abort (debug event) at cpu.r[15]
    wait_for_interrupt,  // done (cpu.r[15] advanced): idle until the guest has an interrupt
    wait_for_event,      // done (cpu.r[15] advanced): may idle like WFI
};

/// Emulates `in`, the instruction at cpu.r[15]. Nothing of the vCPU changes unless the
/// outcome is next or a wait; a faulting LDM or RFE leaves every register as it was.
Outcome emulate(Vcpu& cpu, const Instruction& in, Guest_memory& memory, Coprocessors& coprocessors);

}  // namespace core
