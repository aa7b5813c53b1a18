/* What entry.S needs of the board's virtual board (state.hpp checks it). */
#ifndef CELLVISOR_BOARD_H
#define CELLVISOR_BOARD_H
/* From a partition's vCPU: the byte that holds 1 + the virtual interrupt controller's outputs
 * while they are known, 0 when they are to be computed (Virtual_board::outputs_known_offset). */
#define BOARD_OUTPUTS_KNOWN 1196
/* The monitor's 24 MHz counter where the monitor reads it (layout::device(board::counter)). */
#define BOARD_COUNTER 0xfffe405c
/* The monitor's timer interrupt (board::timer_irq), as the banner's text has it. */
#define BOARD_TIMER_IRQ 34
#endif
