#include "core/format.hpp"

#include "core/divide.hpp"

namespace core {

namespace {

// Writes `value` in `base` (10 or 16), right-aligned in `width` with `pad`.
void put_number(Sink& out, uint32_t value, unsigned base, bool negative, unsigned width, char pad)
{
    char digits[12];  // least significant first
    unsigned length = 0;
    do {
        uint32_t digit;
        value = divide(value, base, digit);
        digits[length++] = "0123456789abcdef"[digit];
    } while (value);
    if (negative && pad == '0') {
        out.put('-');
        if (width) --width;
    } else if (negative) {
        digits[length++] = '-';
    }
    for (; width > length; --width) out.put(pad);
    while (length) out.put(digits[--length]);
}

}  // namespace

void format_arguments(Sink& out, const char* fmt, const Format_argument* args, unsigned count)
{
    using Kind = Format_argument::Kind;
    for (; *fmt; ++fmt) {
        if (*fmt != '%') {
            out.put(*fmt);
            continue;
        }
        char pad = ' ';
        if (*++fmt == '0') {
            pad = '0';
            ++fmt;
        }
        unsigned width = 0;
        for (; *fmt >= '0' && *fmt <= '9'; ++fmt) width = width * 10 + unsigned(*fmt - '0');
        if (!*fmt) return;
        if (*fmt == '%') {
            out.put('%');
            continue;
        }
        const Format_argument argument = count ? *args++ : Format_argument();
        if (count) --count;
        switch (argument.kind) {
        case Kind::none: out.put('?'); break;
        case Kind::text:
            for (const char* s = argument.text; *s; ++s) out.put(*s);
            break;
        case Kind::character: out.put(char(argument.number)); break;
        case Kind::number:
        case Kind::negative:
            put_number(out, argument.number, *fmt == 'x' ? 16 : 10, argument.kind == Kind::negative, width,
                       pad);
        }
    }
}

void Prefixed_sink::put(char c)
{
    if (at_line_start_)
        for (const char* p = prefix_; *p; ++p) out_.put(*p);
    if (c == '\n') out_.put('\r');
    out_.put(c);
    at_line_start_ = c == '\n';
}

}  // namespace core
