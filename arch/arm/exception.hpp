// The frame every exception vector saves before it calls C++ (entry.S), and the kinds of
// exception in vector-table order.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "arch/arm/frame.h"

namespace arm {

enum class Exception : unsigned {
    reset,
    undefined_instruction,
    supervisor_call,
    prefetch_abort,
    data_abort,
    unused,
    irq,
    fiq,
};

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

}  // namespace arm

/// Called by every vector with the saved frame; returning resumes from the frame.
extern "C" void handle_exception(arm::Exception_frame& frame, arm::Exception kind);
