// What the monitor does with a guest's trap, as pure logic: resolve a rewritten instruction,
// emulate, or reflect the exception the guest would have taken natively. The monitor's
// exception vectors copy the frame into the vCPU, call these, and copy it back.
#pragma once
#include <stdint.h>

#include "core/cp15.hpp"
#include "core/rewrite.hpp"

namespace core {

/// The rewrite table of one guest image (core/rewrite.hpp).
struct Rewrite_table {
    const rewrite::Entry* entries = nullptr;
    uint32_t count = 0;

    /// The original of the UDF `word` found at guest-physical `address` (virtual `pc`), if the
    /// image's rewriter put it there: the index must be in range and its entry must name that
    /// very address, or for copied code that very virtual address (core/rewrite.hpp).
    bool original(uint32_t word, uint32_t address, uint32_t pc, uint32_t& instruction) const
    {
        if (!rewrite::is_udf(word)) return false;
        const uint32_t index = rewrite::index_of(word);
        if (index >= count || (entries[index].address != address && entries[index].address != (pc | 1)))
            return false;
        instruction = entries[index].original;
        return true;
    }
};

enum class Guest_event : uint8_t {
    resume,              // continue the guest at cpu.r[15]
    wait_for_interrupt,  // the guest idles until one of its interrupts is pending
};

/// The guest's environment as the trap handlers reach it.
struct Guest_context {
    Vcpu& cpu;
    Virtual_cp15& cp15;
    Guest_memory& memory;
    const Rewrite_table& rewrites;
};

/// Takes `exception` in the guest as the architecture defines it, its preferred return the vCPU's
/// pc: the instruction that trapped (left where it was), or for an SVC or an interrupt the next
/// one to run.
void reflect(Vcpu& cpu, const Virtual_cp15& cp15, Exception exception);
inline void reflect(Guest_context& guest, Exception exception) { reflect(guest.cpu, guest.cp15, exception); }

/// An undefined-instruction trap at cpu.r[15]: `word` is the instruction there, `physical` its
/// guest-physical address.
Guest_event handle_undefined(Guest_context& guest, uint32_t word, uint32_t physical);
/// The same for an instruction already resolved (the original of a rewrite, or the word itself).
Guest_event execute(Guest_context& guest, uint32_t instruction);

/// An SVC: cpu.r[15] is the return address (the SVC's address + 4). Reflected to the guest.
Guest_event handle_supervisor_call(Guest_context& guest);

}  // namespace core
