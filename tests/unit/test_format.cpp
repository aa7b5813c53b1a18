#include <catch2/catch.hpp>

#include <string>

#include "core/format.hpp"

namespace {

struct String_sink final : core::Sink {
    std::string text;
    void put(char c) override { text += c; }
};

template <typename... Arguments>
std::string formatted(const char* fmt, const Arguments&... arguments)
{
    String_sink sink;
    core::format(sink, fmt, arguments...);
    return sink.text;
}

}  // namespace

TEST_CASE("format: decimal and hexadecimal numbers with text and characters")
{
    CHECK(formatted("plain") == "plain");
    CHECK(formatted("%u", 0u) == "0");
    CHECK(formatted("%u", 4294967295u) == "4294967295");
    CHECK(formatted("%d", -2147483647 - 1) == "-2147483648");
    CHECK(formatted("%d", 42) == "42");
    CHECK(formatted("%x", 0xdeadbeefu) == "deadbeef");
    CHECK(formatted("%08x", 0x1fu) == "0000001f");
    CHECK(formatted("%4u|", 7u) == "   7|");
    CHECK(formatted("%05d", -42) == "-0042");
    CHECK(formatted("%5d", -42) == "  -42");
    CHECK(formatted("%s=%c", "key", 'v') == "key=v");
    CHECK(formatted("100%%") == "100%");
    CHECK(formatted("%lu", 5ul) == "5u");  // no length modifiers: "l" is the conversion
}

TEST_CASE("format: arguments of the wrong kind or missing are shown and never misread")
{
    CHECK(formatted("%x", "text") == "text");
    CHECK(formatted("%u %u", 1u) == "1 ?");
    CHECK(formatted("%u") == "?");
    CHECK(formatted("%s", static_cast<const char*>(nullptr)) == "(null)");
    CHECK(formatted("trailing %") == "trailing ");
    CHECK(formatted("%u", 1u, 2u) == "1");
}

TEST_CASE("Prefixed_sink starts each line with the prefix and ends it with CR LF")
{
    String_sink out;
    core::Prefixed_sink prefixed(out, "[hv] ");
    core::format(prefixed, "one\ntwo\n");
    core::format(prefixed, "three");
    CHECK(out.text == "[hv] one\r\n[hv] two\r\n[hv] three");
}
