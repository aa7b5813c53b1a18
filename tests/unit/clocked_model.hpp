// A timer model on a fake clock the test moves by hand, with register access at its base.
#pragma once
#include <catch2/catch.hpp>

#include <cstdint>

#include "core/virtual_sp804.hpp"

namespace test {

struct Fake_clock final : core::Clock {
    uint64_t time = 1000;
    uint64_t now() override { return time; }
};

template <typename Model, uint32_t base>
struct Clocked_model {
    Fake_clock clock;
    Model model{};  // zeroed, as the monitor makes it (a member of a value-initialised partition)
    Clocked_model() { model.attach(clock); }
    uint32_t read(uint32_t offset)
    {
        uint32_t value = 0xdeadbeef;
        REQUIRE(model.read(base + offset, 4, value));
        return value;
    }
    void write(uint32_t offset, uint32_t value) { REQUIRE(model.write(base + offset, 4, value)); }
};

}  // namespace test
