#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "core/message.hpp"
#include "core/package.hpp"
#include "tools/log/decode.hpp"

namespace {

namespace message = core::message;

struct String_sink final : core::Sink {
    std::string text;
    void put(char c) override { text += c; }
};

/// A message table as the linker lays one out: the header at offset 0, then the texts.
struct Fake_table {
    std::string bytes{message::table_header, sizeof message::table_header};

    uint32_t add(const char* text)
    {
        const auto offset = uint32_t(bytes.size());
        bytes.append(text, std::char_traits<char>::length(text) + 1);
        return offset;
    }
    messages::Table table() const
    {
        messages::Table t;
        t.bytes = bytes + '\0';
        t.check =
            core::package::crc32(reinterpret_cast<const uint8_t*>(bytes.data()), uint32_t(bytes.size()));
        return t;
    }
};

/// The record the monitor writes for `text` at `offset` with these arguments.
template <typename... Arguments>
std::string record(uint32_t offset, const Arguments&... arguments)
{
    String_sink out;
    message::encode(out, message::word(offset, message::kinds<Arguments...>()),
                    core::format_kind::word(arguments)...);
    return out.text;
}

std::string identity(uint32_t check) { return record(0, check); }

/// A record's line from its word and fields as they are written.
std::string wire(uint32_t word, const std::string& fields)
{
    char hex[9];
    std::snprintf(hex, sizeof hex, "%x", unsigned(word));
    return std::string("[hv] \x1e") + hex + fields + "\r\n";
}

/// The decoder's output for `input`, fed `chunk` bytes at a time; its notes in `notes`.
std::string decoded(const messages::Table& table, const std::string& input, size_t chunk,
                    std::vector<std::string>* notes = nullptr)
{
    messages::Decoder decoder(table);
    std::string out;
    for (size_t i = 0; i < input.size(); i += chunk)
        decoder.feed(input.data() + i, std::min(chunk, input.size() - i), out);
    decoder.finish(out);
    if (notes) *notes = decoder.take_notes();
    return out;
}

}  // namespace

// The kinds of a message's arguments: one bit each from the first, text 1, and a 1 above them.
static_assert(message::kinds<>() == 1);
static_assert(message::kinds<unsigned, const char*>() == 0b110);
static_assert(message::kinds<const char*, int, char[4], unsigned long>() == 0b10101);
static_assert(message::kinds("plain 100%%") == 1);
static_assert(message::kinds("%08x %s") == 0b110);
static_assert(message::kinds("%s %d %4s %u") == 0b10101);
static_assert(message::kinds("%[a|b%s|c] %s") == 0b110);  // a choice is a number, whatever its names hold
static_assert(message::kinds("%s %P%%") == 0b1001);       // a share: two numbers
static_assert(message::kinds("(%Q us) %s") == 0b1100);    // a quotient: two numbers
static_assert(message::kinds("trailing %") == 0);
static_assert(message::word(0x123, 0b110) == 0x60123);

TEST_CASE("message: the record of a message on the wire")
{
    CHECK(record(0x40) == "[hv] \x1e"
                          "10040\r\n");
    CHECK(record(0x1c9, 5u, "radio", -1, 'x') == "[hv] \x1e"
                                                 "1201c9\x1f"
                                                 "5\x1fradio\x1f"
                                                 "ffffffff\x1f"
                                                 "78\r\n");
    CHECK(record(7, 0u, "", 0xdeadbeefu) == "[hv] \x1e"
                                            "a0007\x1f"
                                            "0\x1f\x1f"
                                            "deadbeef\r\n");
    CHECK(record(9, static_cast<const char*>(nullptr)) == "[hv] \x1e"
                                                          "30009\x1f\r\n");
}

TEST_CASE("message: records decode to the monitor's text; every other byte passes as it came")
{
    Fake_table t;
    const uint32_t status = t.add("status:"), share = t.add(" %s %u.%u%%"), end = t.add(" (%u us) | %s\n"),
                   banner = t.add("cpu: %s (MIDR %08x)\nram: %u MiB at %08x\n"),
                   mixed = t.add("%5d|%05d|%c|%x|%4s|%[usr|fiq|irq]|%[usr|fiq]\n"), plain = t.add("halted\n");
    const messages::Table table = t.table();
    const std::string input = "[hv] Cellvisor 0.1.0 on versatilepb\r\n" + identity(table.check) +
                              record(banner, "ARM926EJ-S", 0x41069265u, 128u, 0u) + "[radio] radio: up\r\n" +
                              record(status) + record(share, "radio", 12u, 5u) +
                              record(share, "idle", 87u, 0u) + record(end, 321u, "radio") + "[hv" + "\r\n" +
                              "guest \x1e bytes [hv] \x1f\n" +
                              record(mixed, -42, -42, 'q', 0xabcu, "ab", 2u, 7u) + record(plain);
    const std::string expected = "[hv] Cellvisor 0.1.0 on versatilepb\r\n"
                                 "[hv] cpu: ARM926EJ-S (MIDR 41069265)\r\n"
                                 "[hv] ram: 128 MiB at 00000000\r\n"
                                 "[radio] radio: up\r\n"
                                 "[hv] status: radio 12.5% idle 87.0% (321 us) | radio\r\n"
                                 "[hv\r\n"
                                 "guest \x1e bytes [hv] \x1f\n"
                                 "[hv]   -42|-0042|q|abc|  ab|irq|7\r\n"
                                 "[hv] halted\r\n";
    for (size_t chunk : {size_t(1), size_t(2), size_t(7), input.size()}) {
        std::vector<std::string> notes;
        CHECK(decoded(table, input, chunk, &notes) == expected);
        CHECK(notes.empty());
    }
}

TEST_CASE("message: a line continued by another's bytes keeps today's order")
{
    // The status line's first part, then a partition's line, then the rest: as printed before
    // records (the monitor's console did not start a new line for the partition's).
    Fake_table t;
    const uint32_t first = t.add("status:"), rest = t.add(" done\n");
    const std::string out = decoded(t.table(), record(first) + "[work] hello\r\n" + record(rest), 1);
    CHECK(out == "[hv] status:[work] hello\r\n done\r\n");
}

TEST_CASE("message: records of another monitor's table are shown as they came, said once")
{
    Fake_table t;
    const uint32_t text = t.add("timer: IRQ %u\n");
    const messages::Table table = t.table();
    const std::string other = identity(table.check ^ 1) + record(text, 4u) + record(text, 5u);
    std::vector<std::string> notes;
    CHECK(decoded(table, other, 3, &notes) == record(text, 4u) + record(text, 5u));
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("the monitor reports message table") == 0);
    // A monitor with this table boots: its records render again.
    CHECK(decoded(table, other + identity(table.check) + record(text, 6u), 5, &notes) ==
          record(text, 4u) + record(text, 5u) + "[hv] timer: IRQ 6\r\n");
}

TEST_CASE("message: of several tables, the one the booting monitor reports")
{
    Fake_table a, b;
    const uint32_t in_a = a.add("timer: IRQ %u\n");
    b.add("padding, so that the offsets differ\n");
    const uint32_t in_b = b.add("ram: %u MiB\n");
    const std::vector<messages::Table> tables{a.table(), b.table()};
    messages::Decoder decoder(tables);
    std::string out;
    const std::string input = record(in_a, 4u) + identity(tables[1].check) + record(in_b, 128u) +
                              identity(tables[0].check) + record(in_a, 5u);
    decoder.feed(input.data(), input.size(), out);
    CHECK(out == "[hv] timer: IRQ 4\r\n[hv] ram: 128 MiB\r\n[hv] timer: IRQ 5\r\n");
    CHECK(decoder.take_notes().empty());
}

TEST_CASE("message: a record that is not one of the table's is shown as it came, said once")
{
    Fake_table t;
    const uint32_t number = t.add("%u\n"), text = t.add("%s\n");
    const messages::Table table = t.table();
    const std::string wrong[] = {
        record(number, "text"),                 // kinds that are not the text's
        record(number + 1),                     // not the start of a text
        record(0x7fff, 1u),                     // past the table
        record(number, 1u, 2u),                 // a field too many
        wire(message::word(number, 0b10), ""),  // a field too few
        wire(message::word(number, 0b10), "\x1f"
                                          "zz"),  // a number that is not one
        wire(message::word(number, 0b10), "\x1f"
                                          "123456789"),  // nor one of 9 digits
        "[hv] \x1e\r\n",                                 // no word
    };
    for (const std::string& bad : wrong) {
        std::vector<std::string> notes;
        CHECK(decoded(table, bad + bad + record(text, "fine"), 4, &notes) == bad + bad + "[hv] fine\r\n");
        CHECK(notes.size() == 1);
    }
}

TEST_CASE("message: the end of the input inside a record")
{
    Fake_table t;
    const uint32_t text = t.add("partitions: none (no package at %08x)\n");
    const messages::Table table = t.table();
    std::string whole = record(text, 0x100000u);
    std::vector<std::string> notes;
    // Its line not ended, a whole record still renders; one cut inside its word is dropped.
    CHECK(decoded(table, whole.substr(0, whole.size() - 2), 1, &notes) ==
          "[hv] partitions: none (no package at 00100000)\r\n");
    CHECK(notes.empty());
    CHECK(decoded(table, whole.substr(0, 8), 1, &notes).empty());
    CHECK(notes.size() == 1);
    // A line that may still become a record is written at the end.
    CHECK(decoded(table, "[hv] ", 1, &notes) == "[hv] ");
}

TEST_CASE("message: the table of a monitor ELF")
{
    messages::Table table;
    CHECK(messages::read_table(std::vector<uint8_t>{'n', 'o'}, table) ==
          "not a 32-bit little-endian ELF file");
}
