#include "core/virtual_v2m.hpp"

namespace core {

namespace {

constexpr uint32_t sys_id = 0x1190f500, processor_ids[2] = {0x0c000191, 0xff000000};  // vexpress.c

// SYS_CFG's functions QEMU carries out, each as DCC 0, position 0 and a device below 16 give
// it: function << 8 | site << 4 | device, and whether it is read (bit 14) or written (bit 15).
// The oscillators (read and written), the supplies (read), then those only written; the last
// two are requests.
constexpr uint32_t read = 1u << 14, written = 1u << 15;
constexpr uint16_t functions[] = {
    read | written | 0x100, read | written | 0x101, read | written | 0x102,  // the motherboard's
    read | written | 0x103, read | written | 0x104, read | written | 0x105,  // oscillators,
    read | written | 0x110, read | written | 0x111, read | written | 0x112,  // the CoreTile's
    read | 0x200,                                                            // VIO,
    read | 0x210,           read | 0x211,           read | 0x212,
    read | 0x213,           read | 0x214,           read | 0x215,  // the CoreTile's
    written | 0x700,        written | 0xb00,                       // FPGA mux, DVI mode
    written | 0x800,        written | 0x900,                       // shutdown, reboot
};
constexpr unsigned count = sizeof functions / sizeof functions[0], readings = 16, requests = count - 2;
// The readings at reset (vexpress.c), in tens of kHz and of mV: the oscillators (static memory,
// CLCD, the IO FPGA's peripheral clock (the UARTs'), three more; AXI, CLCD, test chip), the
// supplies (VIO; VD10, VD10_S2, VD10_S3, VCC1V8, DDR2VTT, VCC3V3). The model keeps each reading
// as its difference (exclusive or) from its reset value, so a zeroed model is at reset.
constexpr uint32_t reading_unit = 10000;  // Hz, uV
constexpr uint16_t readings_reset[readings] = {5000, 2375, 2400, 2400, 2400, 2400, 4500, 2375,
                                               6667, 330,  100,  100,  100,  180,  90,   330};

}  // namespace

void Virtual_v2m::attach(Clock& clock)
{
    clock_ = &clock;
    registers_[id / 4] = sys_id;
    registers_[pcictl / 4] = 1;
    registers_[procid0 / 4] = processor_ids[0];
    registers_[procid0 / 4 + 1] = processor_ids[1];
}

bool Virtual_v2m::read(uint32_t address, unsigned, uint32_t& value)
{
    const uint32_t offset = address & 0xfff;
    // Every register QEMU does not model reads as zero.
    value = offset <= cfgstat && !(offset & 3) ? registers_[offset / 4] : 0;
    if (offset == counter) value = uint32_t(clock_->now() * 24);
    return true;
}

bool Virtual_v2m::write(uint32_t address, unsigned, uint32_t value)
{
    const uint32_t offset = address & 0xfff, i = offset / 4;
    if (offset > cfgstat || (offset & 3)) return true;
    uint32_t* r = registers_;
    if (offset == cfgctrl) {
        // Bits [19:18] read as zero; the start bit sets the function going and reads as zero.
        r[i] = value & ~(3u << 18 | 1u << 31);
        return !(value >> 31) || configure(r[i]);
    }
    if ((offset & ~0xcu) == flags) {  // SYS_FLAGS and SYS_NVFLAGS: set, then clear
        r[i & ~1u] = i & 1 ? r[i & ~1u] & ~value : r[i & ~1u] | value;
    } else if (offset == lock) {
        r[i] = value == lock_key ? value : value & 0x7fff;
    } else if (offset == cfgstat) {
        r[i] = value & 3;
    } else if (offset == led || offset == cfgdata || offset - cfgdata1 < 8) {
        r[i] = value;
    }
    return true;
}

bool Virtual_v2m::configure(uint32_t control)
{
    const bool store = control >> 30 & 1;
    // function, site, device; none when DCC or position is not 0 or the device is above 15
    const uint32_t key = control & 0x3c00fff0 ? ~0u : (control >> 12 & 0x3f30) | (control & 0xf);
    unsigned n = 0;
    while (n < count && (functions[n] & 0x3fff) != key) ++n;
    const bool done = n < count && (functions[n] >> (14 + store) & 1);
    uint32_t& data = registers_[cfgdata / 4];
    if (done && n < readings) {
        const uint32_t reset = readings_reset[n] * reading_unit;
        if (store)
            readings_[n] = data ^ reset;
        else
            data = readings_[n] ^ reset;
    }
    registers_[cfgstat / 4] = done ? 1 : 3;  // complete; with an error
    if (!done || n < requests) return true;
    request_ = functions[n] >> 8 & 0x3f;
    return false;
}

}  // namespace core
