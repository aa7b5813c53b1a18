#include <catch2/catch.hpp>

#include <string>

#include "core/cpu_id.hpp"

TEST_CASE("decode_cpu names the cores of the three configurations")
{
    struct Case {
        uint32_t midr;
        const char* name;
        const char* architecture;
        uint32_t variant, revision;
    };
    const Case cases[] = {
        {0x41069265, "ARM926EJ-S", "ARMv5TEJ", 0, 5},   // QEMU versatilepb
        {0x410fb767, "ARM1176JZF-S", "ARMv6KZ", 0, 7},  // QEMU -cpu arm1176
        {0x410fc090, "Cortex-A9", "ARMv7-A", 0, 0},     // QEMU vexpress-a9
        {0x413fc082, "Cortex-A8", "ARMv7-A", 3, 2},
    };
    for (const Case& c : cases) {
        const core::Cpu_id id = core::decode_cpu(c.midr);
        CAPTURE(c.midr);
        CHECK(std::string(id.name) == c.name);
        CHECK(std::string(id.architecture) == c.architecture);
        CHECK(id.variant == c.variant);
        CHECK(id.revision == c.revision);
    }
}

TEST_CASE("decode_cpu falls back to the MIDR architecture field for unknown parts")
{
    CHECK(std::string(core::decode_cpu(0x41059999).name) == "unknown");
    CHECK(std::string(core::decode_cpu(0x41059999).architecture) == "ARMv5TE");
    CHECK(std::string(core::decode_cpu(0x510f0000).architecture) == "ARMv6 or later");
    CHECK(std::string(core::decode_cpu(0x56089260).name) == "unknown");  // not ARM Ltd.
    CHECK(std::string(core::decode_cpu(0x56089260).architecture) == "unknown");
}
