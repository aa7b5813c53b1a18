/* flashprobe: probes the board's NOR flashes as a boot loader does: the first and last words
 * in read-array mode, then a CFI query (command 0x98 at word 0x55; the "QRY" signature at words
 * 0x10-0x12 and the device size at 0x27), then read-array again (0xff); and reads UART1's
 * identification. With the devices passed through, the monitor must give the same as natively. */
#include <stdint.h>

#include "console.h"

static const uint32_t flashes[] = {GUEST_FLASHES};

static void show(const char* what, uint32_t value)
{
    print(" ");
    print(what);
    print(" ");
    print_hex(value);
}

int main(void)
{
    for (unsigned i = 0; i < sizeof flashes / sizeof flashes[0]; ++i) {
        volatile uint32_t* const flash = (volatile uint32_t*)flashes[i];
        print("flashprobe: flash at ");
        print_hex(flashes[i]);
        show("first", flash[0]);
        show("last", flash[(64u << 20) / 4 - 1]);
        flash[0x55] = 0x98;  // CFI query (bank width 4: word addresses)
        show("Q", flash[0x10] & 0xff);
        show("R", flash[0x11] & 0xff);
        show("Y", flash[0x12] & 0xff);
        show("size 2^", flash[0x27] & 0xff);
        flash[0] = 0xff;  // read array
        show("then", flash[0]);
        print("\n");
    }
    print("flashprobe: UART1 identification");
    show("", *(volatile uint32_t*)(GUEST_UART1 + 0xfe0));
    print("\nflashprobe: done\n");
    for (;;) {}
}
