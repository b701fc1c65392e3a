# make course-tb: tests/course/core_tb.v, the course-style Icarus testbench, on layer 27 and every shared 8x8 set (CTest label course), or on one vector set (VECTORS=dir).
#   cmake -DBUILD=<dir> [-DVECTORS=<vector set>] [-DVCD=1] [-DJOBS=n] -P course_tb.cmake
# One set is rewritten in the course's file names into BUILD/course-tb/run (its VCD too) and run by
# tests/course/course_tb.cmake with this build's RTL list and course_files.
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD)
cosim_build(${BUILD} course_files generate_vectors)
if(NOT VECTORS)
  set(jobs "")
  if(JOBS)
    set(jobs -j ${JOBS})
  endif()
  cosim_run(${CMAKE_CTEST_COMMAND} --test-dir ${BUILD} -L course ${jobs} --output-on-failure)
  return()
endif()
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(build "${BUILD}" ABSOLUTE)
get_filename_component(set "${VECTORS}" ABSOLUTE)
cosim_cache_value(${build} COSIM_RTL_SOURCES sources)
if(NOT sources)
  cosim_fail("${build}/CMakeCache.txt names no COSIM_RTL_SOURCES (configure the build first)")
endif()
string(REPLACE ";" ":" sources "${sources}")
find_program(iverilog iverilog REQUIRED)
find_program(vvp vvp REQUIRED)
set(plusargs "")
if(VCD)
  set(plusargs -DPLUSARGS=+vcd)
endif()
cosim_run(${CMAKE_COMMAND} -DCOURSE_FILES=${build}/tools/course_files -DSET=${set}
          -DIVERILOG=${iverilog} -DVVP=${vvp} -DSOURCES=${sources}
          -DTESTBENCH=${source_dir}/tests/course/core_tb.v -DGENERATIONS=2012:2005 ${plusargs}
          -DWORK_DIR=${build}/course-tb -P ${source_dir}/tests/course/course_tb.cmake)
