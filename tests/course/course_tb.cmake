# Runs tests/course/core_tb.v under Icarus on one vector set: course files, iverilog per language generation, vvp, PASS.
# cmake -DCOURSE_FILES=<exe> -DSET=<dir> | -DGENERATE=<exe> -DLAYER=<n> [-DARRAY=<8|16>]
#       -DWORK_DIR=<dir> -DIVERILOG=<exe> -DVVP=<exe> -DSOURCES=<a.v:b.v:...> -DTESTBENCH=<core_tb.v>
#       [-DGENERATIONS=2012:2005] [-DPLUSARGS=+course_habits] [-DMAX_WARNINGS=n] [-DMAX_ARRAY=8]
#       -P course_tb.cmake
# Lists are ':'-separated (a ';' would split the argument, a ',' a make function's). Prints
# "not for the course flow" (the test's SKIP_REGULAR_EXPRESSION) for a set the flow cannot run.
foreach(var COURSE_FILES WORK_DIR IVERILOG VVP SOURCES TESTBENCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "course_tb.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED GENERATIONS)
  set(GENERATIONS 2012)
endif()
if(NOT DEFINED MAX_WARNINGS)
  set(MAX_WARNINGS 0)
endif()
if(NOT DEFINED ARRAY)
  set(ARRAY 8)
endif()
string(REPLACE ":" ";" SOURCES "${SOURCES}")
string(REPLACE ":" ";" GENERATIONS "${GENERATIONS}")
string(REPLACE ":" ";" PLUSARGS "${PLUSARGS}")

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
if(DEFINED GENERATE)
  set(SET "${WORK_DIR}/set")
  execute_process(COMMAND ${GENERATE} --layer ${LAYER} --array ${ARRAY} --out ${SET}
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generate_vectors --layer ${LAYER} failed (${rc})")
  endif()
endif()
set(run_dir "${WORK_DIR}/run")
set(limit "")
if(DEFINED MAX_ARRAY)
  set(limit --max-array ${MAX_ARRAY})
endif()
execute_process(COMMAND ${COURSE_FILES} ${SET} --out ${run_dir} ${limit}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 77)
  # Not eligible: the line printed above matches the test's SKIP_REGULAR_EXPRESSION.
  return()
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "course_files failed (${rc})")
endif()
file(STRINGS "${run_dir}/core_tb.args" parameters)

foreach(generation IN LISTS GENERATIONS)
  set(vvp_file "${run_dir}/core_tb_g${generation}.vvp")
  execute_process(
    COMMAND ${IVERILOG} -g${generation} -s core_tb ${parameters} -o ${vvp_file} ${TESTBENCH}
            ${SOURCES}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
    message(FATAL_ERROR "iverilog -g${generation} (${rc}):\n${out}")
  endif()
  execute_process(COMMAND ${VVP} -n ${vvp_file} ${PLUSARGS}
                  WORKING_DIRECTORY ${run_dir}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(REGEX MATCHALL "WARNING:" warnings "${out}")
  list(LENGTH warnings warning_count)
  string(REGEX MATCH "ERROR:[^\n]*" first_error "${out}")
  string(REGEX MATCH "(PASS|FAIL)[^\n]*" verdict "${out}")
  message("iverilog -g${generation}: ${verdict} (${warning_count} warning lines) in ${run_dir}")
  if(NOT rc EQUAL 0 OR NOT verdict MATCHES "^PASS" OR first_error)
    message(FATAL_ERROR "core_tb.v under -g${generation} did not pass:\n${out}")
  endif()
  if(warning_count GREATER MAX_WARNINGS)
    message(FATAL_ERROR "core_tb.v under -g${generation}: ${warning_count} warning lines, at most "
                        "${MAX_WARNINGS} expected:\n${out}")
  endif()
endforeach()
