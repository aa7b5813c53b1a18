// A guest's load or store that faulted on an emulated device, decoded into a plain value and
// then carried out against the device model. Decoding is separate from acting (the device
// never sees an instruction), and both run on the host under test.
// Encodings: ARMv7-A ARM (DDI 0406C) A5.3 (load/store word and byte), A5.2.8 (extra
// load/store), A5.5 (load/store multiple); ARMv5 ARM (DDI 0100I) A5.2-A5.4.
#pragma once
#include <stdint.h>

#include "core/divide.hpp"
#include "core/vcpu.hpp"

namespace core {

struct alignas(8) Access {  // 8: zeroed two words at a time (blank_access)
    enum class Kind : uint8_t {
        none,      // not a load or store the monitor emulates
        single,    // LDR/STR word, byte, halfword, signed byte/halfword; LDRT/STRT
        dual,      // LDRD/STRD: rt and rt + 1
        multiple,  // LDM/STM (not the ^ forms): `registers`, lowest first
    } kind = Kind::none;
    bool load = false;
    bool sign_extend = false;
    uint8_t size = 4;  // bytes per register transferred: 1, 2 or 4
    uint8_t rt = 0, rn = 0;
    uint16_t registers = 0;
    uint32_t address = 0;  // of the first transfer
    bool writeback = false;
    uint32_t new_base = 0;  // rn after the instruction, when writeback

    /// The address of the last byte transferred: an LDRD's second word and an LDM's last
    /// register included (what decides whether an access stays on its device's page).
    constexpr uint32_t last() const
    {
        const unsigned transfers = kind == Kind::multiple ? count_bits(registers)
                                   : kind == Kind::dual   ? 2
                                                          : 1;
        return address + transfers * size - 1;
    }
};

/// LDRT, STRT, LDRBT, STRBT and, on ARMv7, LDRHT, STRHT, LDRSBT, LDRSHT (ARMv7-A ARM A8.8.65 and
/// the like; ARMv5 ARM A4.1.24): User mode's permissions, whatever mode executes them. A guest's
/// privileged modes run in User mode on tables that hold their own rights, so the image tool
/// rewrites these (core/rewrite.hpp) and the monitor checks each one (docs/memory.md).
constexpr bool unprivileged_transfer(uint32_t word, Architecture architecture)
{
    if (word >> 28 == 0xf) return false;
    if ((word & 0x0d200000) == 0x04200000) return (word & 0x02000010) != 0x02000010;  // not media space
    return architecture >= Architecture::v7 && (word & 0x0f200090) == 0x00200090 &&
           (word & 0x00100000 ? (word & 0x60) != 0 : (word & 0x60) == 0x20);
}
static_assert(unprivileged_transfer(0xe4b01004, Architecture::v5));   // ldrt r1, [r0], #4
static_assert(unprivileged_transfer(0xe4e01001, Architecture::v5));   // strbt r1, [r0], #1
static_assert(!unprivileged_transfer(0xe5901000, Architecture::v5));  // ldr r1, [r0]
static_assert(!unprivileged_transfer(0xe4901004, Architecture::v5));  // ldr r1, [r0], #4
static_assert(unprivileged_transfer(0xe0f010b2, Architecture::v7));   // ldrht r1, [r0], #2
static_assert(!unprivileged_transfer(0xe0f010b2, Architecture::v6));
static_assert(!unprivileged_transfer(0xe0e010d8, Architecture::v7));  // ldrd-space with P = 0, W = 1

/// Whether the load, store, swap or coprocessor transfer `word` writes memory: what ARMv5, which
/// reports no WnR, leaves to the instruction. L (bit 20) clear, but for LDRD; SWP counts as a write.
constexpr bool stores(uint32_t word) { return !(word >> 20 & 1) && (word & 0x0e1000f0) != 0x000000d0; }
static_assert(stores(0xe5801000) && !stores(0xe5901000));  // str, ldr r1, [r0]
static_assert(stores(0xe1c020f0) && !stores(0xe1c020d0));  // strd, ldrd r2, [r0]
static_assert(stores(0xe8800006) && !stores(0xe8900006));  // stm, ldm r0, {r1, r2}
static_assert(stores(0xe1001091));                         // swp r1, r1, [r0]

/// Decodes the ARM-state `word` with `cpu`'s registers (r[15] = its address) and carry flag
/// (an RRX offset shifts it in) as they were when it executed.
Access decode_access(uint32_t word, const Vcpu& cpu);

/// A memory-mapped device model: an access of `size` bytes at a guest-physical `address`.
/// A false return is a bus error (the guest gets an external abort).
class Mmio_device {
public:
    virtual bool read(uint32_t address, unsigned size, uint32_t& value) = 0;
    virtual bool write(uint32_t address, unsigned size, uint32_t value) = 0;

protected:
    ~Mmio_device() = default;
};

/// A register block whose registers all read as zero and ignore writes (an emulated device
/// none of whose lines or functions the guest owns).
class Zero_device final : public Mmio_device {
public:
    bool read(uint32_t, unsigned, uint32_t& value) override { return value = 0, true; }
    bool write(uint32_t, unsigned, uint32_t) override { return true; }
};
/// The one every user shares: what an address nobody owns holds, by default, and a device
/// page QEMU does not model.
inline constinit Zero_device zero_device;

/// Carries out `access` (whose addresses all fall on `device`) and advances the vCPU past the
/// instruction. False, with nothing changed, when the device refuses a transfer or the
/// instruction is not one the monitor emulates. Data is byte-swapped when CPSR.E is set.
bool perform_access(Vcpu& cpu, const Access& access, Mmio_device& device);

}  // namespace core
