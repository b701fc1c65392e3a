# A cosim run exported (--export-stimulus) and replayed on rtl/ under Icarus with tb/replay_tb.v: make sim-icarus (MODE=replay) and make bench-icarus (MODE=bench, both simulators timed).
#   cmake -DMODE=replay|bench -DBUILD=<dir> -DEXPORT=<dir> [-DINPUT="<cosim input options>"]
#         [-DVCD=<file>] -P icarus.cmake
# The RTL file list is the build's (COSIM_RTL_SOURCES); sizes come from the export's header.hex.
cmake_minimum_required(VERSION 3.23)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(MODE BUILD EXPORT)
separate_arguments(input UNIX_COMMAND "${INPUT}")
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
cosim_cache_value(${BUILD} COSIM_RTL_SOURCES sources)
if(NOT sources)
  cosim_fail("${BUILD}/CMakeCache.txt names no COSIM_RTL_SOURCES (configure the build first)")
endif()
find_program(iverilog iverilog REQUIRED)
find_program(vvp vvp REQUIRED)

# Export the run; its last line (PASS ... cycles= wall_ms= sim_ms=) is kept for the bench.
file(REMOVE_RECURSE "${EXPORT}")
execute_process(COMMAND ${BUILD}/tb/cosim ${input} --export-stimulus ${EXPORT} -q
  RESULT_VARIABLE rc OUTPUT_VARIABLE run OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message("${run}")
  cosim_fail("cosim --export-stimulus exited ${rc}")
endif()

# header.hex: cycles, checks, row, col (hex words between // comments).
file(STRINGS "${EXPORT}/header.hex" header REGEX "^[0-9a-fA-F]+$")
set(index 0)
foreach(name cycles checks row col)
  list(GET header ${index} word)
  math(EXPR ${name} "0x${word}")
  math(EXPR index "${index} + 1")
endforeach()

string(TIMESTAMP start "%s%f")
execute_process(
  COMMAND ${iverilog} -g2012 -I${source_dir}/rtl -s replay_tb -Preplay_tb.row=${row} -Preplay_tb.col=${col}
          -Preplay_tb.max_cycles=${cycles} -Preplay_tb.max_checks=${checks}
          -o ${EXPORT}/replay.vvp ${source_dir}/tb/replay_tb.v ${sources}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  cosim_fail("iverilog exited ${rc}")
endif()
string(TIMESTAMP compiled "%s%f")

if(MODE STREQUAL "replay")
  set(vcd "")
  if(VCD)
    set(vcd "+vcd=${VCD}")
  endif()
  cosim_run(${vvp} -n ${EXPORT}/replay.vvp +export=${EXPORT} ${vcd})
  return()
elseif(NOT MODE STREQUAL "bench")
  cosim_fail("MODE=${MODE}: expected replay or bench")
endif()

execute_process(COMMAND ${vvp} -n ${EXPORT}/replay.vvp +export=${EXPORT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE replay OUTPUT_STRIP_TRAILING_WHITESPACE)
string(TIMESTAMP done "%s%f")
file(WRITE ${EXPORT}/replay.log "${replay}\n")
if(NOT rc EQUAL 0)
  message("${replay}")
  cosim_fail("vvp exited ${rc}")
endif()
string(REGEX MATCH "[^\n]*$" verdict "${replay}")
string(REGEX REPLACE " .*" "" verdict "${verdict}")

foreach(key cycles wall_ms sim_ms)
  if(NOT run MATCHES " ${key}=([0-9.]+)")
    cosim_fail("the cosim run printed no ${key}=: ${run}")
  endif()
  set(run_${key} ${CMAKE_MATCH_1})
endforeach()
# Microsecond timestamps to milliseconds with two decimals, and the Icarus / Verilator ratio
# in tenths (math() is integer only; sim_ms is scaled to microseconds).
math(EXPR compile_us "${compiled} - ${start}")
math(EXPR icarus_us "${done} - ${compiled}")
string(REGEX MATCH "^([0-9]+)(\\.([0-9]*))?$" unused "${run_sim_ms}")
set(sim_int "${CMAKE_MATCH_1}")
string(SUBSTRING "${CMAKE_MATCH_3}000" 0 3 sim_frac)
math(EXPR sim_us "${sim_int} * 1000 + 1${sim_frac} - 1000")
if(sim_us LESS 1)
  set(sim_us 1)
endif()
math(EXPR ratio_tenths "${icarus_us} * 10 / ${sim_us}")
function(ms us out)
  math(EXPR whole "${us} / 1000")
  math(EXPR frac "(${us} % 1000) / 10 + 100")
  string(SUBSTRING "${frac}" 1 2 frac)
  set(${out} "${whole}.${frac}" PARENT_SCOPE)
endfunction()
ms(${compile_us} compile_ms)
ms(${icarus_us} icarus_ms)
math(EXPR ratio_int "${ratio_tenths} / 10")
math(EXPR ratio_frac "${ratio_tenths} % 10")
message("
same stimulus, ${INPUT}, ${run_cycles} cycles (${EXPORT})
  Verilator (cosim clock loop)                 ${run_sim_ms} ms  (whole run with golden model: ${run_wall_ms} ms)
  Icarus (vvp tb/replay_tb.v)                  ${icarus_ms} ms  (iverilog compile: ${compile_ms} ms), replay ${verdict}
  Icarus / Verilator                           ${ratio_int}.${ratio_frac}x")
