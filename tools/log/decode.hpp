// The host's half of the monitor's records (core/message.hpp): the message table read from the
// monitor's ELF, and a decoder that turns the monitor's console output back into its text.
#pragma once
#include <stdint.h>

#include <string>
#include <vector>

#include "core/format.hpp"
#include "core/message.hpp"

namespace messages {

/// A monitor's message table: the bytes of its .cellvisor.messages section.
struct Table {
    std::string bytes;   // NUL-terminated past the section's end
    uint32_t check = 0;  // their CRC-32: what the monitor reports of the table it was built with
};

/// Reads the message table of a monitor's ELF into `table`: the empty string, or why not.
std::string read_table(const std::vector<uint8_t>& elf, Table& table);

/// Console output in, text out: every record rendered as the monitor's text, with its "[hv] "
/// prefix and CR LF line ends; every other byte as it came. Of several tables, the one a booting
/// monitor reports is used from then on (the first until one does). A line is held back only while it
/// may still be a record (its first six bytes) and while it is one (up to its end), so the
/// output follows the input line by line, and within a line that is not a record, byte by byte.
class Decoder {
public:
    explicit Decoder(Table table) : Decoder(std::vector<Table>{std::move(table)}) {}
    explicit Decoder(std::vector<Table> tables);

    /// The output for the next `size` bytes of the console's, appended to `out`.
    void feed(const char* bytes, size_t size, std::string& out);
    /// At the end of the input: what is held back. A record cut short is dropped (a note says so).
    void finish(std::string& out);
    /// What the decoder has noticed since the last call, each kind once while it lasts: a
    /// monitor whose table is none of these (its records are then shown as they came, until a
    /// monitor with one of them boots), a record that is not one of the table's, a record cut
    /// short by the end of the input.
    std::vector<std::string> take_notes();

private:
    enum class State {
        line_start,
        passing,
        record
    };
    bool render(const std::string& record);  // false: not one of this table's
    void note(const std::string& text);

    struct Text_sink final : core::Sink {
        std::string* out = nullptr;
        void put(char c) override { *out += c; }
    };

    std::vector<Table> tables_;
    const Table* table_;  // in use
    State state_ = State::line_start;
    std::string held_;  // the line so far, while it may be or is a record
    Text_sink text_;
    core::Prefixed_sink monitor_{text_, core::message::prefix};  // its lines, across records
    bool other_table_ = false;  // the monitor reported a table not among these
    bool unknown_noted_ = false;
    std::vector<std::string> notes_;
};

}  // namespace messages
