#include "core/format.hpp"

#include "core/cpu_id.hpp"
#include "core/divide.hpp"

namespace core {

namespace {

/// The name a choice's number picks from "NAME|NAME|...]" at `names`, its length in `length`;
/// null past the last name.
const char* chosen(const char* names, uint32_t index, unsigned& length)
{
    for (; index; ++names) {
        if (*names == ']') return nullptr;
        index -= *names == '|';
    }
    for (length = 0; names[length] != '|' && names[length] != ']'; ++length) {}
    return names;
}

}  // namespace

void format_words(Sink& out, const char* fmt, const uintptr_t* words)
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
        unsigned length = ~0u;  // of `text`, when it is not NUL-terminated (a choice's name)
        if (c == '%') {
            buffer[sizeof buffer - 2] = c;
            --text;
        } else {
            const uintptr_t word = *words++;  // format_kind::word
            uint32_t value = uint32_t(word);
            if (c == '[') {
                const char* name = chosen(fmt, value, length);
                while (*fmt++ != ']') {}
                if (name)
                    text = name;
                else
                    c = 'u';  // past the last name: its number
            }
            if (c == 'P') {  // the part's share of the whole (the next word), in tenths of a percent
                uint32_t tenth;
                const uint32_t thousandth = divide(uint32_t(*words++), 1000, tenth);
                const uint32_t per_mille = thousandth ? divide(value, thousandth, tenth) : 0;
                const uintptr_t parts[] = {divide(per_mille, 10, tenth), tenth};
                format_words(out, "%u.%u", parts);
                continue;
            }
            if (c == 'Q') {  // the quotient of the next word: its number, in decimal
                const uint32_t divisor = uint32_t(*words++);
                uint32_t rest;
                const uintptr_t parts[] = {divisor ? divide(value, divisor, rest) : 0};
                format_words(out, "%u", parts);
                continue;
            }
            if (c == 'M') {  // name, rNpM, architecture: the parts through format_words itself
                const Cpu_id cpu = decode_cpu(value);
                const uintptr_t parts[] = {uintptr_t(cpu.name), cpu.variant, cpu.revision,
                                           uintptr_t(cpu.architecture)};
                format_words(out, "%s r%up%u, %s", parts);
                continue;
            }
            if (c == 's') {
                text = word ? reinterpret_cast<const char*>(word) : "(null)";
            } else if (c == 'c') {
                buffer[sizeof buffer - 2] = char(value);
                --text;
            } else if (c != '[') {
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
        if (length == ~0u)
            for (length = 0; text[length];) ++length;
        for (; width > length; --width) out.put(pad);
        for (unsigned i = 0; i < length; ++i) out.put(text[i]);
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
