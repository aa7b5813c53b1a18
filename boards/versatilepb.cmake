# QEMU versatilepb with its default ARM926EJ-S (ARMv5TEJ).
set(CELLVISOR_BOARD versatilepb)
set(CELLVISOR_ARCH v5)
set(CELLVISOR_CPU_FLAGS -mcpu=arm926ej-s -marm -mfloat-abi=soft)
set(CELLVISOR_RAM_BASE 0x00000000)
set(CELLVISOR_RAM_SIZE 0x08000000)
set(CELLVISOR_QEMU_ARGS -M versatilepb -m 128M -audiodev none,id=n0 -global pl041.audiodev=n0)
# The monitor's C++ as Thumb-1; what must be ARM code says so (ARM_STATE, arch/arm/cp15.hpp).
set(CELLVISOR_MONITOR_FLAGS -mthumb)
# Code generation measured for size on this configuration (docs/benchmarks.md, "Footprint"):
# without loop-invariant motion, -88 bytes and no hot path longer.
set(CELLVISOR_TUNING_FLAGS -fno-move-loop-invariants)
