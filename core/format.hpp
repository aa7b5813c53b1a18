// A printf-like formatter for the monitor's console: no heap, no libc, and type-safe: a
// template turns every argument into one word and records its kind, so an argument of the
// wrong kind is shown rather than misread. Host-testable.
#pragma once
#include <stdarg.h>
#include <stdint.h>

namespace core {

/// Where characters go: a UART in the monitor, a buffer in a test.
class Sink {
public:
    virtual void put(char c) = 0;

protected:
    ~Sink() = default;
};

/// How an argument reads, two bits per argument in a signature the compiler computes from the
/// argument types, above their count in the low four bits: a call site passes one constant,
/// small enough for an immediate when the arguments are few or the text among them comes first,
/// then one word per argument as a C variadic argument (the first ones in registers, which an
/// array of them would not be).
namespace format_kind {
inline constexpr uint32_t number = 0, signed_number = 1, text = 2, character = 3;

template <typename T>
struct Of;
template <>
struct Of<unsigned> {
    static constexpr uint32_t kind = number;
};
template <>
struct Of<unsigned long> {
    static constexpr uint32_t kind = number;
};
template <>
struct Of<unsigned char> {
    static constexpr uint32_t kind = number;
};
template <>
struct Of<unsigned short> {
    static constexpr uint32_t kind = number;
};
template <>
struct Of<int> {
    static constexpr uint32_t kind = signed_number;
};
template <>
struct Of<long> {
    static constexpr uint32_t kind = signed_number;
};
template <>
struct Of<char> {
    static constexpr uint32_t kind = character;
};
template <>
struct Of<const char*> {
    static constexpr uint32_t kind = text;
};
template <>
struct Of<char*> {
    static constexpr uint32_t kind = text;
};
template <unsigned N>
struct Of<char[N]> {
    static constexpr uint32_t kind = text;
};
template <unsigned N>
struct Of<const char[N]> {
    static constexpr uint32_t kind = text;
};

template <typename... Arguments>
constexpr uint32_t signature()
{
    static_assert(sizeof...(Arguments) <= 12, "at most 12 arguments");
    uint32_t bits = uint32_t(sizeof...(Arguments)), shift = 4;  // the count, then the kinds
    ((bits |= Of<Arguments>::kind << shift, shift += 2), ...);
    return bits;
}

inline uintptr_t word(unsigned long value) { return uint32_t(value); }
inline uintptr_t word(unsigned value) { return value; }
inline uintptr_t word(int value) { return uint32_t(value); }
inline uintptr_t word(long value) { return uint32_t(value); }
inline uintptr_t word(const char* value) { return uintptr_t(value); }
}  // namespace format_kind

/// Writes `fmt` with each conversion replaced by the next argument: %u and %d in decimal,
/// %x in hexadecimal, %s and %c as text, each with an optional zero flag and width (%08x);
/// %% is a percent sign. Any other letter converts a number in decimal (there are no length
/// modifiers: "%lu" is "%l" then "u"). Text and characters print as such whatever the conversion; a
/// conversion with no argument left prints "?", a null text "(null)". `values` holds the
/// words of format_kind::word, as many as the signature counts.
void format_list(Sink& out, const char* fmt, uint32_t signature, va_list values);
void format_arguments(Sink& out, const char* fmt, uint32_t signature, ...);

template <typename... Arguments>
void format(Sink& out, const char* fmt, const Arguments&... arguments)
{
    format_arguments(out, fmt, format_kind::signature<Arguments...>(), format_kind::word(arguments)...);
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
