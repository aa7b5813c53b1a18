// The Versatile Express motherboard's system registers, as a guest on vexpress-a9 sees them
// natively: register by register what QEMU's model (hw/misc/arm_sysctl.c, QEMU 7.2, with
// vexpress.c's values for the CoreTile A9x4) gives it, per partition. The IDs, the 24 MHz
// counter (sched_clock's), the LEDs, flags and lock, and SYS_CFG: the oscillators' and supplies'
// readings (the UARTs' clock among them), and power-off and reboot, which are the partition's
// own. Offsets: V2M-P1 TRM (DUI 0447) 4.3.
#pragma once
#include <stdint.h>

#include "core/access.hpp"
#include "core/virtual_sp804.hpp"

namespace core {

/// Made zeroed, as Virtual_gic is (`{}`, or a member of a value-initialised whole, as a
/// partition's board is): its fields without an initialiser start at zero, with no clearing.
class Virtual_v2m final : public Mmio_device {
public:
    enum Register : uint32_t {
        id = 0x00,        // SYS_ID
        led = 0x08,       // SYS_LED
        lock = 0x20,      // SYS_LOCK
        cfgdata1 = 0x28,  // SYS_CFGDATA1, SYS_CFGDATA2: stored
        flags = 0x30,     // SYS_FLAGS (read), SYS_FLAGSSET (write); SYS_FLAGSCLR at 0x34
        nvflags = 0x38,   // SYS_NVFLAGS, SYS_NVFLAGSSET; SYS_NVFLAGSCLR at 0x3c
        pcictl = 0x44,    // SYS_PCICTL: reads 1
        counter = 0x5c,   // SYS_24MHZ
        procid0 = 0x84,   // SYS_PROCID0, SYS_PROCID1
        cfgdata = 0xa0,   // SYS_CFGDATA
        cfgctrl = 0xa4,   // SYS_CFGCTRL: [31] start, [30] write, [29:26] DCC, [25:20] function,
                          // [17:16] site, [15:12] position, [11:0] device
        cfgstat = 0xa8,   // SYS_CFGSTAT: [0] complete, [1] error
    };
    /// SYS_CFG functions (the V2M-P1 TRM's numbers); shutdown and reboot are requests.
    enum Function : uint32_t {
        oscillator = 1,
        voltage = 2,
        mux_fpga = 7,
        shutdown = 8,
        reboot = 9,
        dvi_mode = 11
    };
    static constexpr uint32_t lock_key = 0xa05f;

    /// A new model is in QEMU's reset state; it keeps time on `clock` (microseconds).
    void attach(Clock& clock);
    /// Of `address`, only the offset within the page counts.
    bool read(uint32_t address, unsigned size, uint32_t& value) override;
    /// False, after carrying the write out, when it asks for the partition's power-off or
    /// reboot: request() says which.
    bool write(uint32_t address, unsigned size, uint32_t value) override;
    /// The partition's last request (shutdown or reboot), 0 before any.
    uint32_t request() const { return request_; }

private:
    /// SYS_CFGCTRL written with its start bit: the function carried out, SYS_CFGSTAT set. False
    /// when it is a request.
    bool configure(uint32_t control);

    Clock* clock_;
    uint32_t request_;
    uint32_t registers_[cfgstat / 4 + 1];  // by offset / 4; zero where QEMU reads zero
    uint32_t readings_[16];                // SYS_CFG's oscillators, then supplies, as differences from reset
};

}  // namespace core
