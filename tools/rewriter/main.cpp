// cellvisor-rewrite --arch v5|v6|v7 GUEST.elf OUT.elf TABLE.bin
// Rewrites a guest's sensitive instructions (docs/vcpu.md) and writes the patched ELF and the
// table of originals. Exit status: 0 done, 1 image refused (the reason names file and section),
// 2 usage or I/O error.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "tools/rewriter/rewriter.hpp"

namespace {

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return bool(out);
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 6 || std::string(argv[1]) != "--arch") {
        std::fprintf(stderr, "usage: cellvisor-rewrite --arch v5|v6|v7 GUEST.elf OUT.elf TABLE.bin\n");
        return 2;
    }
    const std::string arch = argv[2], input = argv[3], output = argv[4], table = argv[5];
    core::Architecture architecture;
    if (arch == "v5")
        architecture = core::Architecture::v5;
    else if (arch == "v6")
        architecture = core::Architecture::v6;
    else if (arch == "v7")
        architecture = core::Architecture::v7;
    else {
        std::fprintf(stderr, "cellvisor-rewrite: unknown architecture '%s' (v5, v6 or v7)\n", arch.c_str());
        return 2;
    }
    std::ifstream in(input, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cellvisor-rewrite: %s: cannot read\n", input.c_str());
        return 2;
    }
    std::vector<uint8_t> elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const rewriter::Result result = rewriter::rewrite(elf, architecture);
    if (!result.ok) {
        std::fprintf(stderr, "cellvisor-rewrite: %s: %s\n", input.c_str(), result.error.c_str());
        return 1;
    }
    for (const auto& r : result.rewritten)
        std::printf("%s: %s 0x%08x (physical 0x%08x): %08x\n", input.c_str(), r.section.c_str(),
                    r.virtual_address, r.entry.address, r.entry.original);
    std::printf("%s: %zu sensitive instructions rewritten\n", input.c_str(), result.rewritten.size());
    if (!write_file(output, elf) || !write_file(table, rewriter::table_bytes(result.rewritten))) {
        std::fprintf(stderr, "cellvisor-rewrite: cannot write %s or %s\n", output.c_str(), table.c_str());
        return 2;
    }
    return 0;
}
