// The frame every exception vector saves before it calls C++ (entry.S); the kind it passes is
// a core::Exception, whose values are the vector-table order entry.S uses.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "arch/arm/frame.h"
#include "core/psr.hpp"

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

}  // namespace arm

/// Called by every vector with the saved frame; returning resumes from the frame.
extern "C" void handle_exception(arm::Exception_frame& frame, core::Exception kind);
