# QEMU vexpress-a9 (legacy memory map) with a Cortex-A9 (ARMv7-A).
set(CELLVISOR_BOARD vexpress-a9)
set(CELLVISOR_ARCH v7)
set(CELLVISOR_CPU_FLAGS -mcpu=cortex-a9 -marm -mfloat-abi=soft)
# The monitor's C++ as Thumb-2, which reaches CP15 too (entry.S says .arm; v7/boot.S, which runs
# once, says .thumb): a third smaller.
set(CELLVISOR_MONITOR_FLAGS -mthumb)
# Code generation measured for size on this configuration (docs/benchmarks.md, "Footprint"):
# without post-reload scheduling (under -icount an instruction costs the same wherever it is;
# -88 bytes) and without loop-invariant motion (-40 bytes, and no hot path longer).
set(CELLVISOR_TUNING_FLAGS -fno-schedule-insns2 -fno-move-loop-invariants)
# The units that run once, at boot (the package's check, the loader): without if-conversion and
# caller-saved registers across calls as well, -16 bytes (on ARMv5 and ARMv6, +8).
set(CELLVISOR_BOOT_TUNING_FLAGS -fno-if-conversion -fno-caller-saves)
set(CELLVISOR_RAM_BASE 0x60000000)
set(CELLVISOR_RAM_SIZE 0x40000000)
set(CELLVISOR_QEMU_ARGS -M vexpress-a9 -m 1G -audiodev none,id=n0 -global pl041.audiodev=n0)
