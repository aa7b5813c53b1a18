# cellvisor_add_image(NAME SYSTEM FILE.dts BOARD CONFIG [MONITOR FILE.elf] [GUEST_DIRS DIR...]
#                     [DEPENDS FILE|TARGET...])
# Builds ${CMAKE_CURRENT_BINARY_DIR}/NAME.elf (QEMU's -kernel, a debugger) and NAME.bin (raw, from
# the board's RAM base: to flash) from a system described in DTS, with cellvisor-image: the
# system is checked against its board and its guests, the guests' sensitive instructions are
# rewritten, and the monitor and the package are linked into one image. The target NAME is
# built with ALL. BOARD is the monitor configuration (versatilepb, versatilepb-v6,
# vexpress-a9); its installed monitor is used unless MONITOR names another. Guest images are
# looked for beside the DTS, then in GUEST_DIRS; list them (or their targets) in DEPENDS so a
# changed guest rebuilds the image. The files the DTS includes (/include/, found beside it, in
# GUEST_DIRS, then in the installed board descriptions) are followed by themselves: dtc lists
# them in NAME.d (and compiles the tree into NAME.dtb), so a changed .dtsi rebuilds the image.
find_program(CELLVISOR_DTC dtc)
if(NOT CELLVISOR_DTC)
  message(FATAL_ERROR "Cellvisor: dtc not found (Debian: device-tree-compiler)")
endif()

# Paths in a DEPFILE relative to the current binary directory, whatever the calling project's
# policies (CMP0116, CMake 3.20).
cmake_policy(PUSH)
cmake_policy(SET CMP0116 NEW)
function(cellvisor_add_image name)
  cmake_parse_arguments(PARSE_ARGV 1 image "" "SYSTEM;BOARD;MONITOR" "GUEST_DIRS;DEPENDS")
  if(NOT image_SYSTEM OR NOT image_BOARD)
    message(FATAL_ERROR "cellvisor_add_image(${name}): SYSTEM and BOARD are required")
  endif()
  if(NOT image_MONITOR)
    set(image_MONITOR ${CELLVISOR_DATA_DIR}/${image_BOARD}/cellvisor.elf)
  endif()
  if(NOT EXISTS ${image_MONITOR})
    message(FATAL_ERROR "cellvisor_add_image(${name}): no monitor for ${image_BOARD} at ${image_MONITOR} "
      "(install that configuration's build, or give MONITOR)")
  endif()
  get_filename_component(system ${image_SYSTEM} ABSOLUTE)
  get_filename_component(system_directory ${system} DIRECTORY)
  set(search)
  set(includes -i ${system_directory})  # dtc's search, in cellvisor-image's order
  foreach(dir IN LISTS image_GUEST_DIRS)
    get_filename_component(dir ${dir} ABSOLUTE)
    list(APPEND search -I ${dir})
    list(APPEND includes -i ${dir})
  endforeach()
  list(APPEND includes -i ${CELLVISOR_BOARDS_DIR})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  set(tree)
  set(compile)
  set(depfile)
  if(system MATCHES "\\.dts$")
    # dtc's dependency list names its own output: NAME.dtb comes first among the outputs.
    set(tree ${out}.dtb)
    set(compile COMMAND ${CELLVISOR_DTC} -q -I dts -O dtb ${includes} -d ${out}.d -o ${out}.dtb ${system})
    set(depfile DEPFILE ${out}.d)
  endif()
  add_custom_command(OUTPUT ${tree} ${out}.elf ${out}.bin
    ${compile}
    COMMAND Cellvisor::cellvisor-image --monitor ${image_MONITOR} ${search} -o ${out}.elf --binary ${out}.bin ${system}
    DEPENDS ${system} ${image_MONITOR} ${image_DEPENDS}
    ${depfile}
    COMMENT "Cellvisor image ${name} (${image_BOARD}) from ${image_SYSTEM}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out}.elf ${out}.bin)
endfunction()
cmake_policy(POP)
