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

void format_list(Sink& out, const char* fmt, va_list values)
{
    for (; *fmt; ++fmt) {
        char c = *fmt;  // what to write: the character, "%%"'s second, or a %c
        if (c == '%') {
            char pad = ' ';
            if (*++fmt == '0') {
                pad = '0';
                ++fmt;
            }
            unsigned width = 0;
            for (; *fmt >= '0' && *fmt <= '9'; ++fmt) width = width * 10 + unsigned(*fmt - '0');
            c = *fmt;
            if (c != '%') {
                const uintptr_t value = va_arg(values, uintptr_t);
                if (c == 'c') {
                    c = char(value);
                } else if (c == 's') {
                    for (const char* s = value ? reinterpret_cast<const char*>(value) : "(null)"; *s; ++s)
                        out.put(*s);
                    continue;
                } else {
                    const bool negative = c == 'd' && int32_t(value) < 0;
                    put_number(out, negative ? 0u - uint32_t(value) : uint32_t(value), c == 'x' ? 16 : 10,
                               negative, width, pad);
                    continue;
                }
            }
        }
        out.put(c);
    }
}

void format_arguments(Sink& out, const char* fmt, ...)
{
    va_list values;
    va_start(values, fmt);
    format_list(out, fmt, values);
    va_end(values);
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
