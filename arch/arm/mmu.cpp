#include "arch/arm/mmu.hpp"

#include "arch/arm/cp15.hpp"
#include "arch/arm/layout.hpp"
#include "variant.hpp"

extern "C" {
extern uint32_t monitor_l1[4096];  // entry.S
extern uint32_t monitor_l2[256];
extern char __image_start[], __rodata_end[], __data_start[], __image_end[];  // monitor.ld
}

namespace arm {

namespace {

using variant::pte::Mapping;

static_assert(ARM_BOOT_SECTION == variant::pte::section(0, Mapping::boot),
              "entry.S and the descriptor encoder disagree on the boot section");

uint32_t& window_page(uintptr_t monitor_virtual) { return monitor_l2[layout::page_index(monitor_virtual)]; }

}  // namespace

void clean(const void* start, uint32_t bytes)
{
    const auto* p = static_cast<const char*>(start);
    for (uint32_t offset = 0; offset < bytes; offset += cache_line) clean_dcache_line(p + offset);
    variant::data_sync();
}

void map_monitor()
{
    const auto start = uintptr_t(__image_start);
    const auto writable = uintptr_t(__data_start);
    constexpr uint32_t code = variant::pte::small_page(0, Mapping::code);
    constexpr uint32_t data = variant::pte::small_page(0, Mapping::data);
    for (uintptr_t page = start; page < uintptr_t(__image_end); page += layout::page_size)
        window_page(page) = layout::physical(page) | (page < writable ? code : data);
    for (unsigned i = 0; i < board::monitor_devices.count(); ++i)
        window_page(layout::device_window + i * layout::page_size) =
            variant::pte::small_page(board::monitor_devices.page[i], Mapping::device);
    if constexpr (variant::high_vectors)
        window_page(layout::high_vectors) = variant::pte::small_page(layout::physical(start), Mapping::code);
    // Taken before the walker first needs it: no guest page is ever shadowed there.
    window_page(layout::scratch) = variant::pte::small_page(layout::physical(start), Mapping::uncached);
    clean(monitor_l2, sizeof monitor_l2);

    uint32_t& window_entry = monitor_l1[layout::window >> 20];
    uint32_t& boot_entry = monitor_l1[layout::physical_base >> 20];
    window_entry = variant::pte::page_table(layout::physical(uintptr_t(monitor_l2)));
    boot_entry = 0;
    // All of RAM, uncached and privileged, at its physical address: the loader's view while it
    // fills the partitions' windows (the boot megabyte's entry is replaced here too).
    for (uint32_t offset = 0; offset < board::ram_size; offset += 1u << 20)
        monitor_l1[(board::ram_base + offset) >> 20] =
            variant::pte::section(board::ram_base + offset, Mapping::uncached);
    clean(monitor_l1, sizeof monitor_l1);
    invalidate_tlb();
    variant::data_sync();
    variant::instruction_sync();

    if constexpr (variant::high_vectors)
        Sctlr::write(Sctlr::read() | 1u << 13);  // SCTLR.V
    else
        variant::set_vector_base(layout::window);
    variant::instruction_sync();
}

}  // namespace arm
