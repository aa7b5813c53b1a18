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

/// One argument, tagged with its kind.
struct Format_argument {
    enum class Kind : uint8_t {
        none,
        number,
        negative,
        text,
        character
    } kind = Kind::none;
    union {
        uint32_t number = 0;  // magnitude for Kind::negative
        const char* text;
    };

    constexpr Format_argument() = default;
    constexpr Format_argument(unsigned value) : kind(Kind::number), number(value) {}
    constexpr Format_argument(unsigned long value) : kind(Kind::number), number(uint32_t(value)) {}
    constexpr Format_argument(int value)
        : kind(value < 0 ? Kind::negative : Kind::number),
          number(value < 0 ? 0u - uint32_t(value) : uint32_t(value))
    {
    }
    constexpr Format_argument(long value) : Format_argument(int(value)) {}
    constexpr Format_argument(char value) : kind(Kind::character), number(uint8_t(value)) {}
    constexpr Format_argument(const char* value) : kind(Kind::text), text(value ? value : "(null)") {}
};

/// Writes `fmt` with each conversion replaced by the next argument: %u and %d in decimal,
/// %x in hexadecimal, %s and %c as text, each with an optional zero flag and width (%08x);
/// %% is a percent sign. Any other letter converts a number in decimal (there are no length
/// modifiers: "%lu" is "%l" then "u"). Text and characters print as such whatever the conversion; a
/// conversion with no argument left prints "?".
void format_arguments(Sink& out, const char* fmt, const Format_argument* args, unsigned count);

template <typename... Arguments>
void format(Sink& out, const char* fmt, const Arguments&... arguments)
{
    const Format_argument args[] = {Format_argument(arguments)..., Format_argument()};
    format_arguments(out, fmt, args, sizeof...(Arguments));
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
