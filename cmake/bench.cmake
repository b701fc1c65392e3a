# make bench / bench-golden / bench-icarus / fast: the golden model's time, cosim_bench (tracing off and on), Verilator against Icarus on one stimulus, whole models end to end; the profile-guided build.
#   cmake -DBUILD=<dir> [-DMODE=all|golden|icarus|fast] [-DPGO=0] [-DFAST_BUILD=<dir>]
#         [-DBENCH_MODELS="vgg16_sq8 vgg16"] [-DJOBS=n] -P bench.cmake
# MODE=all benchmarks the profile-guided build FAST_BUILD (default build-fast, made by
# pgo.cmake), or BUILD as it is configured with PGO=0.
cmake_minimum_required(VERSION 3.23)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD)
if(NOT MODE)
  set(MODE all)
endif()
if(NOT FAST_BUILD)
  set(FAST_BUILD build-fast)
endif()
if(NOT DEFINED PGO)
  set(PGO ON)
endif()
if(NOT DEFINED BENCH_MODELS)
  set(BENCH_MODELS "vgg16_sq8 vgg16")
endif()
separate_arguments(models UNIX_COMMAND "${BENCH_MODELS}")

function(bench_icarus dir)
  cosim_build(${dir} cosim)
  cosim_run(${CMAKE_COMMAND} -DMODE=bench -DBUILD=${dir}
            -DEXPORT=${dir}/bench/replay_layer27_8x8
            "-DINPUT=--model vgg16_sq8 --layer 27 --array 8"
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/icarus.cmake)
endfunction()

function(build_fast)
  cosim_run(${CMAKE_COMMAND} -DFAST_DIR=${FAST_BUILD} -DJOBS=${JOBS}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/pgo.cmake)
endfunction()

if(MODE STREQUAL "golden")
  cosim_build(${BUILD} bench_golden)
  cosim_run(${BUILD}/tools/bench_golden)
  return()
elseif(MODE STREQUAL "icarus")
  bench_icarus(${BUILD})
  return()
elseif(MODE STREQUAL "fast")
  build_fast()
  return()
elseif(NOT MODE STREQUAL "all")
  cosim_fail("MODE=${MODE}: expected all, golden, icarus or fast")
endif()
if(PGO)
  build_fast()
  set(dir ${FAST_BUILD})
  message("Benchmarks of the profile-guided build ${FAST_BUILD} (PGO=0: of ${BUILD})")
else()
  set(dir ${BUILD})
  cosim_build(${dir} bench_golden cosim_bench cosim)
  message("Benchmarks of ${BUILD}, no profile-guided optimisation")
endif()
cosim_run(${dir}/tools/bench_golden)
cosim_run(${dir}/tb/cosim_bench --scratch ${dir}/bench)
bench_icarus(${dir})
message("Whole models on 8x8, layers in worker processes (one per core), tracing off, every psum checked at pmem's write port:")
foreach(model IN LISTS models)
  cosim_run(/usr/bin/time -f "${model}: %e s elapsed, %U s user, %S s system"
            ${dir}/tb/cosim --model ${model} --layer all --array 8 --psum-check write -q)
endforeach()
