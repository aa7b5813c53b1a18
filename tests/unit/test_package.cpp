// The partition package: the packer's output validates; every corruption and every forged
// field the monitor relies on is refused by the monitor's own check, the rest by validate.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "core/package.hpp"
#include "tools/pack/pack.hpp"

using namespace core;

namespace {

std::vector<uint8_t> sample(const char* name)
{
    std::ifstream in(std::string("samples/") + name, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

pack::Result pack_samples(std::vector<std::string> names, uint32_t ram_base = 0, bool with_devices = false)
{
    std::vector<pack::Guest> guests;
    for (const auto& n : names) guests.push_back({n, n + ".elf", sample("rewrite_sample.elf")});
    if (with_devices) {  // each its own UART and line
        for (size_t i = 0; i < guests.size(); ++i) {
            guests[i].devices = {{0x101f2000 + 0x1000 * uint32_t(i), 0x1000}};
            guests[i].interrupts[0] = 1u << (13 + i);
        }
    }
    pack::Settings settings;
    settings.architecture = Architecture::v7;
    settings.ram_base = ram_base;
    return pack::build(guests, settings);
}

/// Recomputes the checksum after a test has forged a field.
void reseal(std::vector<uint8_t>& bytes)
{
    package::Header header;
    std::memcpy(&header, bytes.data(), sizeof header);
    header.checksum = package::crc32(bytes.data() + package::checksummed_from,
                                     uint32_t(bytes.size() - package::checksummed_from));
    std::memcpy(bytes.data(), &header, sizeof header);
}

// A board like versatilepb: 128 MiB at 0, windows from 16 MiB, lines 0-31 but 12, its UART0
// and controller reserved.
constexpr uint32_t reserved_pages[] = {0x10140000, 0x101f1000};
constexpr package::Board board{0, 128u << 20, 16u << 20, {~(1u << 12), 0, 0}, reserved_pages, 2};

using Checker = package::Refusal (*)(const uint8_t*, uint32_t, const package::Board&, package::View&);

/// The words of the refusal by `checker` (validate, or the monitor's check), nullptr for none.
const char* refusal(const std::vector<uint8_t>& bytes, Checker checker)
{
    std::vector<uint32_t> aligned((bytes.size() + 3) / 4);  // the monitor reads it word-aligned
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    package::View view;
    return package::describe(
        checker(reinterpret_cast<const uint8_t*>(aligned.data()), uint32_t(bytes.size()), board, view));
}
const char* validate(const std::vector<uint8_t>& bytes) { return refusal(bytes, package::validate); }
const char* check(const std::vector<uint8_t>& bytes) { return refusal(bytes, package::check); }

template <typename T>
void poke(std::vector<uint8_t>& bytes, size_t offset, T value)
{
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

constexpr size_t first_partition = sizeof(package::Header);
constexpr size_t first_segment = first_partition + sizeof(package::Partition);  // one partition

uint32_t table_offset_of(const std::vector<uint8_t>& bytes)
{
    uint32_t offset;
    std::memcpy(&offset, bytes.data() + first_partition + offsetof(package::Partition, rewrite_offset), 4);
    return offset;
}

}  // namespace

TEST_CASE("package: CRC-32 of the standard check string")
{
    const char* check = "123456789";
    CHECK(package::crc32(reinterpret_cast<const uint8_t*>(check), 9) == 0xcbf43926);
}

TEST_CASE("package: the packer's output validates and describes the guest")
{
    const pack::Result r = pack_samples({"radio", "work"});
    REQUIRE(r.ok);
    std::vector<uint32_t> aligned((r.package.size() + 3) / 4);
    std::memcpy(aligned.data(), r.package.data(), r.package.size());
    package::View view;
    REQUIRE(package::validate(reinterpret_cast<const uint8_t*>(aligned.data()), uint32_t(r.package.size()),
                              board, view) == package::Refusal::none);
    REQUIRE(view.header->partition_count == 2);
    CHECK(std::string(view.partitions[1].name) == "work");
    CHECK(view.partitions[0].window_size == 16u << 20);
    CHECK(view.partitions[0].window_base == 16u << 20);  // one after the other from RAM base + 16 MiB
    CHECK(view.partitions[1].window_base == 32u << 20);
    CHECK(view.partitions[0].device_count == 0);
    CHECK(view.partitions[0].emulated == ~0u);
    CHECK(view.partitions[0].flags == 0);  // semihosting only when asked (pack::Settings::flags)
    CHECK(view.rewrites(view.partitions[0]).count > 0);
    const package::Segment& s = view.segments(view.partitions[0])[0];
    CHECK(s.address == 0x10000);
    // The segment carries the rewritten code: the first table entry's address holds UDF #0.
    const rewrite::Entry& first = view.rewrite_entries(view.partitions[0])[0];
    REQUIRE(first.address - s.address + 4 <= s.file_size);
    uint32_t word;
    std::memcpy(&word, view.bytes(s) + (first.address - s.address), 4);
    CHECK(word == rewrite::encode(0));
}

TEST_CASE("package: the monitor's check refuses every single-bit corruption, the header's too")
{
    const pack::Result r = pack_samples({"radio"});
    REQUIRE(r.ok);
    REQUIRE(check(r.package) == nullptr);
    for (size_t i = 0; i < r.package.size(); ++i) {
        std::vector<uint8_t> bad = r.package;
        bad[i] ^= uint8_t(1u << (i % 8));
        INFO("byte " << i);
        REQUIRE(check(bad) != nullptr);
        // Beyond magic, version and size, the checksum finds it.
        if (i >= offsetof(package::Header, checksum))
            CHECK(std::string(check(bad)) == "bad package checksum");
    }
    std::vector<uint8_t> truncated(r.package.begin(), r.package.end() - 4);
    CHECK(std::string(check(truncated)) == "bad package size");
}

TEST_CASE("package: forged fields are refused even with a correct checksum")
{
    const pack::Result r = pack_samples({"radio"});
    REQUIRE(r.ok);
    REQUIRE(validate(r.package) == nullptr);
    // `reason` is validate's; the monitor's check gives the same, or accepts what only the host
    // tools promise (host_only: nothing the monitor does with it can leave the partition).
    struct Forgery {
        size_t offset;
        uint32_t value;
        const char* reason;
        bool host_only = false;
    };
    const Forgery forgeries[] = {
        {offsetof(package::Header, magic), 0, "no package (bad magic)"},
        {offsetof(package::Header, version), 1, "bad package version"},
        {offsetof(package::Header, partition_count), 0, "bad partition count"},
        {offsetof(package::Header, partition_count), 5, "bad partition count"},
        {first_partition + offsetof(package::Partition, entry), 0x01000000, "entry outside the window", true},
        {first_partition + offsetof(package::Partition, budget), 1, "budget longer than its period",
         true},  // period 0
        {first_partition + offsetof(package::Partition, priority), 256, "bad partition priority", true},
        {first_partition + offsetof(package::Partition, segment_count), 0, "bad segment count", true},
        {first_partition + offsetof(package::Partition, window_size), 0x00180000, "window not whole MiB"},
        {first_partition + offsetof(package::Partition, segment_count), package::max_segments + 1,
         "bad segment count"},
        {first_partition + offsetof(package::Partition, segment_offset), 0x7ffffff0,
         "segment records cut off"},
        {first_partition + offsetof(package::Partition, rewrite_offset), 0xfffffffc, "rewrite table cut off"},
        {first_segment + offsetof(package::Segment, address), 0x00fffffc, "segment outside the window"},
        {first_segment + offsetof(package::Segment, memory_size), 0xffffffff, "segment outside the window",
         true},  // the monitor clears the whole window: only file_size bytes are its to copy
        {first_segment + offsetof(package::Segment, memory_size), 0, "segment larger on file than in memory",
         true},
        {first_segment + offsetof(package::Segment, file_size), 0x7fffffff, "segment bytes cut off"},
        {first_segment + offsetof(package::Segment, offset), 0xfffffff0, "segment bytes cut off"},
    };
    const auto refused_as_told = [](const std::vector<uint8_t>& bad, const Forgery& f) {
        const char* reason = validate(bad);
        REQUIRE(reason != nullptr);
        CHECK(std::string(reason) == f.reason);
        const char* monitor = check(bad);
        if (f.host_only)
            CHECK(monitor == nullptr);
        else
            CHECK(std::string(monitor ? monitor : "accepted") == f.reason);
    };
    for (const auto& f : forgeries) {
        INFO(f.reason);
        std::vector<uint8_t> bad = r.package;
        poke(bad, f.offset, f.value);
        if (f.offset >= package::checksummed_from) reseal(bad);
        refused_as_told(bad, f);
    }
    // What a passed-through device or line may be, and whose.
    const pack::Result d = pack_samples({"radio", "work"}, 0, true);
    REQUIRE(d.ok);
    REQUIRE(validate(d.package) == nullptr);
    const size_t second = first_partition + sizeof(package::Partition);
    uint32_t device_offset;
    std::memcpy(&device_offset,
                d.package.data() + first_partition + offsetof(package::Partition, device_offset), 4);
    const Forgery device_forgeries[] = {
        {first_partition + offsetof(package::Partition, window_base), 0x00f00000,
         "window outside the partitions' RAM"},  // over the package
        {first_partition + offsetof(package::Partition, window_base), 0x07800000,
         "window outside the partitions' RAM"},  // past the end of RAM
        {first_partition + offsetof(package::Partition, window_base), 0x01080000,
         "window outside the partitions' RAM"},  // not on a MiB
        {second + offsetof(package::Partition, window_base), 0x01800000, "windows overlap"},
        {first_partition + offsetof(package::Partition, device_tree), 0x01000000,
         "device tree outside the window", true},
        {first_partition + offsetof(package::Partition, device_tree), 0x00010002,
         "device tree outside the window", true},
        {first_partition + offsetof(package::Partition, device_count), 9, "bad device count"},
        {first_partition + offsetof(package::Partition, device_offset), 0xfffffff8, "device records cut off"},
        {device_offset + offsetof(package::Device, address), 0x101f1000,
         "device not whole pages outside RAM and the monitor's devices"},  // reserved
        {device_offset + offsetof(package::Device, address), 0x00001000,
         "device not whole pages outside RAM and the monitor's devices"},  // RAM
        {device_offset + offsetof(package::Device, address), 0x101f2800,
         "device not whole pages outside RAM and the monitor's devices"},  // not a page
        {device_offset + offsetof(package::Device, size), 0,
         "device not whole pages outside RAM and the monitor's devices"},
        {device_offset + offsetof(package::Device, address), 0xfffff000,
         "device not whole pages outside RAM and the monitor's devices"},  // wraps
        {device_offset + offsetof(package::Device, address), 0x101f3000,
         "device passed through to two partitions"},
        {first_partition + offsetof(package::Partition, interrupts), 1u << 12,
         "interrupt line the board does not pass through"},
        {first_partition + offsetof(package::Partition, interrupts) + 4, 1,
         "interrupt line the board does not pass through"},
        {first_partition + offsetof(package::Partition, interrupts), 1u << 14,
         "interrupt line passed through to two partitions"},
    };
    for (const auto& f : device_forgeries) {
        INFO(f.reason << " at " << f.offset);
        std::vector<uint8_t> bad = d.package;
        poke(bad, f.offset, f.value);
        reseal(bad);
        refused_as_told(bad, f);
    }

    std::vector<uint8_t> unterminated = r.package;
    std::memset(unterminated.data() + first_partition, 'x', package::name_size);
    reseal(unterminated);
    CHECK(std::string(validate(unterminated)) == "bad partition name");
    CHECK(std::string(check(unterminated)) == "bad partition name");
    std::vector<uint8_t> unnamed = r.package;
    std::memset(unnamed.data() + first_partition, 0, package::name_size);
    reseal(unnamed);
    CHECK(std::string(validate(unnamed)) == "bad partition name");
    CHECK(check(unnamed) == nullptr);  // an empty name on the console harms no one
    std::vector<uint8_t> bad_magic_table = r.package;
    poke(bad_magic_table, table_offset_of(r.package) + offsetof(rewrite::Table_header, magic), uint32_t(0));
    reseal(bad_magic_table);
    CHECK(std::string(validate(bad_magic_table)) == "bad rewrite table magic");
    CHECK(check(bad_magic_table) == nullptr);
    std::vector<uint8_t> huge_table = r.package;
    uint32_t table_offset;
    std::memcpy(&table_offset,
                r.package.data() + first_partition + offsetof(package::Partition, rewrite_offset), 4);
    poke(huge_table, table_offset + offsetof(rewrite::Table_header, count), uint32_t(0x10000));
    reseal(huge_table);
    CHECK(std::string(validate(huge_table)) == "rewrite entries cut off");
    CHECK(std::string(check(huge_table)) == "rewrite entries cut off");
}

TEST_CASE("pack: refuses with the file and the reason")
{
    CHECK(pack_samples({"radio"}, 0x60000000)
              .error.find("radio.elf: loadable segment at physical 0x00010000-") == 0);
    CHECK(pack_samples({"radio", "radio"}).error == "radio.elf: a second partition named 'radio'");
    CHECK(pack_samples({"a", "b", "c", "d", "e"}).error == "e.elf: more than 4 partitions");
    CHECK(pack_samples({std::string(32, 'n')}).error.find("must have 1 to 31 characters") !=
          std::string::npos);
    CHECK(pack_samples({"line\x1f"}).error.find("must be printable ASCII") != std::string::npos);
    std::vector<pack::Guest> guests{{"text", "text.elf", {'n', 'o', 't', ' ', 'E', 'L', 'F'}}};
    CHECK(pack::build(guests, pack::Settings{}).error.rfind("text.elf: ", 0) == 0);
}

TEST_CASE("package: one larger than 15 MiB puts the windows at the whole MiB after it, and only there")
{
    std::vector<pack::Guest> guests;
    for (const char* n : {"linux", "radio"})
        guests.push_back({n, std::string(n) + ".elf", sample("rewrite_sample.elf")});
    guests[0].window_size = 64u << 20;
    guests[0].blobs.push_back({16u << 20, std::vector<uint8_t>(17u << 20, 0x5a)});  // a kernel's worth
    pack::Settings settings;
    settings.architecture = Architecture::v7;
    pack::Result r = pack::build(guests, settings);
    REQUIRE(r.ok);
    REQUIRE(r.package.size() > (17u << 20));
    const uint32_t end = ((1u << 20) + uint32_t(r.package.size()) + (1u << 20) - 1) & ~((1u << 20) - 1);
    REQUIRE(end == 19u << 20);
    CHECK(check(r.package) == nullptr);
    CHECK(validate(r.package) == nullptr);
    package::Partition first, second;
    std::memcpy(&first, r.package.data() + first_partition, sizeof first);
    std::memcpy(&second, r.package.data() + first_partition + sizeof first, sizeof second);
    CHECK(first.window_base == end);  // moved up together, in order
    CHECK(second.window_base == end + (64u << 20));

    // A window forged below the package's end, where the loader would copy over the package.
    std::vector<uint8_t> forged = r.package;
    poke(forged, first_partition + sizeof first + offsetof(package::Partition, window_base),
         uint32_t(16u << 20));
    reseal(forged);
    CHECK(std::string(check(forged)) == "window outside the partitions' RAM");

    // Placed there by the caller: the packer says so.
    guests[1].window_base = 16u << 20;
    for (const char* n : {"linux", "radio"}) guests[n[0] == 'r'].elf = sample("rewrite_sample.elf");
    r = pack::build(guests, settings);
    REQUIRE_FALSE(r.ok);
    CHECK(r.guest == 1);
    CHECK(r.error ==
          "radio.elf: its window at 0x01000000 is below the package's end, 0x01300000 (a 17 MiB package)");
}
