// The monitor's messages as records the host renders (docs/console.md): the texts stay in the
// monitor's ELF, in a section the image does not load (.cellvisor.messages), and the UART
// carries only which text and its arguments' values. One source of the wire format for the
// monitor's encoder (here) and the host's decoder (tools/log). Host-testable.
//
// A record is one line of its own:
//
//     "[hv] " RS ID { US FIELD } CR LF
//
// RS and US are ASCII's record and unit separators (0x1e, 0x1f), which no text the monitor
// prints contains. ID is the message word in lowercase hexadecimal without leading zeros: the
// text's offset in the section in its low 16 bits, its arguments' kinds above (kinds()). A
// FIELD is an argument: a number (%u %d %x %c) as its 32-bit word in hexadecimal, text (%s) as
// its characters. The record's line ends where the message does not: a message that does not end
// with a newline (the status line is several) is continued by the next record, and the decoder
// joins them into one line.
//
// The table starts with table_header (the record format's version) at offset 0. The monitor's
// first record is that text's, with one field: the table's CRC-32, which tools/seal-monitor
// stamps into the monitor's image before its seal. The decoder renders nothing for it and checks
// it against the table it has, so records are never rendered with another build's texts.
#pragma once
#include <stdarg.h>
#include <stdint.h>

#include "core/format.hpp"

namespace core::message {

inline constexpr char prefix[] = "[hv] ";                       // every monitor line's, a record's too
inline constexpr char marker = 0x1e;                            // ASCII RS: a record follows the prefix
inline constexpr char separator = 0x1f;                         // ASCII US: before each field
inline constexpr char table_header[] = "cellvisor messages 1";  // the table's first text (offset 0)
inline constexpr unsigned offset_bits = 16;
inline constexpr uint32_t offset_mask = (1u << offset_bits) - 1;

/// The kinds of a message's arguments, one bit each from bit 0 for the first (1: text, 0: a
/// number), and a 1 above the last: 1 for none, 0b110 for (unsigned, const char*). At most 15
/// arguments, so that offset and kinds fit one word.
template <typename... Arguments>
constexpr uint32_t kinds()
{
    static_assert(sizeof...(Arguments) < 32 - offset_bits, "too many arguments for a message word");
    uint32_t bits = 0, bit = 1;
    ((bits |= format_kind::conversions<Arguments>[0] == 's' ? bit : 0, bit <<= 1), ...);
    return bits | bit;
}

/// The same from a checked format's conversions (%s: text; %u %d %x %c %[...] %M: a number; %P,
/// %Q: two): what the decoder expects of a record of that text. 0 for a text no Format accepts (a
/// stray '%').
constexpr uint32_t kinds(const char* fmt)
{
    uint32_t bits = 0, bit = 1;
    for (; *fmt; ++fmt) {
        if (*fmt != '%') continue;
        ++fmt;
        while (*fmt >= '0' && *fmt <= '9') ++fmt;
        if (*fmt == '%') continue;
        if (!*fmt || bit == 1u << (32 - offset_bits - 1)) return 0;
        if (*fmt == 's') bits |= bit;
        if (*fmt == '[')  // a choice's names
            while (fmt[1] && *fmt != ']') ++fmt;
        if (*fmt == 'P' || *fmt == 'Q') bit <<= 1;  // a part, then its whole; a dividend, its divisor
        bit <<= 1;
    }
    return bits | bit;
}

/// The message word of the text at `offset` in the section for arguments of `kinds`.
constexpr uint32_t word(uint32_t offset, uint32_t kinds) { return offset | kinds << offset_bits; }

/// Writes the record of `message` (a message word) with the arguments' words (format_kind::
/// word) in `values`, the prefix included. Text is written as it is: it must hold no RS, US,
/// CR or LF (the monitor's texts and partition names hold none); a null text is written empty.
void encode_list(Sink& out, uint32_t message, va_list values);
void encode(Sink& out, uint32_t message, ...);

}  // namespace core::message
