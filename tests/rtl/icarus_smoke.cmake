# Compiles the core with Icarus (iverilog -g2012) for each shape, then runs core_smoke_tb.v on the 8x8 core.
# cmake -DIVERILOG=<iverilog> -DVVP=<vvp> -DSOURCES=<a.v,...> -DTESTBENCH=<tb.v>
#       -DSHAPES=<8x8,16x16> -DWORK_DIR=<dir> -P icarus_smoke.cmake
foreach(var IVERILOG VVP SOURCES TESTBENCH SHAPES WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "icarus_smoke.cmake: -D${var}=... is required")
  endif()
endforeach()
# Comma-separated on the command line.
string(REPLACE "," ";" SOURCES "${SOURCES}")
string(REPLACE "," ";" SHAPES "${SHAPES}")
foreach(tool IVERILOG VVP)
  if(NOT EXISTS "${${tool}}")
    message(FATAL_ERROR "icarus_smoke.cmake: ${tool} not found ('${${tool}}'); install iverilog")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK_DIR}")

# The testbench includes rtl/core_bus.vh, which sits beside the core's sources.
list(GET SOURCES 0 _first_source)
get_filename_component(_bus_include_dir "${_first_source}" DIRECTORY)

foreach(shape IN LISTS SHAPES)
  if(NOT shape MATCHES "^([0-9]+)x([0-9]+)$")
    message(FATAL_ERROR "icarus_smoke.cmake: shape '${shape}' is not <row>x<col>")
  endif()
  execute_process(
    COMMAND "${IVERILOG}" -g2012 -Wall -s core -Pcore.row=${CMAKE_MATCH_1}
            -Pcore.col=${CMAKE_MATCH_2} -o "${WORK_DIR}/core_${shape}.vvp" ${SOURCES}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
    message(FATAL_ERROR "core ${shape}: iverilog -g2012 exited ${rc}:\n${out}")
  endif()
  message("core ${shape}: iverilog -g2012 compiled it cleanly")
endforeach()

execute_process(
  COMMAND "${IVERILOG}" -g2012 -Wall -s core_smoke_tb "-I${_bus_include_dir}" -o "${WORK_DIR}/core_smoke_tb.vvp"
          "${TESTBENCH}" ${SOURCES}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
  message(FATAL_ERROR "core_smoke_tb: iverilog -g2012 exited ${rc}:\n${out}")
endif()

# +corelet_strict: every protocol event (FIFO underflow/overflow, unwritten pmem read) is an
# $error, as in the Verilated unit tests; the smoke schedule must have none.
execute_process(
  COMMAND "${VVP}" -n "${WORK_DIR}/core_smoke_tb.vvp" +corelet_strict
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
message("${out}")
# Icarus reports $error as "ERROR:"; the testbench prints FAIL lines and a PASS verdict.
if(NOT rc EQUAL 0 OR NOT out MATCHES "PASS core_smoke_tb" OR out MATCHES "ERROR|FAIL")
  message(FATAL_ERROR "core_smoke_tb failed under Icarus (exit ${rc})")
endif()
