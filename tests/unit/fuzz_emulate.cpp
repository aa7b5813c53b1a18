// Drives random instruction words through decode and emulate, with random guest state, under
// AddressSanitizer and UndefinedBehaviorSanitizer: no crash, no undefined behaviour, and the
// vCPU always stays in a mode a guest may be in.
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/emulate.hpp"

using namespace core;

namespace {

std::mt19937 random_source(20261121);

struct Random_memory final : Guest_memory {
    bool access(uint32_t, bool write, uint32_t& value) override
    {
        if (!write) value = random_source();
        return random_source() % 8 != 0;
    }
};

struct Random_coprocessors final : Coprocessors {
    bool move(const Instruction& in, bool, uint32_t& value) override
    {
        if (in.to_core()) value = random_source();
        return random_source() % 2;
    }
};

constexpr uint32_t guest_modes[] = {0x10, 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f};

}  // namespace

int main(int argc, char** argv)
{
    const unsigned long iterations = argc > 1 ? std::strtoul(argv[1], nullptr, 0) : 1'000'000;
    Random_memory memory;
    Random_coprocessors coprocessors;
    unsigned long emulated = 0;
    for (const Architecture architecture : {Architecture::v5, Architecture::v6, Architecture::v7}) {
        Vcpu cpu(architecture);
        for (unsigned long i = 0; i < iterations; ++i) {
            if (i % 64 == 0) {  // fresh registers, mode and SPSRs now and then
                for (uint32_t& r : cpu.r) r = random_source();
                for (uint32_t mode : guest_modes) {
                    cpu.set_mode(mode);
                    cpu.r[13] = random_source();
                    if (uint32_t* spsr = cpu.spsr()) *spsr = random_source();
                }
                cpu.write_cpsr(random_source(), ~0u);
                cpu.set_mode(guest_modes[random_source() % 7]);
            }
            // Bias a third of the words towards the interesting encoding spaces.
            uint32_t word = random_source();
            switch (random_source() % 6) {
            case 0: word = (word & 0xf0ffffff) | 0x01000000; break;  // misc, MRS, MSR
            case 1: word = (word & 0xf1ffffff) | 0x08000000; break;  // LDM, STM
            case 2: word = (word & 0x00ffffff) | 0xee000000; break;  // coprocessor
            default: break;
            }
            cpu.r[15] &= ~3u;
            const Instruction in = decode(word, architecture);
            if (in.operation != Operation::other) ++emulated;
            emulate(cpu, in, memory, coprocessors);
            if (!is_guest_mode(cpu.cpsr() & psr::mode)) {
                std::printf("FAIL: word %08x left the vCPU in mode %02x\n", word, cpu.cpsr() & psr::mode);
                return 1;
            }
        }
    }
    std::printf("fuzz: %lu words per architecture, %lu decoded as privileged or sensitive\n", iterations,
                emulated);
    return 0;
}
