# CTest for tb/replay_tb.v: a cosim export of layer 27 replayed under Icarus passes, and fails on a corrupted golden value.
# Included from tests/tb/CMakeLists.txt (uses its cosim target, _scratch and the Icarus programs).
find_program(TB_IVERILOG iverilog)
find_program(TB_VVP vvp)
if(NOT (TB_IVERILOG AND TB_VVP AND COSIM_RTL_SOURCES))
  message(STATUS "tests/tb: no iverilog/vvp; the replay_tb.v tests are skipped")
  return()
endif()
string(REPLACE ";" "," _replay_sources "${COSIM_RTL_SOURCES}")

# replay_test(<name> [CORRUPT sfp_out|pmem] ARGS <cosim args>...)
function(replay_test name)
  cmake_parse_arguments(ARG "" "CORRUPT" "ARGS" ${ARGN})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -DCOSIM=$<TARGET_FILE:cosim> "-DARGS=${ARG_ARGS}"
            -DIVERILOG=${TB_IVERILOG} -DVVP=${TB_VVP} "-DSOURCES=${_replay_sources}"
            -DTESTBENCH=${TB_SOURCE_DIR}/replay_tb.v -DWORK_DIR=${_scratch}/${name}
            -DCORRUPT=${ARG_CORRUPT}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/replay_export.cmake)
  set_tests_properties(${name} PROPERTIES LABELS "tb;replay")
endfunction()

replay_test(replay_tb_layer27_passes ARGS --layer 27)
replay_test(replay_tb_layer27_corrupted_output_fails CORRUPT sfp_out ARGS --layer 27)
replay_test(replay_tb_layer27_corrupted_psum_fails CORRUPT pmem ARGS --layer 27)
replay_test(replay_tb_layer27_output_stationary_passes ARGS --layer 27 --dataflow os)
replay_test(replay_tb_layer27_16x16_passes ARGS --layer 27 --array 16)
replay_test(replay_tb_layer27_psum_check_write_passes ARGS --layer 27 --psum-check write)
# Two ic tiles: the second tile's psums enter pmem through the read-add-write of pmem_acc.
if(IS_DIRECTORY "${COSIM_SHARED_VECTORS}/jaco-resnet20-tiled")
  replay_test(replay_tb_vector_set_two_ic_tiles_passes
    ARGS --vectors ${COSIM_SHARED_VECTORS}/jaco-resnet20-tiled)
endif()
