// cellvisor-log MONITOR.elf [ELF...]
// The monitor's console output on standard input, its text on standard output: the monitor
// prints its messages as records (core/message.hpp, docs/console.md) whose texts are in its ELF,
// and this renders them as the monitor's lines; every other byte (the partitions' lines, a
// guest's own output) passes as it came. Line by line as the input comes, so QEMU's console
// can run through it (tools/hv run); a serial log captured from a board decodes the same
// (tools/hv log). Of several ELF files, the one whose table the monitor reports as it boots is
// used, and the first with a message table until then; ELF files without one are passed over
// (an image from cellvisor-image carries none: give its monitor's too). What it notices
// (records of another build's monitor, shown as they came) goes to standard error, once.
// Exit status: 0 done; 2 usage, or no ELF file with a message table.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tools/log/decode.hpp"

namespace {

bool write_all(const std::string& text)
{
    for (size_t done = 0; done < text.size();) {
        const ssize_t n = write(STDOUT_FILENO, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

void show_notes(messages::Decoder& decoder)
{
    for (const std::string& note : decoder.take_notes())
        std::fprintf(stderr, "cellvisor-log: %s\n", note.c_str());
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: cellvisor-log MONITOR.elf [ELF...] <CONSOLE-OUTPUT\n");
        return 2;
    }
    std::vector<messages::Table> tables;
    std::string why;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        char magic[4] = {};
        if (!in || !in.read(magic, sizeof magic) || std::memcmp(magic, "\177ELF", 4) != 0) {
            why += std::string("\n  ") + argv[i] + (in ? ": not an ELF file" : ": cannot be read");
            continue;  // not read whole: a test's image may be a large file of anything
        }
        in.seekg(0);
        const std::vector<uint8_t> elf{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        messages::Table table;
        const std::string reason = messages::read_table(elf, table);
        if (reason.empty())
            tables.push_back(std::move(table));
        else
            why += std::string("\n  ") + argv[i] + ": " + reason;
    }
    if (tables.empty()) {
        std::fprintf(stderr, "cellvisor-log: no message table in the ELF files given:%s\n", why.c_str());
        return 2;
    }
    messages::Decoder decoder(std::move(tables));
    char buffer[4096];
    std::string out;
    for (;;) {
        const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.clear();
        decoder.feed(buffer, size_t(n), out);
        show_notes(decoder);
        if (!write_all(out)) return 0;  // the reader has gone
    }
    out.clear();
    decoder.finish(out);
    show_notes(decoder);
    write_all(out);
    return 0;
}
