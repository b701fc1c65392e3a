# make fuzz / make fuzz-corpus: builds the libFuzzer targets (clang, ASan + UBSan, their own build folder) and runs each, or re-minimizes the kept corpus.
#   cmake -DMODE=run|corpus -DFUZZ_BUILD=<dir> -DFUZZ_TARGETS="record_file meta doctor"
#         [-DFUZZ_SECONDS=600] [-DJOBS=n] -P fuzz.cmake
# run: FUZZ_SECONDS per target; new inputs go to FUZZ_BUILD/corpus/<target>, crashes to
# FUZZ_BUILD/artifacts/<target>; the kept corpus tests/fuzz/corpus/<target> seeds each run.
# corpus: -merge=1 of kept and found inputs, then the 40 that cover the most edges.
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(MODE FUZZ_BUILD FUZZ_TARGETS)
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(build "${FUZZ_BUILD}" ABSOLUTE)
separate_arguments(targets UNIX_COMMAND "${FUZZ_TARGETS}")
set(kept "${source_dir}/tests/fuzz/corpus")

if(NOT EXISTS "${build}/build.ninja")
  cosim_run(${CMAKE_COMMAND} --preset fuzz -S ${source_dir} -B ${build})
endif()
list(TRANSFORM targets PREPEND fuzz_ OUTPUT_VARIABLE programs)
cosim_build(${build} ${programs})

foreach(target IN LISTS targets)
  set(program ${build}/tests/fuzz/fuzz_${target})
  file(MAKE_DIRECTORY ${build}/corpus/${target} ${build}/artifacts/${target})
  if(MODE STREQUAL "run")
    if(NOT FUZZ_SECONDS)
      set(FUZZ_SECONDS 600)
    endif()
    message("fuzz_${target}: ${FUZZ_SECONDS} s")
    cosim_run(${program} -max_total_time=${FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
              -print_final_stats=1 -artifact_prefix=${build}/artifacts/${target}/
              ${build}/corpus/${target} ${kept}/${target})
  elseif(MODE STREQUAL "corpus")
    cosim_run(sh ${source_dir}/tests/fuzz/minimize_corpus.sh ${program} ${kept}/${target}
              ${build}/corpus/${target} 40)
  else()
    cosim_fail("MODE=${MODE}: expected run or corpus")
  endif()
endforeach()
