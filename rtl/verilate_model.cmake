# One Verilated model at build time (cosim_verilate in rtl/CMakeLists.txt): runs Verilator, then writes the model's translation units from the file lists it wrote.
#   cmake -DARGS_FILE=<dir>/verilate_args.cmake -P verilate_model.cmake
# ARGS_FILE sets VERILATOR_COMMAND (the whole command line, a list), PREFIX and DIR (Verilator's
# --Mdir). Verilator writes <DIR>/<PREFIX>.cmake (--make cmake) with the lists of its generated
# files; <PREFIX>__unity_fast.cpp includes the per-cycle ones, <PREFIX>__unity_trace.cpp the
# per-cycle waveform ones and <PREFIX>__unity_slow.cpp the run-once ones (constructors, initial
# blocks, trace declarations), by name: they sit next to it. <PREFIX>__unity_all.cpp includes
# the three.
cmake_minimum_required(VERSION 3.22)
if(NOT ARGS_FILE OR NOT EXISTS "${ARGS_FILE}")
  message(FATAL_ERROR "verilate_model.cmake: ARGS_FILE '${ARGS_FILE}' does not exist")
endif()
include("${ARGS_FILE}")

execute_process(COMMAND ${VERILATOR_COMMAND}
  RESULT_VARIABLE rc OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT rc EQUAL 0)
  string(REPLACE ";" " " readable "${VERILATOR_COMMAND}")
  message(FATAL_ERROR "Verilator failed on ${PREFIX} (exit ${rc}):\n${output}\ncommand: ${readable}")
endif()

set(lists "${DIR}/${PREFIX}.cmake")
if(NOT EXISTS "${lists}")
  message(FATAL_ERROR "${lists}: Verilator wrote no file list (a Verilator without --make cmake?)")
endif()
include("${lists}")
set(trace_files "")
foreach(kind FAST SLOW)
  set(files ${${PREFIX}_CLASSES_${kind}} ${${PREFIX}_SUPPORT_${kind}})
  if(NOT files)
    message(FATAL_ERROR "${lists}: no ${PREFIX}_CLASSES_${kind} list")
  endif()
  if(kind STREQUAL "FAST")
    # The per-cycle waveform code (<PREFIX>__Trace__<n>.cpp) runs only in traced runs: its own
    # unit, compiled like the run-once code.
    set(trace_files ${files})
    list(FILTER trace_files INCLUDE REGEX "__Trace__[0-9]+\\.cpp$")
    list(FILTER files EXCLUDE REGEX "__Trace__[0-9]+\\.cpp$")
  endif()
  string(TOLOWER "${kind}" lower)
  set(text "// ${PREFIX}: the Verilated ${lower}-path files in one translation unit.\n")
  foreach(file IN LISTS files)
    get_filename_component(name "${file}" NAME)
    string(APPEND text "#include \"${name}\"\n")
  endforeach()
  # Written every time: Verilator has just rewritten the files it includes.
  file(WRITE "${DIR}/${PREFIX}__unity_${lower}.cpp" "${text}")
endforeach()
set(text "// ${PREFIX}: the Verilated per-cycle waveform files in one translation unit (none when the\n// model is built without --trace).\n")
foreach(file IN LISTS trace_files)
  get_filename_component(name "${file}" NAME)
  string(APPEND text "#include \"${name}\"\n")
endforeach()
file(WRITE "${DIR}/${PREFIX}__unity_trace.cpp" "${text}")
# All three in one unit, for a model compiled at one -O level.
file(WRITE "${DIR}/${PREFIX}__unity_all.cpp"
     "// ${PREFIX}: every Verilated file in one translation unit.\n"
     "#include \"${PREFIX}__unity_fast.cpp\"\n#include \"${PREFIX}__unity_slow.cpp\"\n"
     "#include \"${PREFIX}__unity_trace.cpp\"\n")
