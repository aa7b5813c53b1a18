// A printf-like formatter for the monitor's messages: no heap, no libc, and type-safe: every
// conversion is checked against its argument's type when the call is compiled, so the running
// formatter trusts the conversions and carries nothing but the words. The monitor only checks
// its formats and sends the words (core/message.hpp); the host formats them (tools/log).
#pragma once
#include <stdint.h>

namespace core {

/// Where characters go: a UART in the monitor, a buffer in a test.
class Sink {
public:
    virtual void put(char c) = 0;

protected:
    ~Sink() = default;
};

/// The compile-time half: which conversion takes which argument type. %u and %x take an
/// unsigned number, %d a signed one, %s text, %c a character; "%%" is a percent sign. A
/// choice, %[NAME|NAME|...], takes an unsigned number and prints the name it indexes from 0:
/// names the host knows, so the monitor sends a number (an exception's kind, a mode) and
/// carries no name. %M takes a Main ID Register and prints the processor it names
/// ("Cortex-A9 r0p0, ARMv7-A": core::decode_cpu, which the host has for every core). %P takes two
/// unsigned numbers, a part and its whole, and prints the part as a percentage to a tenth
/// ("4.2"; a whole under 1000: "0.0"), and %Q two unsigned numbers, a dividend and its divisor, and
/// prints the quotient in decimal (rounded down; a divisor of 0: 0), so the monitor divides
/// nothing for its status line. A zero flag and a
/// width may precede the letter (%08x). No other letter, no length modifier, and exactly as many arguments as
/// conversions: anything else does not compile.
namespace format_kind {

template <typename T>
constexpr const char* conversions = "";  // an argument of this type is never printed
template <>
constexpr const char* conversions<unsigned> = "ux[MPQ";
template <>
constexpr const char* conversions<unsigned long> = "ux[MPQ";
template <>
constexpr const char* conversions<unsigned short> = "ux[MPQ";
template <>
constexpr const char* conversions<unsigned char> = "ux[MPQ";
template <>
constexpr const char* conversions<int> = "d";
template <>
constexpr const char* conversions<long> = "d";
template <>
constexpr const char* conversions<char> = "c";
template <>
constexpr const char* conversions<const char*> = "s";
template <>
constexpr const char* conversions<char*> = "s";
template <unsigned N>
constexpr const char* conversions<char[N]> = "s";
template <unsigned N>
constexpr const char* conversions<const char[N]> = "s";

/// The conversion letters of `fmt` in order, each checked against the next of `accepted`
/// (one string of letters per argument). False on a mismatch, an unknown letter, or a count
/// that differs.
constexpr bool matches(const char* fmt, const char* const* accepted, unsigned count)
{
    unsigned used = 0;
    for (; *fmt; ++fmt) {
        if (*fmt != '%') continue;
        ++fmt;
        while (*fmt >= '0' && *fmt <= '9') ++fmt;
        if (*fmt == '%') continue;
        if (!*fmt || used == count) return false;
        bool found = false;
        for (const char* a = accepted[used]; *a; ++a) found |= *a == *fmt;
        if (!found) return false;
        if (*fmt == 'P' || *fmt == 'Q') {  // the whole (divisor) follows: an unsigned number as well
            if (++used == count) return false;
            found = false;
            for (const char* a = accepted[used]; *a; ++a) found |= *a == *fmt;
            if (!found) return false;
        }
        if (*fmt == '[') {  // the names: no conversion among them, and a closing bracket
            while (*fmt && *fmt != ']' && *fmt != '%') ++fmt;
            if (*fmt != ']') return false;
        }
        ++used;
    }
    return used == count;
}

template <typename... Arguments>
constexpr bool matches(const char* fmt)
{
    const char* const accepted[sizeof...(Arguments) + 1] = {conversions<Arguments>..., ""};
    return matches(fmt, accepted, sizeof...(Arguments));
}

inline void conversion_does_not_match_its_argument() {}  // not constexpr: the compiler's message

template <typename T>
struct Identity {
    using type = T;
};

/// A format string checked against the argument types when the call is compiled.
template <typename... Arguments>
struct Checked {
    template <unsigned N>
    consteval Checked(const char (&fmt)[N]) : text(fmt)
    {
        if (!matches<Arguments...>(fmt)) conversion_does_not_match_its_argument();
    }
    const char* text;
};

inline uintptr_t word(unsigned long value) { return uint32_t(value); }
inline uintptr_t word(unsigned value) { return value; }
inline uintptr_t word(int value) { return uint32_t(value); }
inline uintptr_t word(long value) { return uint32_t(value); }
inline uintptr_t word(const char* value) { return uintptr_t(value); }
}  // namespace format_kind

/// A format string for `Arguments`, checked where it is written.
template <typename... Arguments>
using Format = format_kind::Checked<typename format_kind::Identity<Arguments>::type...>;

/// Writes `fmt` with each conversion replaced by the next of `words`: %u in decimal, %d as a
/// signed decimal, %x in hexadecimal, %s as text (a null one as "(null)"), %c as a character,
/// %[...] as the name the number indexes (past the last name: the number in decimal), %P as
/// its number's share of the next in percent to a tenth, %Q as its number divided by the next, each
/// right-aligned in its optional width with spaces, or zeros after a zero flag (a negative
/// number's sign comes before them). The conversions are the ones Format checked; `words`
/// holds format_kind::word of each argument.
void format_words(Sink& out, const char* fmt, const uintptr_t* words);

template <typename... Arguments>
void format(Sink& out, Format<Arguments...> fmt, const Arguments&... arguments)
{
    const uintptr_t words[sizeof...(Arguments) + 1] = {format_kind::word(arguments)..., 0};
    format_words(out, fmt.text, words);
}

/// Starts every line with a prefix ("[hv] ") and ends it with CR LF for terminals.
class Prefixed_sink final : public Sink {
public:
    constexpr Prefixed_sink(Sink& out, const char* prefix) : out_(out), prefix_(prefix) {}
    void put(char c) override;

private:
    Sink& out_;
    const char* prefix_;
    bool at_line_start_ = true;
};

}  // namespace core
