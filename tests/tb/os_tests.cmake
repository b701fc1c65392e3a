# tests/tb: output-stationary runs end to end (included by tests/tb/CMakeLists.txt): catalog
# layers through the RTL, generated OS sets, and an OS-only RTL fault the checker must catch.

# Whole layers on the 8x8 core: few input channels (layer 0, 3 -> 64 @ 32x32, 1024 passes), many
# oc tiles (layer 29, 8 -> 512), and more steps than xmem holds at once (layer 24, 256 input
# channels: 2304 steps in chunks of 1024). Every PE of every pass is checked twice: the raw sum
# (counted as a psum) and its ReLU (an output), each against the OS model and the direct
# convolution.
tb_cli_test(cosim_os_layer0_whole_layer EXIT 0
  REGEX "output-stationary: 1024 passes" "\nPASS psums=65536 outputs=65536 mismatches=0"
  ARGS --layer 0 --dataflow os)
tb_cli_test(cosim_os_layer29_whole_layer EXIT 0
  REGEX "output-stationary: 128 passes" "\nPASS psums=8192 outputs=8192 mismatches=0"
  ARGS --layer 29 --dataflow os)
tb_cli_test(cosim_os_layer24_steps_in_chunks EXIT 0
  REGEX "output-stationary: 2 passes" "\nPASS psums=128 outputs=128 mismatches=0"
  ARGS --layer 24 --dataflow os)

# make vectors DATAFLOW=os: seed 001's files for layer 0 read back as an OS set and run on the RTL.
if(TARGET generate_vectors)
  add_test(NAME cosim_os_generate_layer0_files
    COMMAND $<TARGET_FILE:generate_vectors> --model vgg16_sq8 --layer 0 --array 8 --seed 1
            --dataflow os --out ${_scratch}/generated_os_layer0)
  set_tests_properties(cosim_os_generate_layer0_files PROPERTIES
    FIXTURES_SETUP generated_os_layer0 LABELS tb)
  tb_cli_test(cosim_os_layer0_from_generated_files EXIT 0
    REGEX "output-stationary: 1 pass" "\nPASS psums=64 outputs=0 mismatches=0 .*file_defects=0"
    ARGS --vectors ${_scratch}/generated_os_layer0)
  set_tests_properties(cosim_os_layer0_from_generated_files PROPERTIES
    FIXTURES_REQUIRED generated_os_layer0)
endif()

# A core whose drained words come out one row off: every OS run on it must fail (exit 1).
# (MUTANT_OS_DRAIN_ORDER is built into cosim_faults, tests/tb/CMakeLists.txt.)
tb_cli_test(cosim_catches_mutant_os_drain_order EXIT 1 PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "first: vgg16_sq8 features\\[27\\]: output-stationary sum of pixel group 0 oc_tile 0 pixel 7"
        "\nFAIL psums=128 outputs=128 mismatches=[1-9]"
  ARGS --rtl-variant MUTANT_OS_DRAIN_ORDER --dataflow os)
tb_cli_test(cosim_os_drain_order_mutant_passes_weight_stationary EXIT 0
  PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "\nPASS psums=2592 outputs=128 mismatches=0" ARGS --rtl-variant MUTANT_OS_DRAIN_ORDER)

# The scoreboard's output-stationary checks, in-process.
target_sources(tb_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/os_scoreboard_test.cpp)

# make regress with both dataflows: each layer's OS cycles, efficiency and WS/OS ratio on its line.
if(TARGET regress)
  regress_flow_test(regress_output_stationary_next_to_weight_stationary EXIT 0
    REGEX "regress: 4 runs, most expensive first"
          "os cycles +os eff% +ws/os"
          "vgg16_sq8 +24 +256->8@4 +8x8 +1 +ws +32x1 +[0-9]+ +10368 .* 18498 +24\\.9 +[0-9.]+  PASS"
          "vgg16_sq8 +27 +8->8@4 +8x8 +1 +ws +1x1 +697 .* 642 +22\\.4 +1\\.09  PASS"
          "vgg16_sq8 +8x8 +1 +os +2 +19140 " "\nPASS runs=4 failed=0 "
    ARGS --cosim $<TARGET_FILE:cosim> --models vgg16_sq8 --layers 24,27 --arrays 8
         --dataflows ws,os)
  tb_cli_test(regress_bad_dataflow_is_usage_error EXIT 2 PROGRAM $<TARGET_FILE:regress>
    REGEX "regress: error: .*'xs' is not ws or os" ARGS --dataflows ws,xs)
endif()
