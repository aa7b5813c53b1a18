/* The small guests' console: the board's UART0 (GUEST_UART0), polled. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H
#include <stdint.h>

void put(char c);
void print(const char* s);
void print_number(uint32_t n);
void print_hex(uint32_t n);  // 0x and eight digits

#endif
