# tests/tb: the faults the generated layers used to miss, kept as patches (tests/mutants/*.patch), each killed end to end.
# Included from tests/tb/CMakeLists.txt (needs tb_cli_test, tb_add_models and cosim_patched_rtl).
# (TB_NAMED_FAULTS are built into cosim_faults, tests/tb/CMakeLists.txt.)

# Weight 1000 read as +8: realistic weights never reach -8; the stress inputs do.
tb_cli_test(named_fault_weight_min_as_plus8_killed_by_stress EXIT 1
  PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "psum of oc_tile 0 ic_tile 0 kij [0-8] nij [0-9]+ col [0-7]" "\nFAIL psums="
  ARGS --rtl-variant MUTANT_WEIGHT_MIN_AS_PLUS8 --layer 27 --stress --psum-check write)
# Read-add-write ignoring the old pmem word: layer 27 has one ic tile; layer 24's 32 sum in pmem.
tb_cli_test(named_fault_raw_ignores_old_word_killed_by_ic_tiles EXIT 1
  PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "psum of oc_tile 0 ic_tiles 0..1 summed" "\nFAIL psums="
  ARGS --rtl-variant MUTANT_RAW_IGNORES_OLD_WORD --layer 24 --psum-check write)
# A WS execute that leaves the OS sum armed (MUTANT_WS_KEEPS_OS_SUM): on the re-timed RTL the
# end-to-end runs no longer show it (--dataflow os-ws-os passes on layers 27 and 24, plain and
# --stress; why the OS stage still starts from 0 is not traced yet). The unit test
# rtl.MutantTest.TileCheckCatchesOutputStationarySumKeptAfterWeightStationaryExecute
# (tests/rtl/test_mutants.cpp) kills it on one PE: a WS execute with a psum, then OS steps.
