# Lints the core with `verilator --lint-only -Wall` for each array shape; any warning fails.
# cmake -DVERILATOR=<verilator> -DSOURCES=<a.v,b.v,...> -DSHAPES=<8x8,16x16> -P lint.cmake
foreach(var VERILATOR SOURCES SHAPES)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "lint.cmake: -D${var}=... is required")
  endif()
endforeach()
# Comma-separated on the command line.
string(REPLACE "," ";" SOURCES "${SOURCES}")
string(REPLACE "," ";" SHAPES "${SHAPES}")

set(failed "")
foreach(shape IN LISTS SHAPES)
  if(NOT shape MATCHES "^([0-9]+)x([0-9]+)$")
    message(FATAL_ERROR "lint.cmake: shape '${shape}' is not <row>x<col>")
  endif()
  set(row ${CMAKE_MATCH_1})
  set(col ${CMAKE_MATCH_2})
  execute_process(
    COMMAND ${VERILATOR} --lint-only -Wall --top-module core -Grow=${row} -Gcol=${col}
            ${SOURCES}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "")
    message("core ${shape}: verilator --lint-only -Wall exited ${rc}:\n${out}")
    list(APPEND failed ${shape})
  else()
    message("core ${shape}: verilator --lint-only -Wall: no warnings")
  endif()
endforeach()

if(failed)
  message(FATAL_ERROR "lint warnings for: ${failed}")
endif()
