// Feeds truncated and byte-mutated copies of a real guest ELF to the rewriter under
// AddressSanitizer and UndefinedBehaviorSanitizer: it must refuse or rewrite, never crash.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>

#include "tools/rewriter/rewriter.hpp"

int main(int argc, char** argv)
{
    if (argc != 3) return 2;
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<uint8_t> original((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
    if (original.size() < 64) return 2;
    std::mt19937 random_source(1121);
    const unsigned long rounds = std::strtoul(argv[2], nullptr, 0);
    unsigned long refused = 0;
    for (unsigned long i = 0; i < rounds; ++i) {
        std::vector<uint8_t> elf = original;
        if (i % 4 == 0) {
            elf.resize(random_source() % elf.size());
        } else {
            for (unsigned n = 1 + random_source() % 8; n; --n)
                elf[random_source() % elf.size()] = uint8_t(random_source());
        }
        if (!rewriter::rewrite(elf, core::Architecture(5 + i % 3)).ok) ++refused;
    }
    std::printf("fuzz: %lu mutated images, %lu refused with a reason\n", rounds, refused);
    return 0;
}
