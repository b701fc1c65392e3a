# Runs cosim with --stimulus, then replays that file on the same RTL under Icarus (icarus_replay_tb.v) and requires every cycle's outputs to agree.
#   -DCOSIM=<exe> -DARGS=<list> -DIVERILOG=<exe> -DVVP=<exe> -DSOURCES=<a.v,...>
#   -DTESTBENCH=<icarus_replay_tb.v> -DROW=<r> -DCOL=<c> -DWORK_DIR=<dir>
cmake_minimum_required(VERSION 3.22)
foreach(var COSIM IVERILOG VVP SOURCES TESTBENCH ROW COL WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "icarus_replay.cmake: -D${var}=... is required")
  endif()
endforeach()
string(REPLACE "," ";" SOURCES "${SOURCES}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(stimulus "${WORK_DIR}/stimulus.txt")

# The testbench includes rtl/core_dut.vh (and core_bus.vh), which sit beside the core's sources.
list(GET SOURCES 0 _first_source)
get_filename_component(_bus_include_dir "${_first_source}" DIRECTORY)
execute_process(COMMAND "${COSIM}" ${ARGS} --stimulus "${stimulus}" -q
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("cosim: ${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cosim exited ${rc}")
endif()

execute_process(
  COMMAND "${IVERILOG}" -g2012 -s icarus_replay_tb "-I${_bus_include_dir}" -Picarus_replay_tb.row=${ROW}
          -Picarus_replay_tb.col=${COL}
          -o "${WORK_DIR}/replay.vvp" "${TESTBENCH}" ${SOURCES}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "iverilog exited ${rc}:\n${out}")
endif()
execute_process(COMMAND "${VVP}" -n "${WORK_DIR}/replay.vvp" "+stimulus=${stimulus}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("icarus: ${out}")
if(NOT out MATCHES "REPLAY PASS cycles=[1-9]")
  message(FATAL_ERROR "the Icarus replay does not agree with Verilator")
endif()
