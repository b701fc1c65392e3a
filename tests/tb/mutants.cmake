# tests/tb/mutants.cmake: mutation builds of the core beyond cosim_faults, the kill table, and the fault tests (watchdog, assertions, random reset).
#
# cosim_faults (tests/tb/CMakeLists.txt) holds every fault the default build runs;
# cosim_mutants_more (built only by `make mutants`) holds the rest, so no mutant is Verilated
# twice.
set(TB_MORE_MUTANTS MUTANT_SKEW_OFF_BY_ONE MUTANT_FIFO_PTR_WRAP)

# A fault built without waveform code, asked for one: a usage error naming it.
tb_cli_test(cosim_trace_of_untraced_fault_is_usage_error EXIT 2
  PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "cosim: error: the 8x8 core model MUTANT_NO_SIGN_EXT of this program is built without waveform support .*8x8 \\(VCD, MUTANT_RELU_WRONG_SIGN\\)"
  ARGS --rtl-variant MUTANT_NO_SIGN_EXT --trace @SCRATCH@/x.vcd)

tb_add_models(tb_models_mutants_more None SHAPES 8x8 MUTANTS ${TB_MORE_MUTANTS})
set_target_properties(tb_models_mutants_more PROPERTIES EXCLUDE_FROM_ALL ON)
add_executable(cosim_mutants_more EXCLUDE_FROM_ALL)
target_link_libraries(cosim_mutants_more PRIVATE cosim_main tb_models_mutants_more tb)

add_executable(mutants_kill_table mutants_kill_table.cpp)
target_link_libraries(mutants_kill_table PRIVATE tb fmt::fmt)
target_compile_options(mutants_kill_table PRIVATE -Wall -Wextra)
cosim_shared_pch(mutants_kill_table O0)

# `make mutants`: every named fault (tests/mutants/*.patch) in the kill table.
# _kill_run(<mutant> <program>): its --run, and --untraced when its build has no waveform code
# (as its model library records it, tb_add_models): such a run goes without --trace.
set(_kill_runs "")
get_target_property(_untraced_faults tb_models_faults COSIM_UNTRACED_VARIANTS)
get_target_property(_untraced_more tb_models_mutants_more COSIM_UNTRACED_VARIANTS)
list(APPEND _untraced_faults ${_untraced_more})
macro(_kill_run mutant program)
  list(APPEND _kill_runs --run "${mutant}=$<TARGET_FILE:${program}>")
  if("${mutant}" IN_LIST _untraced_faults)
    list(APPEND _kill_runs --untraced ${mutant})
  endif()
endmacro()
foreach(_mutant IN LISTS TB_MUTANTS TB_FAULT_MUTANTS)
  _kill_run(${_mutant} cosim_faults)
endforeach()
set(_kill_runs_default ${_kill_runs})
foreach(_mutant IN LISTS TB_MORE_MUTANTS)
  _kill_run(${_mutant} cosim_mutants_more)
endforeach()
# The named faults of tests/mutants/*.patch (tests/tb/named_faults.cmake) join the table; every
# build also runs a multi-ic-tile layer, corner values, the dataflow switch and the course's flow.
# (MUTANT_WS_KEEPS_OS_SUM is not among them: no end-to-end run can show it, see named_faults.cmake.)
foreach(_mutant IN LISTS TB_NAMED_FAULTS)
  _kill_run(${_mutant} cosim_faults)
endforeach()
set(_kill_also
  "--also=ic_tiles=--layer 24 --psum-check write --stall-cycles 2000"
  "--also=stress=--layer 27 --stress --psum-check write --stall-cycles 2000"
  "--also=os_ws_os=--layer 27 --dataflow os-ws-os --stall-cycles 2000"
  "--also=course=--layer 27 --course-flow --stall-cycles 2000")
add_custom_target(mutants
  COMMAND mutants_kill_table --control $<TARGET_FILE:cosim> ${_kill_runs} ${_kill_also}
          --scratch ${CMAKE_CURRENT_BINARY_DIR}/mutants --cosim-arg=--stall-cycles=2000
  DEPENDS mutants_kill_table cosim cosim_faults cosim_mutants_more
  USES_TERMINAL
  COMMENT "Kill table: every mutation build of the core, end to end")

# CTest: the kill table over the mutants of the default build.
add_test(NAME mutants_kill_table
  COMMAND mutants_kill_table --control $<TARGET_FILE:cosim> ${_kill_runs_default}
          --scratch ${CMAKE_CURRENT_BINARY_DIR}/scratch/mutants_kill_table
          --cosim-arg=--stall-cycles=2000)
set_tests_properties(mutants_kill_table PROPERTIES LABELS "tb;mutants")
# --untraced names a build of the table, or it is a usage error.
tb_cli_test(mutants_kill_table_untraced_unknown_is_usage_error EXIT 2
  PROGRAM $<TARGET_FILE:mutants_kill_table>
  REGEX "--untraced MUTANT_BOGUS: no --run MUTANT_BOGUS=PROGRAM"
  ARGS --control $<TARGET_FILE:cosim> --run MUTANT_LOAD_ORDER=$<TARGET_FILE:cosim_faults>
       --untraced MUTANT_BOGUS)

# In-process fault tests on the fault builds, and the real cosim under random reset.
add_executable(tb_fault_tests watchdog_test.cpp xinit_test.cpp mutants_test.cpp)
target_link_libraries(tb_fault_tests PRIVATE tb tb_models_faults test_support GTest::gtest_main)
target_compile_options(tb_fault_tests PRIVATE -Wall -Wextra)
cosim_shared_pch(tb_fault_tests O0)
target_compile_definitions(tb_fault_tests PRIVATE
  TB_TEST_SCRATCH_DIR="${CMAKE_CURRENT_BINARY_DIR}/scratch/faults"
  TB_COSIM_PROGRAM="$<TARGET_FILE:cosim>"
  TB_COSIM_FAULTS_PROGRAM="$<TARGET_FILE:cosim_faults>"
  TB_COSIM_MODELS_DIR="$<TARGET_FILE_DIR:tb_models>/CMakeFiles/tb_models.dir")
add_dependencies(tb_fault_tests cosim cosim_faults)
gtest_discover_tests(tb_fault_tests
  PROPERTIES ENVIRONMENT "COSIM_SHARED_VECTORS=${COSIM_SHARED_VECTORS}" LABELS faults
  DISCOVERY_TIMEOUT 60)
