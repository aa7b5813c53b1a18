// The image-build-time rewriter: finds the sensitive instructions of a guest ELF that do not
// trap in User mode and replaces each with the UDF encoding of core/rewrite.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/decode.hpp"
#include "core/rewrite.hpp"

namespace rewriter {

/// Whether `in`, on a core of `architecture`, must be rewritten: it does not trap in User mode
/// but behaves differently there (docs/vcpu.md, "What traps from USR mode").
bool is_sensitive(const core::Instruction& in);

struct Rewritten {
    std::string section;
    uint32_t virtual_address;
    core::rewrite::Entry entry;  // guest-physical address and original instruction
};

struct Result {
    bool ok = false;
    std::string error;  // "<section>: <reason>" when !ok
    std::vector<Rewritten> rewritten;
};

/// Whether the Thumb instruction starting with halfword `first` (and `second`, for a 32-bit
/// encoding) is one that would need rewriting: MRS, MSR CPSR (c or x field), CPS, WFI.
bool is_sensitive_thumb(uint16_t first, uint16_t second);

/// Rewrites the ELF32 image in `elf` in place. Refuses (ok = false, nothing changed) an image
/// that is not a little-endian ARM executable, whose executable sections carry no mapping
/// symbols ($a, $t, $d) to tell code from data, whose Thumb code holds a sensitive instruction
/// (Thumb is not rewritten yet; Thumb code without one, such as libgcc's, runs as it is), or
/// whose code is not inside a loadable segment.
Result rewrite(std::vector<uint8_t>& elf, core::Architecture architecture);

/// The table the monitor reads: header then entries in index order.
std::vector<uint8_t> table_bytes(const std::vector<Rewritten>& rewritten);

}  // namespace rewriter
