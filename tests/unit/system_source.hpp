// Systems in Device Tree Source for the image tool's tests: a scratch directory of the test
// process's own, and dtc run on a source with the board descriptions (boards/dts) on its include
// path, as cellvisor-image runs it.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#if !defined(CELLVISOR_DTC) || !defined(CELLVISOR_BOARDS_DIRECTORY)
#error "CELLVISOR_DTC and CELLVISOR_BOARDS_DIRECTORY (boards/dts): set by tests/CMakeLists.txt"
#endif

namespace system_source {

namespace fs = std::filesystem;

/// A directory for this process's files, made on first use and removed when the process exits.
inline const fs::path& scratch()
{
    struct Directory {
        fs::path path;
        Directory()
        {
            std::string pattern = (fs::temp_directory_path() / "cellvisor-test-XXXXXX").string();
            if (mkdtemp(pattern.data())) path = pattern;
        }
        ~Directory()
        {
            std::error_code ignored;
            if (!path.empty()) fs::remove_all(path, ignored);
        }
    };
    static const Directory directory;
    return directory.path;
}

inline std::vector<uint8_t> read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const fs::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline void write_text(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Compiles `source` with dtc into a blob; empty when dtc refuses it, its messages in `messages`.
inline std::vector<uint8_t> compile(const std::string& source, std::string* messages = nullptr)
{
    static unsigned counter = 0;
    const fs::path base = scratch() / ("system-" + std::to_string(counter++));
    const fs::path dts = base.string() + ".dts", dtb = base.string() + ".dtb", log = base.string() + ".log";
    write_text(dts, source);
    const std::string command = "'" CELLVISOR_DTC "' -q -I dts -O dtb -i '" +
                                std::string(CELLVISOR_BOARDS_DIRECTORY) + "' -o '" + dtb.string() + "' '" +
                                dts.string() + "' 2>'" + log.string() + "'";
    const bool compiled = std::system(command.c_str()) == 0;
    if (messages) {
        const std::vector<uint8_t> text = read_bytes(log);
        messages->assign(text.begin(), text.end());
    }
    return compiled ? read_bytes(dtb) : std::vector<uint8_t>{};
}

}  // namespace system_source
