# tests/tb: the fast subset of tiled layers (ic tiles summed in pmem, oc tile passes, row bands, activations rewritten per pass) on both array sizes; make regress runs every layer.
# Included from tests/tb/CMakeLists.txt (needs tb_cli_test and the cosim target).

# In-process (tiling_test.cpp, compiled into tb_tests, tests/tb/CMakeLists.txt): the schedule
# over every catalog layer, both psum-check modes on a tiled layer.

# vgg16_sq8 features[24] on 8x8: 32 ic tiles summed in place in pmem (read-add-write), their
# 32 x 36 activation words rewritten before each pass; every psum read back after each ic tile
# (32 x 9 x 36 x 8) and every output of the 8 output channels.
tb_cli_test(cosim_tiling_sq8_layer24_8x8_ic_tiles_readback EXIT 0
  REGEX "32 ic x 1 oc tiles" "\nPASS psums=82944 outputs=128 mismatches=0 "
  ARGS --model vgg16_sq8 --layer 24 --array 8 --psum-check readback)
# vgg16_sq8 features[0] on 16x16: 3 input channels zero-padded to 16, a 32x32 map in 8 row
# bands of 4 output rows (6 padded rows of 34 nij: 9 x 204 psums fit the 2048 pmem words),
# 4 oc tiles; psums checked at pmem's write port (4 x 8 x 9 x 204 words of 16).
tb_cli_test(cosim_tiling_sq8_layer0_16x16_row_bands EXIT 0
  REGEX "1 ic x 4 oc tiles, 8 row bands" "\nPASS psums=940032 outputs=65536 mismatches=0 "
  ARGS --model vgg16_sq8 --layer 0 --array 16 --psum-check write)
# vgg16 features[7] on 8x8: 8 ic x 16 oc tiles, a 16x16 map in 2 bands (10 and 6 output rows),
# each pass's activations rewritten (8 tiles x 216 nij do not fit 1024 xmem words).
tb_cli_test(cosim_tiling_vgg16_layer7_8x8_bands_and_ic_tiles EXIT 0
  REGEX "8 ic x 16 oc tiles, 2 row bands" "\nPASS psums=3317760 outputs=32768 mismatches=0 "
  ARGS --model vgg16 --layer 7 --array 8 --psum-check write)
# vgg16 features[34] on 16x16: 512->512 at 2x2, 32 x 32 tile passes.
tb_cli_test(cosim_tiling_vgg16_layer34_16x16 EXIT 0
  REGEX "32 ic x 32 oc tiles" "\nPASS psums=2359296 outputs=2048 mismatches=0 "
  ARGS --model vgg16 --layer 34 --array 16 --psum-check write)
# Seed 000's flow: vgg16 features[3] (64->64 at 32x32) on 16x16, 4 x 4 tiles, 8 row bands.
tb_cli_test(cosim_tiling_vgg16_layer3_16x16_seed000_flow EXIT 0
  REGEX "64->64 channels, 32x32 map, 1156 nij, 4 ic x 4 oc tiles, 8 row bands"
        "\nPASS psums=3760128 outputs=65536 mismatches=0 "
  ARGS --model vgg16 --layer 3 --array 16 --psum-check write)

# The write-port check is not vacuous: a psum bit stuck in the array is caught where pmem takes
# the word, before any readback.
tb_cli_test(cosim_tiling_write_check_catches_stuck_psum_bit EXIT 1
  PROGRAM $<TARGET_FILE:cosim_faults>
  REGEX "first: vgg16_sq8 features\\[27\\]: psum of oc_tile 0 ic_tile 0 kij [0-8] nij [0-9]+ col [0-7] \\(pmem [0-9]+\\)"
        "\nFAIL psums=[0-9]+ outputs=[0-9]+ mismatches=[1-9]"
  ARGS --rtl-variant MUTANT_PSUM_STUCK_BIT --psum-check write)
tb_cli_test(cosim_layer_all_with_vectors_is_usage_error EXIT 2
  REGEX "cosim: error: --layer all .* --vectors" ARGS --layer all --vectors /nonexistent)
tb_cli_test(cosim_layer_not_a_number_is_usage_error EXIT 2
  REGEX "cosim: error: --layer 3x: expected a features\\[i\\] index or 'all'" ARGS --layer 3x)

# make regress's steps on two small layers, 2 at a time: the CTest tests most expensive first,
# table, totals, the merged JUnit XML; and every run failing when the program it starts fails (no
# report: a FAIL, never a PASS).
if(TARGET regress)
  regress_flow_test(regress_small_layers_table_and_junit EXIT 0
    REGEX "regress: 4 runs, most expensive first"
          "Test +#1: run\\.vgg16_sq8_layer24_16x16_seed1 "
          "vgg16_sq8 +24 +256->8@4 +8x8 +1 +32x1 +[0-9]+ +10368 "
          "vgg16_sq8 +16x16 +1 +2 +[0-9]+ " "\nPASS runs=4 failed=0 "
    JUNIT_REGEX "<testsuites name=\"cosim regress\" tests=\"4\" failures=\"0\""
                "<testcase classname=\"cosim.vgg16_sq8\" name=\"features\\[24\\] 16x16 seed 1\""
    ARGS --cosim $<TARGET_FILE:cosim> --models vgg16_sq8 --layers 24,27 --arrays 8,16 --dataflows ws)
  regress_flow_test(regress_failing_program_fails_every_run EXIT 1
    REGEX "FAIL vgg16_sq8 features\\[27\\] 8x8 seed 1: cosim wrote no report \\(ctest: fail\\)"
          "\nFAIL runs=1 failed=1 "
    JUNIT_REGEX "failures=\"1\"" "<failure message=\"cosim wrote no report \\(ctest: fail\\)"
    ARGS --cosim /bin/false --models vgg16_sq8 --layers 27 --arrays 8 --dataflows ws)
  tb_cli_test(regress_unknown_layer_is_usage_error EXIT 2 PROGRAM $<TARGET_FILE:regress>
    REGEX "regress: error: .*features\\[28\\]"
    ARGS --cosim $<TARGET_FILE:cosim> --models vgg16_sq8 --layers 28)
endif()

# Corner values (--stress: weights -8 and 7, activations 15, all-zero and all-max channels, map
# rows and columns): layer 24's 32 ic tiles make sums wrap at 16 bits, every psum checked at
# pmem's write port and every output against the tiled model and the direct convolution.
tb_cli_test(cosim_stress_sq8_layer24_8x8_wrapping_sums EXIT 0
  REGEX "generated \\(stress\\), seed 1" "outputs and 0 single psums wrap at psum_bw = 16"
        "\nPASS psums=82944 outputs=128 mismatches=0 "
  ARGS --model vgg16_sq8 --layer 24 --array 8 --psum-check write --stress)
tb_cli_test(cosim_stress_sq8_layer27_output_stationary EXIT 0
  REGEX "generated \\(stress\\), seed 3" "\nPASS psums=128 outputs=128 mismatches=0 "
  ARGS --layer 27 --dataflow os --stress --seed 3)
# Dataflow switching on one core without a reset in between: output-stationary, then
# weight-stationary, then output-stationary, each stage checked against the golden model.
tb_cli_test(cosim_dataflow_switch_os_ws_os_stress EXIT 0
  REGEX "\nPASS psums=2848 outputs=384 mismatches=0 "
  ARGS --layer 27 --dataflow os-ws-os --stress)
