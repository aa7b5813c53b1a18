// The monitor's descriptor encoders against hand-assembled values from the ARM ARM tables.
#include <catch2/catch.hpp>

#include "arch/arm/pte_v5.hpp"
#include "arch/arm/pte_v6.hpp"

TEST_CASE("ARMv5 descriptors: privileged-only and write-back with bit 4 set at level 1")
{
    using arm::v5::Mapping;
    CHECK(arm::v5::section(0x00123456, Mapping::boot) == 0x0010041e);
    CHECK(arm::v5::section(0x60000000, Mapping::device) == 0x60000412);
    CHECK(arm::v5::page_table(0x00004c00) == 0x00004c11);
    CHECK(arm::v5::small_page(0x00001234, Mapping::code) == 0x0000155e);  // AP0-AP3 = 01
    CHECK(arm::v5::small_page(0x101f1000, Mapping::device) == 0x101f1552);
    CHECK(arm::v5::section(0, Mapping::boot) == 0x41e);  // ARM_BOOT_SECTION in v5/variant.h
}

TEST_CASE("ARMv6/v7 descriptors: APX makes code read-only and XN guards the rest")
{
    using arm::v6::Mapping;
    CHECK(arm::v6::section(0x60000000, Mapping::boot) == 0x6000040e);    // RW, executable
    CHECK(arm::v6::section(0x60000000, Mapping::code) == 0x6000840e);    // APX: read-only
    CHECK(arm::v6::section(0x60000000, Mapping::data) == 0x6000041e);    // XN
    CHECK(arm::v6::section(0x10000000, Mapping::device) == 0x10000416);  // shared device, XN
    CHECK(arm::v6::page_table(0x60004c00) == 0x60004c01);
    CHECK(arm::v6::small_page(0x60001000, Mapping::code) == 0x6000121e);
    CHECK(arm::v6::small_page(0x60001000, Mapping::data) == 0x6000101f);
    CHECK(arm::v6::small_page(0x10009000, Mapping::device) == 0x10009017);
    CHECK(arm::v6::section(0, Mapping::boot) == 0x40e);  // ARM_BOOT_SECTION in v6, v7 variant.h
}

TEST_CASE("Guest windows are User read-write-executable and the loader's RAM view is uncached")
{
    // ARMv5: AP = 11 for a guest, write-back; the loader's view privileged with C = B = 0.
    CHECK(arm::v5::section(0x01000000, arm::v5::Mapping::guest) == 0x01000c1e);
    CHECK(arm::v5::section(0x01000000, arm::v5::Mapping::uncached) == 0x01000412);
    // ARMv6/v7: AP = 011, executable, write-back, not global (nG: the table's ASID tags its TLB
    // entries); uncached is TEX = 001, C = B = 0, XN, global like all of the monitor's.
    CHECK(arm::v6::section(0x61000000, arm::v6::Mapping::guest) == 0x61020c0e);
    CHECK(arm::v6::section(0x61000000, arm::v6::Mapping::uncached) == 0x61001412);
    CHECK(arm::v6::small_page(0x61000000, arm::v6::Mapping::guest) == 0x6100003e);
    // A whole MiB of a device passed through (a NOR flash): User read-write, device memory
    // (ARMv5: C = B = 0; ARMv6/v7: TEX 000, C 0, B 1, XN, nG).
    CHECK(arm::v5::section(0x40000000, arm::v5::Mapping::guest_device) == 0x40000c12);
    CHECK(arm::v6::section(0x40000000, arm::v6::Mapping::guest_device) == 0x40020c16);
}

TEST_CASE(
    "Shadow pages give User mode what the guest's mapping grants, and AP[1] tells them from the monitor's")
{
    // ARMv5: AP 11 or 10 in all four subpages; a device uncached and unbuffered.
    CHECK(arm::v5::guest_page(0x01001000, true, true) == 0x01001ffe);
    CHECK(arm::v5::guest_page(0x01001000, false, true) == 0x01001aae);
    CHECK(arm::v5::guest_page(0x101f1000, true, false, true) == 0x101f1ff2);
    // ARMv6/v7: AP 011 or 010, XN unless executable (a device never), not global (bit 11).
    CHECK(arm::v6::guest_page(0x61001000, true, true) == 0x6100183e);
    CHECK(arm::v6::guest_page(0x61001000, false, false) == 0x6100182f);
    CHECK(arm::v6::guest_page(0x10009000, true, true, true) == 0x10009837);
    // The monitor's pages are privileged only: AP[1] (bit 5) clear, which map_shadow relies on.
    CHECK((arm::v5::small_page(0x00001000, arm::v5::Mapping::data) & 1u << 5) == 0);
    CHECK((arm::v6::small_page(0x60001000, arm::v6::Mapping::code) & 1u << 5) == 0);
    CHECK((arm::v6::small_page(0x60001000, arm::v6::Mapping::uncached) & 1u << 5) == 0);
    CHECK((arm::v5::guest_page(0x01001000, false, true) & arm::v6::guest_page(0x61001000, false, false) &
           1u << 5) != 0);
}
