// The monitor's top level: bring-up, the banner, the periodic tick, and the fatal path.
#include "arch/arm/console.hpp"
#include "arch/arm/cp15.hpp"
#include "arch/arm/exception.hpp"
#include "arch/arm/layout.hpp"
#include "arch/arm/mmu.hpp"
#include "arch/arm/partition.hpp"
#include "board.h"
#include "board.hpp"
#include "core/format.hpp"
#include "core/package.hpp"
#include "variant.hpp"

extern "C" [[noreturn]] void monitor_idle();  // entry.S
extern "C" char __image_start[], __rodata_end[], __data_start[], __data_end[], __bss_start[], __image_end[];
extern "C" const uint32_t __seal;            // monitor.ld, stamped by tools/seal-monitor
extern "C" const uint32_t __messages_check;  // monitor.ld: the message table's CRC-32, stamped likewise

// The configuration's name, for cellvisor-image to match a system against: not loaded.
asm(".pushsection .cellvisor.configuration, \"\", %progbits\n"
    ".asciz \"" CELLVISOR_CONFIG_NAME "\"\n"
    ".popsection");

namespace {

static_assert(board::monitor_devices.index_of(board::console_uart) < board::monitor_devices.count());
static_assert(board::monitor_devices.index_of(board::timer) < board::monitor_devices.count());

constexpr drivers::Pl011<> uart(arm::layout::device(board::console_uart));
constexpr board::Interrupt_controller interrupts = board::interrupt_controller(arm::layout::device);
constexpr drivers::Sp804<> timer(arm::layout::device(board::timer));

class Uart_sink final : public core::Sink {
public:
    void put(char c) override { uart.put(c); }
};
constinit Uart_sink uart_sink;

uint64_t clock_base;
uint32_t clock_last = ~0u;
constexpr uint32_t longest_event = 1'000'000;  // the clock is read at least once a second

using arm::print;

}  // namespace

core::Sink& arm::uart_console() { return uart_sink; }

void arm::print_message(uint32_t message, ...)
{
    va_list values;
    va_start(values, message);
    core::message::encode_list(uart_sink, message, values);
    va_end(values);
}

ARM_STATE [[noreturn]] void arm::halt(int code)
{
#if CELLVISOR_SEMIHOSTING
    // Semihosting SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit: QEMU exits with
    // `code`. Tried once: without a debugger the SVC lands in our own vector and comes back here.
    static bool tried;
    if (!tried) {
        tried = true;
        const uint32_t block[2] = {0x20026, uint32_t(code)};
        register uint32_t operation asm("r0") = 0x20;
        register const uint32_t* parameter asm("r1") = block;
#if defined(__thumb2__)  // Thumb-2 (vexpress-a9); on Thumb-1 boards halt() is ARM code
        asm volatile("svc 0xab" : "+r"(operation) : "r"(parameter) : "memory");
#else
        asm volatile("svc 0x123456" : "+r"(operation) : "r"(parameter) : "memory");
#endif
    }
#else
    (void)code;
#endif
    for (;;) {
        asm volatile("msr cpsr_c, %0" ::"r"(0xd3) : "memory");  // SVC, IRQ and FIQ masked
        arm::variant::wait_for_interrupt();
    }
}

namespace {

/// An exception the monitor did not expect of itself: everything it knows, then stop. Sixteen
/// registers and three fault registers, four to a line. The names are the host's (choices,
/// core/format.hpp): the exception by core::Exception, the mode by CPSR.M ("???" for a
/// reserved one), the registers by their place in the dump; the monitor carries none of them.
[[noreturn]] void fatal(const arm::Exception_frame& frame, core::Exception kind)
{
    const uint32_t mode = frame.cpsr & 0x1f;
    uint32_t words[19];
    __builtin_memcpy(words, &frame, 15 * 4);  // r0-r12, sp and lr as the frame holds them
    static_assert(offsetof(arm::Exception_frame, lr_usr) == 14 * 4);
    if (mode != PSR_MODE_USR && mode != PSR_MODE_SYS) arm::read_banked(mode, words[13], words[14]);
    words[15] = frame.cpsr;
    words[16] = arm::Dfsr::read();
    words[17] = arm::Dfar::read();
    words[18] = arm::Ifsr::read();
#define RESERVED4 "???|???|???|???|"
    print("FATAL: %[reset|undefined instruction|supervisor call|prefetch abort|data abort|"
          "unused vector|IRQ|FIQ] in the monitor at pc %08x (%["  // the kind, then M[4:0]
          RESERVED4 RESERVED4 RESERVED4 RESERVED4
          "usr|fiq|irq|svc|???|???|???|abt|???|???|???|und|???|???|???|sys]"
          " mode)",
          unsigned(kind), frame.pc, mode);
#undef RESERVED4
    for (unsigned i = 0; i < 19; ++i)  // four to a line: a choice starts every fourth with the newline
        print("%[\n|||]  %[r0|r1|r2|r3|r4|r5|r6|r7|r8|r9|r10|r11|r12|sp|lr|cpsr|dfsr|dfar|ifsr] %08x", i % 4,
              i, words[i]);
    print("\nhalted\n");
    arm::halt(arm::stop_fatal);
}

/// Text straight to the UART, not as a record: for what must be read without the host's decoder.
void put_plain(const char* text)
{
    while (*text) uart.put(*text++);
}

/// Whether the monitor's loaded bytes are the ones it was sealed with (core/package.hpp).
bool image_intact()
{
    const auto* start = reinterpret_cast<const uint8_t*>(__image_start);
    return core::package::monitor_seal(start, uint32_t(reinterpret_cast<const uint8_t*>(&__seal) - start),
                                       reinterpret_cast<const uint8_t*>(__data_start),
                                       uint32_t(__data_end - __data_start)) == __seal;
}

/// Says the image is corrupt and stops. Its words are in .text, not .rodata, and go straight to
/// the UART, not through the console's sinks (their vtables and prefix are read-only data):
/// what is corrupt may be the read-only data, and the code that runs here must be intact anyway.
[[noreturn]] void stop_image_corrupt()
{
    [[gnu::section(".text.image_corrupt")]] static const char words[] =
        "[hv] monitor image corrupt: stopped\r\n";
    put_plain(words);
    arm::halt(arm::stop_image_corrupt);
}

}  // namespace

uint64_t arm::now()
{
    static_assert(board::timer_hz == 1'000'000, "the clock counts microseconds");
    const uint32_t value = timer.clock();  // counts down
    clock_base += clock_last - value;
    clock_last = value;
    return clock_base;
}

void arm::set_event(uint64_t when)
{
    const uint64_t from = now();
    const uint64_t delay = when > from ? when - from : 1;
    timer.start_one_shot(delay < longest_event ? uint32_t(delay) : longest_event);
}

bool arm::console_read(char& c) { return uart.get(c); }

void arm::handle_irq()
{
    const int line = interrupts.acknowledge();
    if (line == drivers::no_interrupt) return;
    if (unsigned(line) == board::timer_irq && timer.pending()) {
        timer.acknowledge();
        arm::partition_event();
    } else if (unsigned(line) == board::console_uart_irq) {
        arm::console_input();
    } else {
        interrupts.disable(unsigned(line));  // until its device lets go, or for good
        if (!arm::route_interrupt(unsigned(line))) print("unexpected IRQ %d, masked\n", line);
    }
    interrupts.end(line);
}

bool arm::interrupt_asserted(unsigned line) { return interrupts.asserted(line); }
void arm::enable_interrupt(unsigned line) { interrupts.enable(line); }

namespace {

/// The message table's first text (monitor.ld.in places it at offset 0): which record format it
/// is for. Its record, with the table's CRC-32, tells the decoder whether its table is this one.
[[gnu::section(".cellvisor.messages.header")]] constexpr char message_table_header[] = "cellvisor messages 1";
static_assert(sizeof message_table_header == sizeof core::message::table_header &&
              __builtin_memcmp(message_table_header, core::message::table_header,
                               sizeof message_table_header) == 0);

#define TEXT_OF(x) #x
#define TEXT(x) TEXT_OF(x)  // a macro's value as a string literal
#define HEX_OF(x) 0x##x
#define HEX(x) HEX_OF(x)  // hex digits as a number

void print_banner()
{
    const uint32_t midr = arm::Midr::read();
    const uint32_t image = uint32_t(__rodata_end - __image_start) + uint32_t(__data_end - __data_start);
    // What booted, for a person at a serial console without the host's decoder; then the table.
    put_plain("[hv] Cellvisor " CELLVISOR_VERSION " on " CELLVISOR_CONFIG_NAME "\r\n");
    arm::print_message(
        core::message::word(uint32_t(uintptr_t(message_table_header)), core::message::kinds<uint32_t>()),
        __messages_check);
    // The constants are the message's text, written at build time (CMakeLists.txt), checked here.
    static_assert(CELLVISOR_RAM_MIB == board::ram_size >> 20 &&
                  HEX(CELLVISOR_RAM_BASE_HEX) == board::ram_base);
    static_assert(arm::layout::window == 0xfff00000 && board::timer_irq == BOARD_TIMER_IRQ);
    print("cpu: %M (MIDR %08x)\n"
          "ram: " TEXT(CELLVISOR_RAM_MIB) " MiB at " TEXT(
              CELLVISOR_RAM_BASE_HEX) "\n"
                                      "monitor: %u bytes + %u bss at fff00000\n"
                                      "timer: IRQ " TEXT(BOARD_TIMER_IRQ) "\n",
          midr, midr, image, uint32_t(__image_end - __bss_start));
}

}  // namespace

extern "C" arm::Exception_frame* handle_exception(arm::Exception_frame& frame, core::Exception kind)
{
    // The monitor's tick while it idles (its handlers run with IRQs masked), or a fault of its own.
    if (kind == core::Exception::irq) return arm::handle_idle_interrupt(frame);
    if (kind == core::Exception::data_abort && arm::fix_up_guest_access(frame)) return &frame;
    fatal(frame, kind);
}

// The 24 MHz counter's address in the monitor's window, read at every trap's entry and exit.
static_assert(arm::layout::device(board::counter) == BOARD_COUNTER);

/// What a trap's instructions outside entry.S's two counter reads take (ARM_TRAP_UNCOUNTED), in
/// sixteenths of a counter tick: timed on the core itself, 2^17 instructions of a loop (an
/// instruction a nanosecond under QEMU's -icount shift=0: 8; on a board, its clock and pipeline).
ARM_STATE void measure_trap_overhead()
{
    const auto* counter = reinterpret_cast<const volatile uint32_t*>(uintptr_t(BOARD_COUNTER));
    const uint32_t start = *counter;
    uint32_t n = 1u << 16;
    asm volatile("1: subs %0, %0, #1\n bne 1b" : "+l"(n)::"cc");
    trap_overhead = (*counter - start) * (16 * ARM_TRAP_UNCOUNTED) >> 17;
}

/// The monitor's idle loop, entered through monitor_idle (entry.S) with a fresh stack.
extern "C" [[noreturn]] void monitor_wait()
{
    for (;;) {
        arm::variant::wait_for_interrupt();
#if CELLVISOR_SELFTEST_FAULT
        {  // woken by the first event: the IRQ path works; now the fatal one
            print("self-test: executing an undefined instruction\n");
#if defined(__thumb__)
            asm volatile(".inst.n 0xde00");  // permanently undefined (Thumb UDF #0)
#else
            asm volatile(".inst 0xe7f000f0");  // permanently undefined (UDF #0)
#endif
        }
#endif
    }
}

extern "C" [[noreturn]] void cellvisor_main()
{
    const bool intact = image_intact();  // before anything has read its read-only data or data
    arm::map_monitor();
    uart.init();
    if (!intact) stop_image_corrupt();
    print_banner();
    interrupts.init();
    interrupts.enable(board::timer_irq);
    timer.start_clock();
    measure_trap_overhead();
    arm::load_partitions();
    uart.set_receive_interrupt(true);
    interrupts.enable(board::console_uart_irq);
    arm::set_event(arm::now() + 10'000);  // a first event (the self-test faults after it)
    arm::enable_irq();
    monitor_idle();
}
