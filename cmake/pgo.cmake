# make fast: cosim, cosim_bench and bench_golden compiled with gcc profile-guided and link-time optimisation into FAST_DIR (instrumented build, training runs, optimised build).
#   cmake -DFAST_DIR=<dir> [-DJOBS=n] -P pgo.cmake
# <FAST_DIR>/generate holds the instrumented build, <FAST_DIR>/profile the training's profile,
# <FAST_DIR> itself the optimised build. The training runs again whenever the instrumented
# programs were rebuilt (a source changed), and the optimised build then recompiles with it.
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(FAST_DIR)
get_filename_component(fast "${FAST_DIR}" ABSOLUTE)
get_filename_component(source "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(generate "${fast}/generate")
set(profile "${fast}/profile")
set(stamp "${profile}/trained.stamp")
# Both builds: Release, the two built-in shapes (8x8, 16x16), one profile folder, each source
# file compiled on its own (the layout the bench figures were measured on).
set(common -DCMAKE_BUILD_TYPE=Release -DCOSIM_ARRAYS_FROM_VECTORS=OFF "-DCOSIM_PGO_PROFILE=${profile}"
           -DCOSIM_UNITY=OFF -DCOSIM_UNTRACED_TWINS=8x8)

cosim_run(${CMAKE_COMMAND} -S ${source} -B ${generate} -G Ninja ${common} -DCOSIM_PGO=generate)
cosim_build(${generate} cosim bench_golden)

set(retrain TRUE)
if(EXISTS "${stamp}" AND NOT "${generate}/tb/cosim" IS_NEWER_THAN "${stamp}")
  set(retrain FALSE)
endif()
if(retrain)
  message("Training the profile (instrumented runs, about a minute)")
  file(REMOVE_RECURSE "${profile}")
  file(MAKE_DIRECTORY "${profile}")
  # WS with psums checked at the write port and through the SFP, OS, both built arrays, and a
  # waveform (the 8x8 core's untraced twin runs the rest); a shape added later (make sim
  # BUILD=... --array) runs its code unprofiled, as -O3 compiles it.
  set(runs
      "--layer 17 --array 8 --psum-check write"
      "--layer 27 --array 8"
      "--layer 27 --array 8 --dataflow os"
      "--layer 24 --array 16 --psum-check write"
      "--layer 24 --array 8 --trace ${profile}/training.vcd")
  foreach(run IN LISTS runs)
    separate_arguments(arguments UNIX_COMMAND "${run}")
    cosim_run(${generate}/tb/cosim --model vgg16_sq8 ${arguments} -q)
  endforeach()
  cosim_run(${generate}/tools/bench_golden --repeat 1)
  string(TIMESTAMP now "%s")
  file(WRITE "${stamp}" "${now}\n")
endif()
file(READ "${stamp}" trained)
string(STRIP "${trained}" trained)

# COSIM_PGO_STAMP changes the compile lines after a new training, so every object recompiles.
# The optimised build is also compiled and linked with link-time optimisation (-flto=auto): the
# MAC rows' per-cycle functions, the model's eval and the harness meet in one optimisation unit.
# GCC 12's link-time pass reports a memcpy bound inside CLI11's flag parsing that cannot occur
# (-Wstringop-overflow, a false positive); it is silenced for these links only.
cosim_run(${CMAKE_COMMAND} -S ${source} -B ${fast} -G Ninja ${common} -DCOSIM_PGO=use
          -DCOSIM_PGO_STAMP=${trained} -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=ON
          -DCMAKE_EXE_LINKER_FLAGS=-Wno-stringop-overflow)
cosim_build(${fast} cosim cosim_bench bench_golden)
message("Profile-guided build: ${fast}/tb/cosim (make sim BUILD=${FAST_DIR} runs it)")
