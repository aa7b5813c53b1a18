// The guest's PL011 model and the line-at-a-time console behind it.
#include <catch2/catch.hpp>

#include <string>

#include "core/virtual_pl011.hpp"

using namespace core;

namespace {

struct String_sink final : Sink {
    std::string text;
    void put(char c) override { text += c; }
};

struct Uart {
    String_sink out;
    Line_console console{};  // zeroed, as the monitor makes them (a partition is value-initialised)
    Virtual_pl011 uart{};
    static constexpr uint32_t base = 0x101f1000;
    Uart()
    {
        console.bind(out, "radio");
        uart.attach(console);
    }
    uint32_t read(uint32_t offset)
    {
        uint32_t value = 0xdeadbeef;
        REQUIRE(uart.read(base + offset, 4, value));
        return value;
    }
    void write(uint32_t offset, uint32_t value) { REQUIRE(uart.write(base + offset, 4, value)); }
};

}  // namespace

TEST_CASE("PL011 model: reset values and identification as QEMU gives them")
{
    Uart u;
    CHECK(u.read(0x018) == 0x90);   // FR: TXFE | RXFE
    CHECK(u.read(0x030) == 0x300);  // CR
    CHECK(u.read(0x034) == 0x12);   // IFLS
    CHECK(u.read(0x000) == 0);
    const uint32_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; ++i) CHECK(u.read(0xfe0 + 4 * i) == ids[i]);
    CHECK(u.read(0x800) == 0);  // reserved
}

TEST_CASE("PL011 model: registers keep what the driver writes; FR and RIS are read-only")
{
    Uart u;
    u.write(0x024, 0x27);
    u.write(0x02c, 0x70);
    u.write(0x038, 0x30);
    u.write(0x018, 0);
    CHECK(u.read(0x024) == 0x27);
    CHECK(u.read(0x02c) == 0x70);
    CHECK(u.read(0x038) == 0x30);
    CHECK(u.read(0x018) == 0x90);
}

TEST_CASE("PL011 model: transmit raises TXRIS, ICR clears it, MIS masks it")
{
    Uart u;
    CHECK(u.read(0x03c) == 0);
    u.write(0x000, 'x');
    CHECK(u.read(0x03c) == 0x20);
    CHECK(u.read(0x040) == 0);
    u.write(0x038, 0x20);
    CHECK(u.read(0x040) == 0x20);
    u.write(0x044, 0x20);
    CHECK(u.read(0x03c) == 0);
}

TEST_CASE("Line console: whole lines behind the partition's prefix, characters unchanged")
{
    Uart u;
    for (char c : std::string("hello\r\nworld")) u.write(0, uint8_t(c));
    CHECK(u.out.text == "[radio] hello\r\n");
    u.console.flush();
    CHECK(u.out.text == "[radio] hello\r\n[radio] world");
    u.write(0, '\n');
    CHECK(u.out.text == "[radio] hello\r\n[radio] world\n");  // the rest of a flushed line: no prefix
}

TEST_CASE("Line console: a line longer than the buffer continues without a second prefix")
{
    Uart u;
    const std::string line(Line_console::capacity + 10, 'a');
    for (char c : line) u.write(0, uint8_t(c));
    u.write(0, '\n');
    CHECK(u.out.text == "[radio] " + line + "\n");
}
