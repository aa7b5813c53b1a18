# cellvisor_add_image(NAME SYSTEM FILE.dts BOARD CONFIG [MONITOR FILE.elf] [GUEST_DIRS DIR...]
#                     [DEPENDS FILE|TARGET...])
# Builds ${CMAKE_CURRENT_BINARY_DIR}/NAME.elf (QEMU's -kernel, a debugger) and NAME.bin (raw, from
# the board's RAM base: to flash) from a system described in DTS, with cellvisor-image: the
# system is checked against its board and its guests, the guests' sensitive instructions are
# rewritten, and the monitor and the package are linked into one image. The target NAME is
# built with ALL. BOARD is the monitor configuration (versatilepb, versatilepb-v6,
# vexpress-a9); its installed monitor is used unless MONITOR names another. Guest images are
# looked for beside the DTS, then in GUEST_DIRS; list them (or their targets) in DEPENDS so a
# changed guest rebuilds the image.
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
  set(search)
  foreach(dir IN LISTS image_GUEST_DIRS)
    list(APPEND search -I ${dir})
  endforeach()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  add_custom_command(OUTPUT ${out}.elf ${out}.bin
    COMMAND Cellvisor::cellvisor-image --monitor ${image_MONITOR} ${search} -o ${out}.elf --binary ${out}.bin ${system}
    DEPENDS ${system} ${image_MONITOR} ${image_DEPENDS}
    COMMENT "Cellvisor image ${name} (${image_BOARD}) from ${image_SYSTEM}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${out}.elf ${out}.bin)
endfunction()
