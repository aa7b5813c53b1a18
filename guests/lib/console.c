#include "console.h"

#define UART_DATA (*(volatile uint32_t*)(GUEST_UART0 + 0x00))  /* UARTDR */
#define UART_FLAGS (*(volatile uint32_t*)(GUEST_UART0 + 0x18)) /* UARTFR */
#define UART_TRANSMIT_FULL (1u << 5)                           /* UARTFR.TXFF */

void put(char c)
{
    while (UART_FLAGS & UART_TRANSMIT_FULL) {}
    UART_DATA = (uint8_t)c;
}

void print(const char* s)
{
    while (*s) put(*s++);
}

void print_number(uint32_t n)
{
    char digits[10];
    int count = 0;
    do digits[count++] = (char)('0' + n % 10);
    while (n /= 10);
    while (count) put(digits[--count]);
}

void print_hex(uint32_t n)
{
    print("0x");
    for (int shift = 28; shift >= 0; shift -= 4) put("0123456789abcdef"[(n >> shift) & 15]);
}
