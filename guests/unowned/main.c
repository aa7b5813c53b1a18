/* Probes an address no device of the board decodes with every kind of access a firmware's
 * board probe uses: word, halfword and byte loads, a load multiple, a store, and a load back.
 * Natively QEMU reads such an address as zero and ignores the write; under Cellvisor a
 * partition's default policy gives the same (docs/memory.md), its "abort" policy an external
 * abort the guest's vector counts and skips. Then reads a device's last words with accesses
 * that end exactly at its page's end. Prints what each access gave. */
#include <stdint.h>

#include "console.h"

extern volatile uint32_t aborts;

static void report(const char* what, uint32_t value)
{
    print("unowned: ");
    print(what);
    print(" ");
    print_hex(value);
    print(", aborts ");
    print_number(aborts);
    print("\n");
}

int main(void)
{
    volatile uint32_t* const undecoded = (volatile uint32_t*)GUEST_UNDECODED;
    print("unowned: probing ");
    print_hex(GUEST_UNDECODED);
    print("\n");
    uint32_t value = 0x5a5a5a5a, second = 0x5a5a5a5a;
    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(undecoded) : "memory");
    report("word", value);
    value = 0x5a5a5a5a;
    __asm__ volatile("ldrh %0, [%1, #2]" : "+r"(value) : "r"(undecoded) : "memory");
    report("halfword", value);
    value = 0x5a5a5a5a;
    __asm__ volatile("ldrb %0, [%1, #3]" : "+r"(value) : "r"(undecoded) : "memory");
    report("byte", value);
    value = 0x5a5a5a5a;
    __asm__ volatile("ldm %2, {%0, %1}" : "+r"(value), "+r"(second) : "r"(undecoded) : "memory");
    report("multiple", value ^ second);
    __asm__ volatile("str %0, [%1, #4]" ::"r"(0x12345678u), "r"(undecoded) : "memory");
    value = 0x5a5a5a5a;
    __asm__ volatile("ldr %0, [%1, #4]" : "+r"(value) : "r"(undecoded) : "memory");
    report("written and read back", value);
    // A device's last words by one load multiple ending exactly at its page's end (the SP804's
    // PrimeCell identification), and a load dual there on ARMv6 and later.
    volatile uint32_t* const identification = (volatile uint32_t*)(GUEST_TIMER + 0xff8);
    __asm__ volatile("ldm %2, {%0, %1}" : "=r"(value), "=r"(second) : "r"(identification) : "memory");
    report("timer identification", value << 8 | second);
#if __ARM_ARCH >= 6
    register uint32_t low __asm__("r2"), high __asm__("r3");
    __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(low), "=r"(high) : "r"(identification) : "memory");
    report("timer identification, load dual", low << 8 | high);
#endif
    print("unowned: done\n");
    for (;;) {}
}
