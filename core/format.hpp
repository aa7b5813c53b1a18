// A printf-like formatter for the monitor's console: no heap, no libc, no varargs, so an
// argument of the wrong kind is shown rather than misread. Host-testable.
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

/// How an argument reads, two bits per argument in a signature the compiler computes from the
/// argument types, above their count in the low four bits: a call site stores one word per
/// argument and passes one constant, small enough for an immediate when the arguments are few
/// or the text among them comes first.
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
/// conversion with no argument left prints "?", a null text "(null)".
void format_arguments(Sink& out, const char* fmt, const uintptr_t* values, uint32_t signature);

template <typename... Arguments>
void format(Sink& out, const char* fmt, const Arguments&... arguments)
{
    // No arguments, no array: format_arguments reads none (the signature's count is 0), and a
    // call site spends no store on a placeholder.
    if constexpr (sizeof...(Arguments) == 0) {
        format_arguments(out, fmt, nullptr, 0);
    } else {
        const uintptr_t values[] = {format_kind::word(arguments)...};
        format_arguments(out, fmt, values, format_kind::signature<Arguments...>());
    }
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
