# Generates the instruction bus's C++ header, Verilog decode module and Verilog include from rtl/core_bus.json, the bus's one definition.
# cmake -DTABLE=<core_bus.json> [-DCPP=<out.hpp>] [-DDECODE=<out.v>] [-DVERILOG=<out.vh>]
#       [-DCOMPARE_DIR=<dir holding the committed core_inst_decode.v and core_bus.vh>] -P bus_codegen.cmake
# The decode module (and the include our testbenches use) are committed under rtl/ (so rtl/ compiles with no include
# path in a course flow); the test bus_codegen_up_to_date fails when they are stale.
if(NOT DEFINED TABLE)
  message(FATAL_ERROR "bus_codegen.cmake: -DTABLE=<core_bus.json> is required")
endif()
file(READ "${TABLE}" json)
string(JSON width GET "${json}" width)
string(JSON count LENGTH "${json}" fields)
math(EXPR last "${count} - 1")

set(cpp_fields "")
set(cpp_list "")
set(covered 0)
set(decode_ports "")
set(verilog "")
set(decode_assigns "")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" fields ${i} name)
  string(JSON lsb GET "${json}" fields ${i} lsb)
  string(JSON bits GET "${json}" fields ${i} width)
  string(JSON course GET "${json}" fields ${i} course)
  string(JSON meaning GET "${json}" fields ${i} meaning)
  math(EXPR msb "${lsb} + ${bits} - 1")
  if(msb GREATER_EQUAL width OR lsb LESS 0 OR bits LESS 1)
    message(FATAL_ERROR "${TABLE}: field ${name} (bits ${msb}:${lsb}) does not fit ${width} bits")
  endif()
  math(EXPR mask "((1 << ${bits}) - 1) << ${lsb}")
  math(EXPR overlap "${covered} & ${mask}")
  if(NOT overlap EQUAL 0)
    message(FATAL_ERROR "${TABLE}: field ${name} overlaps another field")
  endif()
  math(EXPR covered "${covered} | ${mask}")
  # pmem_acc -> kPmemAcc (C++), CORE_PMEM_ACC (Verilog)
  string(REPLACE "_" ";" words "${name}")
  set(camel "k")
  foreach(word IN LISTS words)
    string(SUBSTRING "${word}" 0 1 head)
    string(SUBSTRING "${word}" 1 -1 tail)
    string(TOUPPER "${head}" head)
    string(TOLOWER "${tail}" tail)
    string(APPEND camel "${head}${tail}")
  endforeach()
  string(TOUPPER "${name}" upper)
  set(scope "extension")
  set(course_cpp false)
  if(course)
    set(scope "course")
    set(course_cpp true)
  endif()
  if(bits EQUAL 1)
    string(APPEND verilog "`define CORE_${upper} ${lsb}  // ${scope}: ${meaning}\n")
  else()
    string(APPEND verilog "`define CORE_${upper} ${msb}:${lsb}  // ${scope}: ${meaning}\n")
  endif()
  if(bits EQUAL 1)
    string(APPEND decode_ports "    output wire        ${name},  // ${scope}: ${meaning}\n")
    string(APPEND decode_assigns "  assign ${name} = inst[${lsb}];\n")
  else()
    math(EXPR top "${bits} - 1")
    string(APPEND decode_ports "    output wire [${top}:0] ${name},  // ${scope}: ${meaning}\n")
    string(APPEND decode_assigns "  assign ${name} = inst[${msb}:${lsb}];\n")
  endif()
  string(APPEND cpp_fields
    "inline constexpr InstField ${camel}{\"${name}\", ${lsb}, ${bits}, ${course_cpp}};  // ${meaning}\n")
  string(APPEND cpp_list "${camel}, ")
endforeach()
string(REGEX REPLACE ", $" "" cpp_list "${cpp_list}")

if(DEFINED CPP)
  file(WRITE "${CPP}.tmp" "// Generated from rtl/core_bus.json by cmake/bus_codegen.cmake: the instruction bus's fields.
#pragma once

#include <array>
#include <string_view>

namespace tb {

// One named field of the instruction word: bits [lsb + width - 1 : lsb].
struct InstField {
  std::string_view name;
  int lsb;
  int width;
  bool course;  // bits 33..0: the course's contract; else this core's extension
};

namespace inst {

inline constexpr int kWidth = ${width};  // instruction bits of core
${cpp_fields}
// Every field, most significant first (the order a waveform viewer shows them).
inline constexpr std::array<InstField, ${count}> kFields{${cpp_list}};

}  // namespace inst
}  // namespace tb
")
  file(COPY_FILE "${CPP}.tmp" "${CPP}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CPP}.tmp")
endif()
if(DEFINED DECODE)
  math(EXPR inst_msb "${width} - 1")
  string(REGEX REPLACE ",(  //[^\n]*)\n$" "\\1\n" decode_ports "${decode_ports}")
  file(WRITE "${DECODE}" "// Generated from rtl/core_bus.json by cmake/bus_codegen.cmake (do not edit): the instruction word split into its fields.
`default_nettype none

module core_inst_decode (
    input  wire [${inst_msb}:0] inst,
${decode_ports});
${decode_assigns}endmodule

`default_nettype wire
")
endif()
if(DEFINED VERILOG)
  file(WRITE "${VERILOG}" "// Generated from rtl/core_bus.json by cmake/bus_codegen.cmake (do not edit): the instruction bus's fields as bit positions, for testbenches.
`ifndef CORE_BUS_VH
`define CORE_BUS_VH
`define CORE_INST_W ${width}
${verilog}`endif
")
endif()
if(DEFINED COMPARE_DIR)
  foreach(pair "${DECODE};core_inst_decode.v" "${VERILOG};core_bus.vh")
    list(GET pair 0 fresh)
    list(GET pair 1 name)
    file(READ "${fresh}" generated)
    file(READ "${COMPARE_DIR}/${name}" committed)
    if(NOT generated STREQUAL committed)
      message(FATAL_ERROR "${COMPARE_DIR}/${name} is not what ${TABLE} generates: regenerate with\n"
                          "  cmake -DTABLE=${TABLE} -DDECODE=${COMPARE_DIR}/core_inst_decode.v "
                          "-DVERILOG=${COMPARE_DIR}/core_bus.vh -P ${CMAKE_CURRENT_LIST_FILE}")
    endif()
  endforeach()
endif()
