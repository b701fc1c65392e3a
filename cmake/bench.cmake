# make bench / bench-golden / bench-icarus: the golden model's time, cosim_bench (tracing off and on), Verilator against Icarus on one stimulus, and whole models end to end.
#   cmake -DBUILD=<dir> [-DMODE=all|golden|icarus] [-DBENCH_MODELS="vgg16_sq8 vgg16"] [-DJOBS=n] -P bench.cmake
cmake_minimum_required(VERSION 3.23)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD)
if(NOT MODE)
  set(MODE all)
endif()
if(NOT DEFINED BENCH_MODELS)
  set(BENCH_MODELS "vgg16_sq8 vgg16")
endif()
separate_arguments(models UNIX_COMMAND "${BENCH_MODELS}")

function(bench_icarus)
  cosim_build(${BUILD} cosim)
  cosim_run(${CMAKE_COMMAND} -DMODE=bench -DBUILD=${BUILD}
            -DEXPORT=${BUILD}/bench/replay_layer27_8x8
            "-DINPUT=--model vgg16_sq8 --layer 27 --array 8"
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/icarus.cmake)
endfunction()

if(MODE STREQUAL "golden")
  cosim_build(${BUILD} bench_golden)
  cosim_run(${BUILD}/tools/bench_golden)
  return()
elseif(MODE STREQUAL "icarus")
  bench_icarus()
  return()
elseif(NOT MODE STREQUAL "all")
  cosim_fail("MODE=${MODE}: expected all, golden or icarus")
endif()
cosim_build(${BUILD} bench_golden cosim_bench cosim)
cosim_run(${BUILD}/tools/bench_golden)
cosim_run(${BUILD}/tb/cosim_bench --scratch ${BUILD}/bench)
bench_icarus()
message("Whole models, one core, tracing off, psums checked at pmem's write port (tb/SCHEDULE.md):")
foreach(model IN LISTS models)
  cosim_run(/usr/bin/time -f "${model}: %e s elapsed, %U s user, %S s system"
            ${BUILD}/tb/cosim --model ${model} --layer all --array 8 --psum-check write -q)
endforeach()
