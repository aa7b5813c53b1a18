#include "core/format.hpp"

#include "core/divide.hpp"

namespace core {

void format_list(Sink& out, const char* fmt, va_list values)
{
    while (char c = *fmt++) {
        if (c != '%') {
            out.put(c);
            continue;
        }
        char pad = ' ';
        if (*fmt == '0') pad = *fmt++;
        unsigned width = 0;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + unsigned(*fmt++ - '0');
        c = *fmt++;
        // What the conversion writes, built backwards from the end of `buffer` (or its text).
        char buffer[12];
        const char* text = buffer + sizeof buffer - 1;
        buffer[sizeof buffer - 1] = 0;
        if (c == '%') {
            buffer[sizeof buffer - 2] = c;
            --text;
        } else {
            const uintptr_t word = va_arg(values, uintptr_t);  // format_kind::word
            uint32_t value = uint32_t(word);
            if (c == 's') {
                text = word ? reinterpret_cast<const char*>(word) : "(null)";
            } else if (c == 'c') {
                buffer[sizeof buffer - 2] = char(value);
                --text;
            } else {
                const bool negative = c == 'd' && int32_t(value) < 0;
                if (negative) value = 0 - value;
                char* digits = buffer + sizeof buffer - 1;
                do {
                    uint32_t digit;
                    value = divide(value, c == 'x' ? 16 : 10, digit);
                    *--digits = "0123456789abcdef"[digit];
                } while (value);
                if (negative && pad == '0') {  // -0042: the sign before the padding
                    out.put('-');
                    width -= width != 0;
                } else if (negative) {
                    *--digits = '-';
                }
                text = digits;
            }
        }
        unsigned length = 0;
        while (text[length]) ++length;
        for (; width > length; --width) out.put(pad);
        while (*text) out.put(*text++);
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
