#include "tools/log/decode.hpp"

#include <elf.h>

#include <cstdio>
#include <cstring>

#include "core/message.hpp"
#include "core/package.hpp"

namespace messages {

namespace {

using core::message::marker;
using core::message::separator;

constexpr char section_name[] = ".cellvisor.messages";
constexpr char start[] = {'[', 'h', 'v', ']', ' ', marker};   // of a record's line
static_assert(sizeof start == sizeof core::message::prefix);  // the prefix, then the marker

template <typename T>
bool read(const std::vector<uint8_t>& bytes, uint64_t offset, T& value)
{
    if (offset > bytes.size() || bytes.size() - offset < sizeof value) return false;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return true;
}

/// A field's number: 1 to 8 lowercase hexadecimal digits.
bool hex_word(const std::string& text, uint32_t& value)
{
    if (text.empty() || text.size() > 8) return false;
    value = 0;
    for (char c : text) {
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return false;
        value = value << 4 | uint32_t(digit);
    }
    return true;
}

std::string hex(uint32_t value)
{
    char text[9];
    std::snprintf(text, sizeof text, "%08x", unsigned(value));
    return text;
}

}  // namespace

std::string read_table(const std::vector<uint8_t>& elf, Table& table)
{
    Elf32_Ehdr header;
    Elf32_Shdr names;
    if (!read(elf, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS32 || header.e_ident[EI_DATA] != ELFDATA2LSB)
        return "not a 32-bit little-endian ELF file";
    if (header.e_shoff == 0 || header.e_shentsize != sizeof(Elf32_Shdr) ||
        !read(elf, header.e_shoff + uint64_t(header.e_shstrndx) * sizeof names, names))
        return "no section headers (an image from cellvisor-image carries none: give its monitor's ELF)";
    for (unsigned i = 0; i < header.e_shnum; ++i) {
        Elf32_Shdr section;
        if (!read(elf, header.e_shoff + uint64_t(i) * sizeof section, section))
            return "section headers truncated";
        const uint64_t name = uint64_t(names.sh_offset) + section.sh_name;
        if (name + sizeof section_name > elf.size() ||
            std::memcmp(elf.data() + name, section_name, sizeof section_name) != 0)
            continue;
        if (section.sh_type != SHT_PROGBITS || uint64_t(section.sh_offset) + section.sh_size > elf.size())
            return "its message table is truncated";
        table.bytes.assign(reinterpret_cast<const char*>(elf.data() + section.sh_offset), section.sh_size);
        table.check = core::package::crc32(elf.data() + section.sh_offset, section.sh_size);
        if (table.bytes.compare(0, sizeof core::message::table_header, core::message::table_header,
                                sizeof core::message::table_header) != 0)
            return "its message table is not of this decoder's record format (its first text is not '" +
                   std::string(core::message::table_header) + "')";
        table.bytes += '\0';
        return {};
    }
    return "no message table (no section .cellvisor.messages: not a Cellvisor monitor)";
}

Decoder::Decoder(std::vector<Table> tables) : tables_(std::move(tables)), table_(&tables_.at(0)) {}

void Decoder::note(const std::string& text) { notes_.push_back(text); }

std::vector<std::string> Decoder::take_notes()
{
    std::vector<std::string> taken;
    taken.swap(notes_);
    return taken;
}

void Decoder::feed(const char* bytes, size_t size, std::string& out)
{
    for (size_t i = 0; i < size; ++i) {
        const char c = bytes[i];
        switch (state_) {
        case State::line_start:
            held_ += c;
            if (held_.size() == sizeof start && held_.compare(0, sizeof start, start, sizeof start) == 0) {
                state_ = State::record;
            } else if (held_.compare(0, held_.size(), start, held_.size()) != 0) {
                out += held_;
                held_.clear();
                state_ = c == '\n' ? State::line_start : State::passing;
            }
            break;
        case State::passing:
            out += c;
            if (c == '\n') state_ = State::line_start;
            break;
        case State::record:
            held_ += c;
            if (c != '\n') break;
            {
                std::string record = held_.substr(sizeof start, held_.size() - sizeof start - 1);
                if (!record.empty() && record.back() == '\r') record.pop_back();
                text_.out = &out;
                if (!render(record)) out += held_;
            }
            held_.clear();
            state_ = State::line_start;
            break;
        }
    }
}

void Decoder::finish(std::string& out)
{
    if (state_ == State::record) {  // a record's line not ended: whole if it renders, else cut short
        std::string record = held_.substr(sizeof start);
        if (!record.empty() && record.back() == '\r') record.pop_back();
        std::string rendered;
        text_.out = &rendered;
        const bool unknown_noted = unknown_noted_;
        unknown_noted_ = true;  // not noted as a record of another table
        if (render(record))
            out += rendered;
        else if (!other_table_)
            note("the output ends inside a record, dropped: the monitor was stopped as it printed it");
        unknown_noted_ = unknown_noted;
    } else {
        out += held_;
    }
    held_.clear();
    state_ = State::line_start;
}

bool Decoder::render(const std::string& record)
{
    // The message word, then the fields.
    std::vector<std::string> fields;
    for (size_t from = 0;;) {
        const size_t end = record.find(separator, from);
        fields.push_back(record.substr(from, end == std::string::npos ? std::string::npos : end - from));
        if (end == std::string::npos) break;
        from = end + 1;
    }
    uint32_t word = 0, check = 0;
    const bool number = hex_word(fields[0], word);
    const uint32_t offset = word & core::message::offset_mask, kinds = word >> core::message::offset_bits;
    if (number && offset == 0 && kinds == core::message::kinds<uint32_t>() && fields.size() == 2 &&
        hex_word(fields[1], check)) {
        // The monitor's table: nothing to show. Another table's records are left as they came.
        const Table* reported = nullptr;
        for (const Table& t : tables_)
            if (t.check == check && !reported) reported = &t;
        if (!reported) {
            std::string have;
            for (const Table& t : tables_) have += (have.empty() ? "" : ", ") + hex(t.check);
            note("the monitor reports message table " + hex(check) + ", not " + have +
                 ": its records are shown as they came (give the ELF of the monitor that printed them)");
        }
        table_ = reported ? reported : table_;
        other_table_ = !reported;
        return true;
    }
    if (other_table_) return false;
    // A text's start, its conversions the record's kinds, as many fields as arguments.
    const bool start_of_text =
        offset > 0 && offset < table_->bytes.size() && table_->bytes[offset - 1] == '\0';
    const char* text = start_of_text ? table_->bytes.c_str() + offset : "";
    bool valid = number && start_of_text && fields.size() <= 32 - core::message::offset_bits &&
                 kinds == core::message::kinds(text) && kinds >> (fields.size() - 1) == 1;
    std::vector<uintptr_t> words;
    for (size_t i = 1; valid && i < fields.size(); ++i) {
        uint32_t value = 0;
        if (kinds >> (i - 1) & 1)
            words.push_back(reinterpret_cast<uintptr_t>(fields[i].c_str()));
        else if ((valid = hex_word(fields[i], value)))
            words.push_back(value);
    }
    if (!valid) {
        if (!unknown_noted_) note("records that are not in this message table are shown as they came");
        unknown_noted_ = true;
        return false;
    }
    words.push_back(0);
    core::format_words(monitor_, text, words.data());
    return true;
}

}  // namespace messages
