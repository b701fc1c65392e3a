# Runs the regress program for CTest: checks its exit code, that its output matches every REGEX and that its JUnit XML matches every JUNIT_REGEX.
#   -DPROGRAM=<regress> -DARGS=<list> -DEXIT=<code> -DREGEX=<list> -DJUNIT_REGEX=<list> -DSCRATCH=<dir>
# @SCRATCH@ in ARGS is replaced by SCRATCH; the XML is expected at SCRATCH/regress.xml.
cmake_minimum_required(VERSION 3.22)

file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}")
string(REPLACE "@SCRATCH@" "${SCRATCH}" args "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("$ ${PROGRAM} ${args}\n${output}")
if(NOT "${result}" STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit code ${EXIT}, got ${result}")
endif()
foreach(pattern IN LISTS REGEX)
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "the output does not match: ${pattern}")
  endif()
endforeach()
if(NOT EXISTS "${SCRATCH}/regress.xml")
  message(FATAL_ERROR "${SCRATCH}/regress.xml was not written")
endif()
file(READ "${SCRATCH}/regress.xml" xml)
foreach(pattern IN LISTS JUNIT_REGEX)
  if(NOT xml MATCHES "${pattern}")
    message(FATAL_ERROR "the JUnit XML does not match: ${pattern}\n${xml}")
  endif()
endforeach()
