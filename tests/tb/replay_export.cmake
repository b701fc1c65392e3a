# Exports a cosim run (--export-stimulus), replays it with tb/replay_tb.v under Icarus and checks the verdict; can corrupt one golden value first.
#   -DCOSIM=<exe> -DARGS=<list> -DIVERILOG=<exe> -DVVP=<exe> -DSOURCES=<a.v,...>
#   -DTESTBENCH=<tb/replay_tb.v> -DWORK_DIR=<dir> [-DCORRUPT=sfp_out|pmem]
# Without CORRUPT the replay must pass every check. With CORRUPT the lowest bit of the first
# non-zero check of that kind (0 sfp_out, 1 pmem write) is flipped in check_data.hex, and the
# replay must fail exactly that check.
cmake_minimum_required(VERSION 3.22)
foreach(var COSIM IVERILOG VVP SOURCES TESTBENCH WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "replay_export.cmake: -D${var}=... is required")
  endif()
endforeach()
string(REPLACE "," ";" SOURCES "${SOURCES}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(export "${WORK_DIR}/export")

# The testbench includes rtl/core_bus.vh, which sits beside the core's sources.
list(GET SOURCES 0 _first_source)
get_filename_component(_bus_include_dir "${_first_source}" DIRECTORY)
execute_process(COMMAND "${COSIM}" ${ARGS} --export-stimulus "${export}" -q
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("cosim: ${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cosim exited ${rc}")
endif()

# header.hex: cycles, checks, row, col (hex words between // comments).
file(STRINGS "${export}/header.hex" header REGEX "^[0-9a-fA-F]+$")
list(GET header 0 cycles)
list(GET header 1 checks)
list(GET header 2 row)
list(GET header 3 col)
foreach(name cycles checks row col)
  math(EXPR ${name} "0x${${name}}")
endforeach()
message("export: ${cycles} cycles, ${checks} checks, ${row}x${col}")

if(CORRUPT)
  if(CORRUPT STREQUAL "sfp_out")
    set(kind 0)
  elseif(CORRUPT STREQUAL "pmem")
    set(kind 1)
  else()
    message(FATAL_ERROR "CORRUPT=${CORRUPT}: expected sfp_out or pmem")
  endif()
  # The first check of that kind with a non-zero golden word (a real psum, not a padding
  # zero).
  file(STRINGS "${export}/check_kind.hex" kinds)
  file(STRINGS "${export}/check_data.hex" data)
  set(index -1)
  set(position 0)
  foreach(entry IN LISTS kinds)
    if(entry STREQUAL "${kind}")
      list(GET data ${position} word)
      if(NOT word MATCHES "^0+$")
        set(index ${position})
        break()
      endif()
    endif()
    math(EXPR position "${position} + 1")
  endforeach()
  if(index LESS 0)
    message(FATAL_ERROR "the export has no non-zero ${CORRUPT} check to corrupt")
  endif()
  list(GET data ${index} word)
  string(LENGTH "${word}" length)
  math(EXPR last "${length} - 1")
  string(SUBSTRING "${word}" ${last} 1 digit)
  math(EXPR flipped "0x${digit} ^ 1" OUTPUT_FORMAT HEXADECIMAL)
  string(SUBSTRING "${flipped}" 2 -1 flipped)
  string(SUBSTRING "${word}" 0 ${last} head)
  list(REMOVE_AT data ${index})
  list(INSERT data ${index} "${head}${flipped}")
  list(JOIN data "\n" content)
  file(WRITE "${export}/check_data.hex" "${content}\n")
  message("corrupted check ${index} (${CORRUPT}): ${word} -> ${head}${flipped}")
endif()

execute_process(
  COMMAND "${IVERILOG}" -g2012 -s replay_tb "-I${_bus_include_dir}" -Preplay_tb.row=${row} -Preplay_tb.col=${col}
          -Preplay_tb.max_cycles=${cycles} -Preplay_tb.max_checks=${checks}
          -o "${WORK_DIR}/replay.vvp" "${TESTBENCH}" ${SOURCES}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "iverilog exited ${rc}:\n${out}")
endif()
execute_process(COMMAND "${VVP}" -n "${WORK_DIR}/replay.vvp" "+export=${export}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("icarus (exit ${rc}): ${out}")

if(NOT CORRUPT)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "(^|\n)${checks} passed, 0 failed\nPASS replay of ")
    message(FATAL_ERROR "the Icarus replay does not reproduce the golden values")
  endif()
else()
  math(EXPR rest "${checks} - 1")
  if(rc EQUAL 0 OR NOT out MATCHES "REPLAY check ${index} at cycle [0-9]+: "
     OR NOT out MATCHES "(^|\n)${rest} passed, 1 failed\nFAIL replay of ")
    message(FATAL_ERROR "the replay did not fail exactly the corrupted check ${index}")
  endif()
endif()
