# Builds cosim for a run, adding the run's array shape to the build (COSIM_EXTRA_ARRAYS) when it has no such core model, and cosim_fst for an FST trace.
#   cmake -DBUILD_DIR=<dir> -DINPUT="<cosim input options>" [-DTRACE=<file>] [-DJOBS=n] -P cosim_ready.cmake
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD_DIR INPUT)
separate_arguments(input UNIX_COMMAND "${INPUT}")

cosim_build(${BUILD_DIR} cosim)
execute_process(COMMAND ${BUILD_DIR}/tb/cosim ${input} --print-array
  RESULT_VARIABLE rc OUTPUT_VARIABLE shape OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  cosim_fail("cosim --print-array exited ${rc}")
endif()

cosim_cache_value(${BUILD_DIR} COSIM_BUILT_ARRAYS built)
if(NOT shape IN_LIST built)
  cosim_cache_value(${BUILD_DIR} COSIM_EXTRA_ARRAYS extra)
  list(APPEND extra ${shape})
  message("Building a ${shape} core model (COSIM_EXTRA_ARRAYS=${extra})")
  execute_process(COMMAND ${CMAKE_COMMAND} -B ${BUILD_DIR} "-DCOSIM_EXTRA_ARRAYS=${extra}"
    RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    cosim_fail("configuring ${BUILD_DIR} with COSIM_EXTRA_ARRAYS=${extra} failed")
  endif()
  cosim_build(${BUILD_DIR} cosim)
endif()
if(TRACE MATCHES "\\.fst$")
  cosim_build(${BUILD_DIR} cosim_fst)
endif()
