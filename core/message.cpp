#include "core/message.hpp"

namespace core::message {

namespace {

/// `value` in lowercase hexadecimal without leading zeros: shifts only, no division or table.
void put_hex(Sink& out, uint32_t value)
{
    unsigned shift = 28;
    while (shift && !(value >> shift)) shift -= 4;
    for (;; shift -= 4) {
        const uint32_t digit = value >> shift & 0xf;
        out.put(char(digit < 10 ? '0' + digit : 'a' - 10 + digit));
        if (!shift) return;
    }
}

}  // namespace

void encode_list(Sink& out, uint32_t message, va_list values)
{
    for (const char* c = prefix; *c; ++c) out.put(*c);
    out.put(marker);
    put_hex(out, message);
    for (uint32_t kinds = message >> offset_bits; kinds > 1; kinds >>= 1) {
        out.put(separator);
        const uintptr_t word = va_arg(values, uintptr_t);  // format_kind::word
        if (!(kinds & 1))
            put_hex(out, uint32_t(word));
        else if (word)
            for (const char* c = reinterpret_cast<const char*>(word); *c; ++c) out.put(*c);
    }
    out.put('\r');
    out.put('\n');
}

void encode(Sink& out, uint32_t message, ...)
{
    va_list values;
    va_start(values, message);
    encode_list(out, message, values);
    va_end(values);
}

}  // namespace core::message
