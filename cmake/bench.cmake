# make bench: the golden model's time, cosim_bench (tracing off and on), Verilator against Icarus on one stimulus, and whole models end to end.
#   cmake -DBUILD_DIR=<dir> [-DMODELS="vgg16_sq8 vgg16"] -P bench.cmake   (after building
#   bench_golden, cosim_bench and cosim)
cmake_minimum_required(VERSION 3.23)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(BUILD_DIR)
if(NOT DEFINED MODELS)
  set(MODELS "vgg16_sq8 vgg16")
endif()
separate_arguments(models UNIX_COMMAND "${MODELS}")

cosim_run(${BUILD_DIR}/tools/bench_golden)
cosim_run(${BUILD_DIR}/tb/cosim_bench --scratch ${BUILD_DIR}/bench)
cosim_run(${CMAKE_COMMAND} -DMODE=bench -DBUILD_DIR=${BUILD_DIR}
          -DEXPORT=${BUILD_DIR}/bench/replay_layer27_8x8
          "-DINPUT=--model vgg16_sq8 --layer 27 --array 8"
          -P ${CMAKE_CURRENT_LIST_DIR}/icarus.cmake)
message("Whole models, one core, tracing off, psums checked at pmem's write port (tb/SCHEDULE.md):")
foreach(model IN LISTS models)
  cosim_run(/usr/bin/time -f "${model}: %e s elapsed, %U s user, %S s system"
            ${BUILD_DIR}/tb/cosim --model ${model} --layer all --array 8 --psum-check write -q)
endforeach()
