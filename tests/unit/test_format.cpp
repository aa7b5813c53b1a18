#include <catch2/catch.hpp>

#include <string>

#include "core/format.hpp"

namespace {

struct String_sink final : core::Sink {
    std::string text;
    void put(char c) override { text += c; }
};

template <typename... Arguments>
std::string formatted(core::Format<Arguments...> fmt, const Arguments&... arguments)
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
    CHECK(formatted("%s", static_cast<const char*>(nullptr)) == "(null)");
    CHECK(formatted("%4s|%3c|%3%", "ab", 'c') == "  ab|  c|  %");
    CHECK(formatted("%u%%|%x", 5ul, static_cast<unsigned char>(0xab)) == "5%|ab");
}

TEST_CASE("format: a choice prints the name its number indexes")
{
    CHECK(formatted("%[usr|fiq|irq] mode", 0u) == "usr mode");
    CHECK(formatted("%[usr|fiq|irq] mode", 2u) == "irq mode");
    CHECK(formatted("(%5[a|bc])", 1u) == "(   bc)");
    CHECK(formatted("%[|x]|%[one]", 0u, 0u) == "|one");
    CHECK(formatted("%[one|two] %u", 7u, 3u) == "7 3");  // past the last name: the number
}

TEST_CASE("format: %M names the processor a Main ID Register identifies, on the host")
{
    CHECK(formatted("cpu: %M (MIDR %08x)", 0x410fc090u, 0x410fc090u) ==
          "cpu: Cortex-A9 r0p0, ARMv7-A (MIDR 410fc090)");
    CHECK(formatted("%M", 0x41069265u) == "ARM926EJ-S r0p5, ARMv5TEJ");
    CHECK(formatted("%M", 0x410fb767u) == "ARM1176JZF-S r0p7, ARMv6KZ");
    CHECK(formatted("%M.", 0x510f0000u) ==
          "unknown r0p0, ARMv6 or later.");  // not ARM's: named by MIDR[19:16]
}

TEST_CASE("format: %P prints a part's share of its whole in percent, to a tenth, on the host")
{
    CHECK(formatted("%P%%", 42u, 1000u) == "4.2%");
    CHECK(formatted("%s %P%% |", "idle", 23999999u, 24000000u) == "idle 99.9% |");
    CHECK(formatted("%P", 24000000u, 24000000u) == "100.0");
    CHECK(formatted("%P", 5u, 999u) == "0.0");  // a whole under a thousandth's worth: nothing
}

TEST_CASE("format: %Q prints a number divided by the next, rounded down, on the host")
{
    CHECK(formatted("(%Q us)", 35863u * 24 + 23, 24u) == "(35863 us)");  // the status line's
    CHECK(formatted("%Q|%Q", 0xffffffffu, 1u, 7u, 8u) == "4294967295|0");
    CHECK(formatted("%Q", 5u, 0u) == "0");  // no divisor: nothing
}

// A conversion that does not match its argument does not compile: print("%u", "text") is an
// error where it is written. The check itself, as the compiler runs it:
namespace kinds = core::format_kind;
static_assert(kinds::matches<unsigned, const char*, int, char>("%08x %s %5d %c %%"));
static_assert(kinds::matches<>("100%% plain"));
static_assert(!kinds::matches<const char*>("%x"));         // text for a number
static_assert(!kinds::matches<int>("%u"));                 // signed for unsigned
static_assert(!kinds::matches<unsigned>("%d"));            // and the other way
static_assert(!kinds::matches<unsigned>("%s"));            // a number for text
static_assert(!kinds::matches<unsigned>("%u %u"));         // an argument missing
static_assert(!kinds::matches<unsigned, unsigned>("%u"));  // one left over
static_assert(!kinds::matches<>("%u"));
static_assert(!kinds::matches<unsigned long>("%lu"));  // no length modifiers
static_assert(!kinds::matches<>("trailing %"));
static_assert(!kinds::matches<bool>("%u"));  // a type no conversion takes
static_assert(kinds::matches<char[5], unsigned char, unsigned short, long>("%s %u %x %d"));
static_assert(kinds::matches<unsigned, unsigned>("%[a|b] %08[c]"));
static_assert(!kinds::matches<const char*>("%[a|b]"));                        // a choice takes a number
static_assert(kinds::matches<unsigned>("%M") && !kinds::matches<int>("%M"));  // a MIDR: unsigned
static_assert(kinds::matches<unsigned, unsigned long>("%P") && !kinds::matches<unsigned>("%P"));  // two
static_assert(!kinds::matches<unsigned, int>("%P") && !kinds::matches<int, unsigned>("%P"));      // unsigned
static_assert(kinds::matches<unsigned, unsigned long>("%Q") && !kinds::matches<unsigned>("%Q"));  // two
static_assert(!kinds::matches<unsigned, int>("%Q") && !kinds::matches<const char*, unsigned>("%Q"));
static_assert(!kinds::matches<int>("%[a|b]"));        // an unsigned one
static_assert(!kinds::matches<unsigned>("%[a|b"));    // names closed
static_assert(!kinds::matches<unsigned>("%[a|%u]"));  // no conversion among them

TEST_CASE("Prefixed_sink starts each line with the prefix and ends it with CR LF")
{
    String_sink out;
    core::Prefixed_sink prefixed(out, "[hv] ");
    core::format(prefixed, "one\ntwo\n");
    core::format(prefixed, "three");
    CHECK(out.text == "[hv] one\r\n[hv] two\r\n[hv] three");
}
