# make course-tb VECTORS=dir: tests/course/core_tb.v, the course-style Icarus testbench, on one vector set (tests/course/course_tb.cmake with this build's RTL list and course_files).
#   cmake -DBUILD_DIR=<dir> -DSET=<vector set> [-DVCD=1] -P course_tb.cmake
# The set is rewritten in the course's file names into BUILD_DIR/course-tb/run (its VCD too).
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD_DIR SET)
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(build "${BUILD_DIR}" ABSOLUTE)
get_filename_component(set "${SET}" ABSOLUTE)
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
