# The same board with QEMU's ARM1176 (ARMv6KZ, MIDR 0x410fb767).
set(CELLVISOR_BOARD versatilepb)
set(CELLVISOR_ARCH v6)
set(CELLVISOR_CPU_FLAGS -mcpu=arm1176jzf-s -marm -mfloat-abi=soft)
set(CELLVISOR_RAM_BASE 0x00000000)
set(CELLVISOR_RAM_SIZE 0x08000000)
set(CELLVISOR_QEMU_ARGS -M versatilepb -cpu arm1176 -m 128M -audiodev none,id=n0 -global pl041.audiodev=n0)
# The monitor's C++ as Thumb-1; what must be ARM code says so (ARM_STATE, arch/arm/cp15.hpp).
set(CELLVISOR_MONITOR_FLAGS -mthumb)
# Code generation measured for size on this configuration (docs/benchmarks.md, "Footprint"):
# without loop-invariant motion, -88 bytes, but for the scheduler's unit, whose loops it keeps
# the partition switch 3 instructions shorter with (the size is the same).
set(CELLVISOR_TUNING_FLAGS -fno-move-loop-invariants)
set(CELLVISOR_SCHEDULE_TUNING_FLAGS -fmove-loop-invariants)
