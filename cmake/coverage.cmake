# make coverage: the test suite on coverage-instrumented core models, merged into an lcov report of rtl/; fails when a test fails (the report is still written).
#   cmake -DCOVERAGE_BUILD=<dir> -DBUILD=<dir> [-DJOBS=n] [-DCOVERAGE_CTEST_ARGS="..."] -P coverage.cmake
# Every model writes its counts into COVERAGE_BUILD/runs (COSIM_COVERAGE_DIR); the report is
# BUILD/coverage/coverage.dat, BUILD/coverage/html/index.html and a one-line summary of rtl/.
cmake_minimum_required(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/script_support.cmake)
cosim_require(COVERAGE_BUILD BUILD)
set(report_dir ${BUILD}/coverage)
get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(build "${COVERAGE_BUILD}" ABSOLUTE)
separate_arguments(ctest_args UNIX_COMMAND "${COVERAGE_CTEST_ARGS}")

if(NOT EXISTS "${build}/build.ninja")
  cosim_run(${CMAKE_COMMAND} --preset coverage -S ${source_dir} -B ${build})
endif()
cosim_build(${build} all)

file(REMOVE_RECURSE "${build}/runs")
file(MAKE_DIRECTORY "${build}/runs")
set(jobs "")
if(JOBS)
  set(jobs -j ${JOBS})
endif()
set(ENV{COSIM_COVERAGE_DIR} "${build}/runs")
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${build} ${jobs} --output-on-failure
                        ${ctest_args}
  RESULT_VARIABLE tests_rc)
execute_process(COMMAND sh ${source_dir}/tools/coverage_report.sh ${build}/runs ${report_dir}
                        ${source_dir}
  RESULT_VARIABLE report_rc)
if(NOT tests_rc EQUAL 0)
  cosim_fail("coverage: tests failed (above, ctest exit ${tests_rc}); the report counts what ran")
elseif(NOT report_rc EQUAL 0)
  cosim_fail("coverage: tools/coverage_report.sh exited ${report_rc}")
endif()
