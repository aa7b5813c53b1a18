// The frame every exception vector saves before it calls C++ (entry.S); the kind it passes is
// a core::Exception, whose values are the vector-table order entry.S uses.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "arch/arm/frame.h"
#include "core/vcpu.hpp"

namespace arm {

struct Exception_frame {
    uint32_t r[13];
    uint32_t sp_usr;
    uint32_t lr_usr;
    // The faulting instruction for undefined instructions and aborts, the return address
    // for SVC, IRQ and FIQ: the vector subtracts the ARM ARM's LR offset (B1.8.3).
    uint32_t pc;
    uint32_t cpsr;
    uint32_t padding;
};

static_assert(offsetof(Exception_frame, r) == FRAME_R0);
static_assert(offsetof(Exception_frame, sp_usr) == FRAME_SP_USR);
static_assert(offsetof(Exception_frame, lr_usr) == FRAME_LR_USR);
static_assert(offsetof(Exception_frame, pc) == FRAME_PC);
static_assert(offsetof(Exception_frame, cpsr) == FRAME_CPSR);
static_assert(sizeof(Exception_frame) == FRAME_SIZE && FRAME_SIZE % 8 == 0);
// entry.S passes these kinds as the literals 1, 4 and 6 (exception_vector).
static_assert(unsigned(core::Exception::undefined_instruction) == 1 &&
              unsigned(core::Exception::data_abort) == 4 && unsigned(core::Exception::irq) == 6 &&
              unsigned(core::Exception::fiq) == 7);

// A partition's registers are saved into its vCPU as a frame (entry.S). GCC lays out the
// vCPU's public members first, in order, whatever the access of the others.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(core::Vcpu, r) == FRAME_R0 && offsetof(core::Vcpu, hardware_cpsr) == FRAME_CPSR);
static_assert(core::Vcpu::cpsr_offset() == VCPU_CPSR);
static_assert(core::Vcpu::spsr_offset(0) == VCPU_SPSR && core::Vcpu::spsr_offset(1) == VCPU_SPSR + 12);
static_assert(core::psr::execution_state == PSR_EXECUTION_STATE &&
              (core::Vcpu::live_bits & ~core::psr::execution_state) == LIVE_READ);
#pragma GCC diagnostic pop

/// A partition's vCPU as the frame the vectors save and restore.
inline Exception_frame& frame_of(core::Vcpu& cpu) { return *reinterpret_cast<Exception_frame*>(&cpu); }

}  // namespace arm

extern "C" {
/// Called by a vector with the monitor's own frame (its idle loop interrupted, or a fault in the
/// monitor): returns the frame to resume.
arm::Exception_frame* handle_exception(arm::Exception_frame& frame, core::Exception kind);
/// Called by a vector with a partition's trap, its registers saved in its vCPU (guest_frame):
/// returns the frame to resume. `word`: an undefined instruction's ARM-state word as entry.S
/// fetched it (0: not fetched).
arm::Exception_frame* handle_partition_trap(arm::Exception_frame& frame, core::Exception kind, uint32_t word);
/// In entry.S, in a row (frame.h): the counter at the current trap's entry; the time every trap
/// took, summed in sixteenths of a counter tick; what each adds for its instructions outside the
/// two reads; where the current partition's registers are saved (its vCPU), read by the vectors.
extern uint32_t trap_entered, monitor_ticks, trap_overhead;
extern arm::Exception_frame* guest_frame;
}
