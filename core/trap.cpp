#include "core/trap.hpp"

namespace core {

void reflect(Vcpu& cpu, const Virtual_cp15& cp15, Exception exception)
{
    cpu.enter_exception(exception, cpu.r[15], cp15.vector_base(), cp15.thumb_exceptions(),
                        cp15.big_endian_exceptions());
}

Guest_event handle_undefined(Guest_context& guest, uint32_t word, uint32_t physical)
{
    uint32_t instruction = word;
    guest.rewrites.original(word, physical, guest.cpu.r[15], instruction);  // a rewrite, or the word as it is
    return execute(guest, instruction);
}

Guest_event execute(Guest_context& guest, uint32_t instruction)
{
    // MRC and MCR of CP15, unconditional and not with pc: the most frequent trap, straight to
    // the register without the general decoder. What the fast way refuses, the general way does.
    if ((instruction & 0xff000f10) == 0xee000f10 && (instruction >> 12 & 15) != 15) {
        uint32_t& rt = guest.cpu.r[instruction >> 12 & 15];
        uint32_t value = rt;
        if (guest.cp15.move(instruction, guest.cpu.privileged(), value)) {
            rt = value;
            guest.cpu.r[15] += 4;
            return Guest_event::resume;
        }
    }
    switch (emulate(guest.cpu, decode(instruction, emulated(guest.cpu.architecture())), guest.memory,
                    guest.cp15)) {
    case Outcome::next:
    case Outcome::wait_for_event: return Guest_event::resume;  // WFE does not wait in QEMU either
    case Outcome::wait_for_interrupt: return Guest_event::wait_for_interrupt;
    case Outcome::undefined: reflect(guest, Exception::undefined_instruction); break;
    case Outcome::data_abort: reflect(guest, Exception::data_abort); break;  // memory set DFSR, DFAR
    case Outcome::breakpoint:
        // A debug event: IFSR 0x2, IFAR left alone (observed on QEMU 7.2, docs/evidence).
        guest.cp15.set_field(field_ifsr, 0x2);
        reflect(guest, Exception::prefetch_abort);
        break;
    }
    return Guest_event::resume;
}

Guest_event handle_supervisor_call(Guest_context& guest)
{
    reflect(guest, Exception::supervisor_call);
    return Guest_event::resume;
}

}  // namespace core
