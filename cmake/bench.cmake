# make bench: the golden model's time, cosim_bench (tracing off and on), Verilator against Icarus on one stimulus, and whole models end to end.
#   cmake -DBUILD_DIR=<dir> [-DPGO=ON] [-DJOBS=n] [-DMODELS="vgg16_sq8 vgg16"] -P bench.cmake
# With PGO=ON, BUILD_DIR is first made the profile-guided build (pgo.cmake); otherwise
# bench_golden, cosim_bench and cosim are built in BUILD_DIR as it is configured.
cmake_minimum_required(VERSION 3.23)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD_DIR)
if(NOT DEFINED MODELS)
  set(MODELS "vgg16_sq8 vgg16")
endif()
separate_arguments(models UNIX_COMMAND "${MODELS}")

if(PGO)
  cosim_run(${CMAKE_COMMAND} -DFAST_DIR=${BUILD_DIR} -DJOBS=${JOBS} -P ${CMAKE_CURRENT_LIST_DIR}/pgo.cmake)
  message("Benchmarks of the profile-guided build ${BUILD_DIR}")
else()
  cosim_build(${BUILD_DIR} bench_golden cosim_bench cosim)
  message("Benchmarks of ${BUILD_DIR} (no profile-guided optimisation)")
endif()

cosim_run(${BUILD_DIR}/tools/bench_golden)
cosim_run(${BUILD_DIR}/tb/cosim_bench --scratch ${BUILD_DIR}/bench)
cosim_run(${CMAKE_COMMAND} -DMODE=bench -DBUILD_DIR=${BUILD_DIR}
          -DEXPORT=${BUILD_DIR}/bench/replay_layer27_8x8
          "-DINPUT=--model vgg16_sq8 --layer 27 --array 8"
          -P ${CMAKE_CURRENT_LIST_DIR}/icarus.cmake)
message("Whole models on 8x8, layers in worker processes (one per core), tracing off, every psum checked at pmem's write port:")
foreach(model IN LISTS models)
  cosim_run(/usr/bin/time -f "${model}: %e s elapsed, %U s user, %S s system"
            ${BUILD_DIR}/tb/cosim --model ${model} --layer all --array 8 --psum-check write -q)
endforeach()
