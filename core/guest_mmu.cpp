#include "core/guest_mmu.hpp"

namespace core::mmu {

namespace {

// Fault status codes (short-descriptor FSR; the same values on ARMv5).
constexpr uint32_t translation_section = 0x5, translation_page = 0x7;
constexpr uint32_t domain_section = 0x9, domain_page = 0xb;
constexpr uint32_t permission_section = 0xd, permission_page = 0xf;
constexpr uint32_t walk_abort_first = 0xc, walk_abort_second = 0xe;

/// What AP (with APX as bit 2 on ARMv6/v7) grants under a client domain, as QEMU's
/// ap_to_rw_prot: read (bit 0) and write (bit 1). A nibble per AP, read and write for the
/// privileged modes (bits 0, 1) and for User mode (bits 2, 3): AP 1 privileged read-write; 2 that
/// and User read; 3 all; 4 (reserved) none; 5 privileged read; 6 and 7 read for all (7: ARMv6K and
/// ARMv7, and the ARM1176 is ARMv6K). AP 0 none, but before ARMv7 SCTLR.S makes it privileged
/// read and SCTLR.R read for all.
unsigned access_rights(unsigned ap, bool privileged, uint32_t sctlr, Architecture architecture)
{
    uint32_t nibbles = 0x5510f730;
    if (architecture < Architecture::v7) {
        const uint32_t system_rom = sctlr & (sctlr_system | sctlr_rom);
        nibbles |= system_rom == sctlr_system ? 0x1 : system_rom == sctlr_rom ? 0x5 : 0;
    }
    return nibbles >> (4 * ap + (privileged ? 0 : 2)) & 3;
}

struct Walker {
    // Each member set by itself, not the object cleared first (-Os: a memset call on every walk).
    Walker(uint32_t address, Access access, bool privileged, const Controls& controls,
           Architecture architecture, Table_reader& tables)
        : address(address), access(access), privileged(privileged), controls(controls),
          architecture(architecture), tables(tables)
    {
    }
    uint32_t address;
    Access access;
    bool privileged;
    const Controls& controls;
    Architecture architecture;
    Table_reader& tables;
    Result result;
    unsigned domain = 0;
    unsigned level = 1;

    Result fault(uint32_t first, uint32_t second)
    {
        result.status = (level == 1 ? first : second) | domain << 4;
        return result;
    }

    /// TTBCR.N selects TTBR0 or TTBR1 (ARMv6/v7; zero on ARMv5); PD0/PD1 disable a walk.
    bool first_level_address(uint32_t& table) const
    {
        const uint32_t ttbcr = architecture >= Architecture::v6 ? controls.ttbcr : 0;
        const unsigned n = ttbcr & 7;
        const uint32_t mask = n ? ~(0xffffffffu >> n) : 0;
        if (address & mask) {
            if (ttbcr & 1u << 5) return false;  // PD1
            table = controls.ttbr1 & 0xffffc000;
        } else {
            if (ttbcr & 1u << 4) return false;  // PD0
            table = controls.ttbr0 & ~(0x3fffu >> n);
        }
        table |= address >> 18 & 0x3ffc;
        return true;
    }

    /// The translation by a page or section of `size` bytes that `descriptor` maps.
    void map(uint32_t descriptor, uint32_t size)
    {
        result.physical = (descriptor & ~(size - 1)) | (address & (size - 1));
        result.page_size = size;
    }

    unsigned domain_access() const { return controls.dacr >> 2 * domain & 3; }

    Result finish(unsigned ap, bool execute_never, unsigned access_domain)
    {
        unsigned rights = 7;  // manager: no permission checks, XN ignored (as QEMU)
        if (access_domain != 3) {
            if (execute_never && access == Access::execute) return fault(permission_section, permission_page);
            rights = access_rights(ap, privileged, controls.sctlr, architecture);
            if (rights & 1 && !execute_never) rights |= 4;  // executable where readable
        }
        result.rights = uint8_t(rights);
        result.domain = uint8_t(domain);
        if (!result.allows(access)) return fault(permission_section, permission_page);
        return result;
    }

    Result armv5(uint32_t descriptor)
    {
        uint32_t table;
        const unsigned type = descriptor & 3;
        domain = descriptor >> 5 & 0xf;
        if (type == 0) return fault(translation_section, translation_page);
        if (type != 2) level = 2;
        const unsigned access_domain = domain_access();
        if (access_domain == 0 || access_domain == 2) return fault(domain_section, domain_page);
        unsigned ap;
        uint32_t size;  // of the page or section, which its descriptor's top bits place
        if (type == 2) {
            size = 0x100000;
            ap = descriptor >> 10 & 3;
        } else {
            table = type == 1 ? (descriptor & 0xfffffc00) | (address >> 10 & 0x3fc)  // coarse
                              : (descriptor & 0xfffff000) | (address >> 8 & 0xffc);  // fine
            if (!tables.read(table, descriptor)) return fault(walk_abort_first, walk_abort_second);
            switch (descriptor & 3) {
            case 0: return fault(translation_section, translation_page);
            case 1:  // large page: 64 KiB, an AP per 16 KiB subpage
                size = 0x10000;
                ap = descriptor >> (4 + (address >> 13 & 6)) & 3;
                break;
            case 2:  // small page: 4 KiB, an AP per 1 KiB subpage
                size = 0x1000;
                ap = descriptor >> (4 + (address >> 9 & 6)) & 3;
                break;
            default:
                // coarse table: ARMv6's extended small page (UNPREDICTABLE before); fine: tiny page
                if (type == 1 && architecture < Architecture::v6)
                    return fault(translation_section, translation_page);
                size = type == 1 ? 0x1000 : 0x400;
                ap = descriptor >> 4 & 3;
            }
        }
        map(descriptor, size);
        return finish(ap, false, access_domain);
    }

    Result armv6(uint32_t descriptor)
    {
        uint32_t table;
        const unsigned type = descriptor & 3;
        if (type == 0 || type == 3)
            return fault(translation_section, translation_page);  // 3: PXN form, absent
        const bool supersection = type == 2 && (descriptor & 1u << 18);
        if (!supersection) domain = descriptor >> 5 & 0xf;  // supersections are in domain 0
        if (type == 1) level = 2;
        const unsigned access_domain = domain_access();
        if (access_domain == 0 || access_domain == 2) return fault(domain_section, domain_page);
        unsigned ap;
        bool execute_never;
        uint32_t size;  // of the page or section, which its descriptor's top bits place
        if (type == 2) {
            size = supersection ? 0x1000000 : 0x100000;
            ap = (descriptor >> 10 & 3) | (descriptor >> 13 & 4);
            execute_never = descriptor & 1u << 4;
            result.global = !(descriptor & 1u << 17);
        } else {
            table = (descriptor & 0xfffffc00) | (address >> 10 & 0x3fc);
            if (!tables.read(table, descriptor)) return fault(walk_abort_first, walk_abort_second);
            ap = (descriptor >> 4 & 3) | (descriptor >> 7 & 4);
            result.global = !(descriptor & 1u << 11);
            switch (descriptor & 3) {
            case 0: return fault(translation_section, translation_page);
            case 1:
                size = 0x10000;
                execute_never = descriptor & 1u << 15;
                break;
            default: size = 0x1000; execute_never = descriptor & 1;
            }
        }
        map(descriptor, size);
        return finish(ap, execute_never, access_domain);
    }
};

}  // namespace

Result translate(uint32_t address, Access access, bool privileged, const Controls& controls,
                 Architecture architecture, Table_reader& tables)
{
    Walker walker{address, access, privileged, controls, architecture, tables};
    uint32_t table, descriptor;  // the first-level one, read the same way in either format
    if (!walker.first_level_address(table)) return walker.fault(translation_section, translation_page);
    if (!tables.read(table, descriptor)) return walker.fault(walk_abort_first, walk_abort_second);
    const bool v6_format = architecture >= Architecture::v7 ||
                           (architecture == Architecture::v6 && (controls.sctlr & sctlr_extended_page));
    return v6_format ? walker.armv6(descriptor) : walker.armv5(descriptor);
}

}  // namespace core::mmu
