// The Versatile Express system registers model on a fake clock, against QEMU's
// (hw/misc/arm_sysctl.c with vexpress.c's values for vexpress-a9).
#include <catch2/catch.hpp>

#include "core/virtual_v2m.hpp"
#include "tests/unit/clocked_model.hpp"

using namespace core;

namespace {

using V2m = test::Clocked_model<Virtual_v2m, 0x10000000>;

constexpr uint32_t start = 1u << 31, store = 1u << 30;
constexpr uint32_t command(uint32_t function, uint32_t site, uint32_t device)
{
    return start | function << 20 | site << 16 | device;
}

/// SYS_CFG as Linux's vexpress-config drives it: data, status cleared, the command; then the
/// status and (for a read) the data.
struct Result {
    uint32_t status, data;
};
Result configure(V2m& v, uint32_t control, uint32_t data = 0xdeadbeef)
{
    v.write(Virtual_v2m::cfgdata, data);
    v.write(Virtual_v2m::cfgstat, 0);
    v.write(Virtual_v2m::cfgctrl, control);
    return {v.read(Virtual_v2m::cfgstat), v.read(Virtual_v2m::cfgdata)};
}

}  // namespace

TEST_CASE("V2M system registers: identification and constants as QEMU's vexpress-a9 gives them")
{
    V2m v;
    CHECK(v.read(Virtual_v2m::id) == 0x1190f500);
    CHECK(v.read(Virtual_v2m::procid0) == 0x0c000191);
    CHECK(v.read(Virtual_v2m::procid0 + 4) == 0xff000000);
    CHECK(v.read(Virtual_v2m::pcictl) == 1);
    // Read-only: a write changes none of them.
    for (uint32_t offset : {0x00u, 0x44u, 0x84u, 0x88u}) v.write(offset, 0x12345678);
    CHECK(v.read(Virtual_v2m::id) == 0x1190f500);
    CHECK(v.read(Virtual_v2m::pcictl) == 1);
    CHECK(v.read(Virtual_v2m::procid0) == 0x0c000191);
    // Registers QEMU does not model read as zero and ignore writes (SYS_SW, OSC0, 100HZ,
    // RESETCTL, MCI, FLASH, MISC, and beyond SYS_CFGSTAT).
    for (uint32_t offset : {0x04u, 0x0cu, 0x24u, 0x40u, 0x48u, 0x4cu, 0x60u, 0xacu, 0xffcu}) {
        v.write(offset, ~0u);
        CHECK(v.read(offset) == 0);
    }
}

TEST_CASE("V2M system registers: the 24 MHz counter follows the clock")
{
    V2m v;
    CHECK(v.read(Virtual_v2m::counter) == 24 * 1000);
    v.clock.time = 1'000'000;
    CHECK(v.read(Virtual_v2m::counter) == 24'000'000);
}

TEST_CASE("V2M system registers: what the stored registers keep")
{
    V2m v;
    v.write(Virtual_v2m::led, 0xa5);
    CHECK(v.read(Virtual_v2m::led) == 0xa5);
    v.write(Virtual_v2m::cfgdata1, 1);
    v.write(Virtual_v2m::cfgdata1 + 4, 2);
    CHECK(v.read(Virtual_v2m::cfgdata1) == 1);
    CHECK(v.read(Virtual_v2m::cfgdata1 + 4) == 2);
    // SYS_LOCK keeps the key whole, anything else in 15 bits.
    v.write(Virtual_v2m::lock, Virtual_v2m::lock_key);
    CHECK(v.read(Virtual_v2m::lock) == Virtual_v2m::lock_key);
    v.write(Virtual_v2m::lock, 0xffffffff);
    CHECK(v.read(Virtual_v2m::lock) == 0x7fff);
    // The flags: set at 0x30 and 0x38, cleared at 0x34 and 0x3c.
    v.write(Virtual_v2m::flags, 0x0f);
    v.write(Virtual_v2m::flags + 4, 0x03);
    v.write(Virtual_v2m::nvflags, 0xf0);
    v.write(Virtual_v2m::nvflags + 4, 0x30);
    CHECK(v.read(Virtual_v2m::flags) == 0x0c);
    CHECK(v.read(Virtual_v2m::flags + 4) == 0);
    CHECK(v.read(Virtual_v2m::nvflags) == 0xc0);
    // SYS_CFGSTAT keeps two bits; SYS_CFGCTRL drops bits 19:18 and the start bit.
    v.write(Virtual_v2m::cfgstat, ~0u);
    CHECK(v.read(Virtual_v2m::cfgstat) == 3);
    v.write(Virtual_v2m::cfgctrl, 0x7fffffff);
    CHECK(v.read(Virtual_v2m::cfgctrl) == 0x7ff3ffff);
    CHECK(v.model.request() == 0);
}

TEST_CASE("V2M system registers: SYS_CFG reads the oscillators and supplies QEMU has")
{
    V2m v;
    const Result uart = configure(v, command(Virtual_v2m::oscillator, 0, 2));  // the UARTs' clock
    CHECK(uart.status == 1);
    CHECK(uart.data == 24'000'000);
    CHECK(v.read(Virtual_v2m::cfgctrl) == (command(Virtual_v2m::oscillator, 0, 2) & ~start));
    CHECK(configure(v, command(Virtual_v2m::oscillator, 0, 0)).data == 50'000'000);
    CHECK(configure(v, command(Virtual_v2m::oscillator, 0, 1)).data == 23'750'000);
    CHECK(configure(v, command(Virtual_v2m::oscillator, 1, 0)).data == 45'000'000);
    CHECK(configure(v, command(Virtual_v2m::oscillator, 1, 2)).data == 66'670'000);
    CHECK(configure(v, command(Virtual_v2m::voltage, 0, 0)).data == 3'300'000);
    CHECK(configure(v, command(Virtual_v2m::voltage, 1, 3)).data == 1'800'000);
    CHECK(configure(v, command(Virtual_v2m::voltage, 1, 4)).data == 900'000);
    // An oscillator written reads back; the others keep theirs.
    CHECK(configure(v, command(Virtual_v2m::oscillator, 0, 1) | store, 25'175'000).status == 1);
    CHECK(configure(v, command(Virtual_v2m::oscillator, 0, 1)).data == 25'175'000);
    CHECK(configure(v, command(Virtual_v2m::oscillator, 1, 1)).data == 23'750'000);
    // What QEMU does not implement completes with an error, the data untouched: a device it
    // has not, another site, position or DCC, a supply written, an unknown function.
    for (uint32_t control :
         {command(Virtual_v2m::oscillator, 0, 6), command(Virtual_v2m::oscillator, 1, 3),
          command(Virtual_v2m::oscillator, 2, 0), command(Virtual_v2m::oscillator, 0, 2) | 1u << 12,
          command(Virtual_v2m::oscillator, 0, 2) | 1u << 26, command(Virtual_v2m::oscillator, 0, 0x102),
          command(Virtual_v2m::voltage, 1, 6), command(Virtual_v2m::voltage, 0, 0) | store, command(3, 0, 0),
          command(4, 1, 0), command(Virtual_v2m::shutdown, 0, 0),
          command(Virtual_v2m::reboot, 0, 1) | store}) {
        const Result r = configure(v, control, 0x1234);
        CHECK(r.status == 3);
        CHECK(r.data == 0x1234);
    }
    CHECK(v.model.request() == 0);
}

TEST_CASE("V2M system registers: power-off and reboot are the partition's requests")
{
    V2m v;
    // The FPGA mux and DVI mode complete and change nothing.
    CHECK(configure(v, command(Virtual_v2m::mux_fpga, 0, 0) | store).status == 1);
    CHECK(configure(v, command(Virtual_v2m::dvi_mode, 0, 0) | store).status == 1);
    CHECK(v.model.request() == 0);
    // Power-off: the write is carried out and refused, so the monitor sees the request.
    v.write(Virtual_v2m::cfgdata, 0);
    CHECK_FALSE(
        v.model.write(0x10000000 + Virtual_v2m::cfgctrl, 4, command(Virtual_v2m::shutdown, 0, 0) | store));
    CHECK(v.model.request() == Virtual_v2m::shutdown);
    CHECK(v.read(Virtual_v2m::cfgstat) == 1);
    V2m w;
    CHECK_FALSE(
        w.model.write(0x10000000 + Virtual_v2m::cfgctrl, 4, command(Virtual_v2m::reboot, 0, 0) | store));
    CHECK(w.model.request() == Virtual_v2m::reboot);
}

TEST_CASE("V2M system registers: only the offset within the page counts (a guest maps it anywhere)")
{
    V2m v;
    uint32_t value = 0;
    REQUIRE(v.model.read(0xc68c9000, 4, value));
    CHECK(value == 0x1190f500);
    REQUIRE(v.model.write(0xc68c9000 + Virtual_v2m::led, 4, 7));
    CHECK(v.read(Virtual_v2m::led) == 7);
}
