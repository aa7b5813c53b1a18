// The guest's own MMU as its core would apply it: the translation-table walk (ARMv5 format and
// ARMv6/v7 short-descriptor format), domains and access permissions, giving either the
// guest-physical address with the rights the guest's mapping grants, or the fault the guest
// takes. Pure logic, the table read through an interface. Behaviour follows the ARM ARM
// (ARMv5 B3; ARMv7-A B3.5-B3.7) as QEMU 7.2 implements it, the project's oracle
// (target/arm/ptw.c: get_phys_addr_v5 / _v6), including which domain a fault reports.
#pragma once
#include <stdint.h>

#include "core/psr.hpp"

namespace core::mmu {

enum class Access : uint8_t {
    read,
    write,
    execute
};

/// The guest's translation controls, from its virtual CP15.
struct Controls {
    uint32_t sctlr, ttbr0, ttbr1, ttbcr, dacr;
};

/// A word of guest-physical memory for the walk. False: nothing there (an external abort).
class Table_reader {
public:
    virtual bool read(uint32_t physical, uint32_t& value) = 0;

protected:
    ~Table_reader() = default;
};

inline constexpr uint32_t sctlr_mmu = 1u << 0;
inline constexpr uint32_t sctlr_system = 1u << 8;          // S: ARMv5/v6 AP = 00 protection
inline constexpr uint32_t sctlr_rom = 1u << 9;             // R
inline constexpr uint32_t sctlr_extended_page = 1u << 23;  // XP: ARMv6 tables (always on ARMv7)

struct Result {
    uint32_t status = 0;  // 0: translated; else the fault: FSR status | domain << 4 (the caller adds WnR)
    uint32_t physical = 0;
    uint32_t page_size = 0;  // of the guest's mapping: 1 KiB to 16 MiB
    uint8_t rights = 0;      // what the mapping allows: bit n for Access n (read, write, execute)
    uint8_t domain = 0;      // of the mapping (supersections: 0)
    bool global = true;      // not nG: its TLB entries survive a change of ASID (ARMv6/v7)
    bool fault() const { return status != 0; }  // no fault status is 0
    bool allows(Access a) const { return rights >> unsigned(a) & 1; }
    bool writable() const { return allows(Access::write); }
    bool executable() const { return allows(Access::execute); }
};

/// Translates `address` for `access` by a virtual privileged (or user) mode.
Result translate(uint32_t address, Access access, bool privileged, const Controls& controls,
                 Architecture architecture, Table_reader& tables);

}  // namespace core::mmu
