# Proves with Yosys that mac_row.v's two codings are the same circuit: the one synthesis reads
# (a mac_tile per PE, `ifdef SYNTHESIS) and the one simulators read (the PEs' registers side by
# side in lane vectors). For each column count, both are elaborated and flattened; the lane
# coding names each PE's registers as mac_tile does, in a scope g_col[c].u_mac_tile. Two steps:
#   reset: with every register unknown at first, one reset cycle leaves each PE's registers
#     (a_q, b_q, c_q, inst_q, load_ready_q, os_fresh_q) equal in both (a miter, sat);
#   induction: paired signal by signal by name, every pair is proven equal by induction
#     (equiv_induct): equal registers now give equal registers and outputs at the next edge,
#     whatever the inputs. Before it, equiv_struct -icells merges each cell of one coding with
#     the same cell of the other when their inputs are paired (each PE's multiply-add, an
#     instance of rtl/mac.v in both: see the lemma), adding a pair for its output; the merged
#     inputs stay pairs to prove, so a difference still shows. Selects ($mux) are merged only
#     forwards: backwards, a select would pair the other coding's select inputs by position,
#     and the lane coding's mac_c selects differently (one select where mac_tile has two).
# The lemma: the lane coding writes each PE's multiply-add as one multiply modulo 2^psum_bw
# (three lines: a_wide, b_wide, mac_out) where mac.v sign-extends a narrower product. Those
# lines, cut from mac_row.v with the two localparams they use, are proven equal to mac.v for
# every input (a miter, sat; psum_bw 16 and 10, the least mac.v takes), and the two steps above
# read a copy of mac_row.v in which they are an instance of mac.v; the lemma runs once per file,
# whatever the column count. The whole test takes about 10 s to 12 s of CPU (without the lemma,
# the solver proving each PE's two arithmetic forms equal inside the row and no merging: 17 s).
# Together: from a reset on, the two agree on every output at every cycle. Then the proof must
# fail on copies of mac_row.v whose lane coding has a fault (the controls at the end), so the
# check itself is shown to fail.
#   cmake -DYOSYS=<yosys> -DRTL_DIR=<rtl/> -DWORK_DIR=<dir> -DCOLS=<2,8> -P mac_row_equiv.cmake
foreach(var YOSYS RTL_DIR WORK_DIR COLS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "mac_row_equiv.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${YOSYS}")
  message(FATAL_ERROR "mac_row_equiv.cmake: yosys not found ('${YOSYS}'); install yosys")
endif()
string(REPLACE "," ";" COLS "${COLS}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# run_yosys(<script> <log> <what> <note> <failed_var>): runs the script; failed_var = TRUE, and
# <note> printed, when a `sat -verify` in it failed. Any other Yosys error stops the test,
# naming <what>.
function(run_yosys script log what note failed_var)
  execute_process(COMMAND "${YOSYS}" -q -l "${log}" -s "${script}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE output ERROR_VARIABLE output)
  set(${failed_var} FALSE PARENT_SCOPE)
  if(NOT rc EQUAL 0)
    if(NOT output MATCHES "proof did fail")
      message(FATAL_ERROR "yosys failed on ${what} (exit ${rc}):\n${output}\nscript: ${script}")
    endif()
    message(STATUS "${note}; log: ${log}")
    set(${failed_var} TRUE PARENT_SCOPE)
  endif()
endfunction()

# lemma(<mac_row.v> <prefix> <result_var>): result_var = TRUE when the lane coding's multiply-add
# lines equal mac.v for every input; then <prefix>.row.v is the copy of <mac_row.v> whose
# multiply-add is an instance of mac.v, for proof(). The lemma holds for the file, whatever col.
function(lemma row_file prefix result_var)
  file(READ "${row_file}" row_text)
  set(line "[^\n]*\n")
  set(wide " *wire \\[psum_bw-1:0\\]")
  string(REGEX MATCH "\n(${wide} a_wide = ${line}${wide} b_wide = ${line}${wide} mac_out = ${line})"
         found "${row_text}")
  set(mac_lines "${CMAKE_MATCH_1}")
  set(param " *localparam \\[")
  string(REGEX MATCH "\n(${param}bw-1:0\\] lane_sign = ${line}${param}psum_bw-1:0\\] lane_sign_wide = ${line})"
         found "${row_text}")
  set(sign_lines "${CMAKE_MATCH_1}")
  if(mac_lines STREQUAL "" OR sign_lines STREQUAL "")
    message(FATAL_ERROR "${row_file}: no multiply-add lines (a_wide, b_wide, mac_out) or no "
                        "lane_sign and lane_sign_wide localparams in the lane coding")
  endif()
  file(WRITE "${prefix}.lemma.v"
    "module lane_mac #(parameter bw = 4, parameter psum_bw = 16) (\n"
    "    input wire [bw-1:0] a, input wire [bw-1:0] b, input wire [psum_bw-1:0] c,\n"
    "    output wire [psum_bw-1:0] out);\n"
    "  wire [bw-1:0] a_q = a;\n  wire [bw-1:0] b_q = b;\n  wire [psum_bw-1:0] mac_c = c;\n"
    "${sign_lines}${mac_lines}  assign out = mac_out;\nendmodule\n")
  set(lemma "read_verilog -nosynthesis ${RTL_DIR}/mac.v ${prefix}.lemma.v\n")
  foreach(psum_bw 16 10)
    string(APPEND lemma
      "design -push-copy\nchparam -set psum_bw ${psum_bw} mac lane_mac\nproc\n"
      "miter -equiv -flatten -make_assert mac lane_mac miter\nhierarchy -top miter\n"
      "sat -verify -prove-asserts miter\ndesign -pop\n")
  endforeach()
  file(WRITE "${prefix}.lemma.ys" "${lemma}")
  run_yosys("${prefix}.lemma.ys" "${prefix}.lemma.log" "the lemma of ${row_file}"
            "the multiply-add lines of ${row_file} differ from mac.v" failed)
  if(failed)
    set(${result_var} FALSE PARENT_SCOPE)
  else()
    string(CONCAT instance "        wire [psum_bw-1:0] mac_out;\n"
           "        mac #(.bw(bw), .psum_bw(psum_bw))\n"
           "            u_mac (.a(a_q), .b(b_q), .c(mac_c), .out(mac_out));\n")
    string(REPLACE "${mac_lines}" "${instance}" row_text "${row_text}")
    file(WRITE "${prefix}.row.v" "${row_text}")
    set(${result_var} TRUE PARENT_SCOPE)
  endif()
endfunction()

# proof(<row copy> <col> <log> <result_var>): on lemma()'s copy of mac_row.v, result_var = TRUE
# when the reset step and every pair of the induction are proven.
function(proof row_file col log result_var)
  set(read
    "read_verilog ${RTL_DIR}/mac.v ${RTL_DIR}/mac_tile.v ${row_file}\n"
    "chparam -set col ${col} mac_row\nhierarchy -top mac_row\nproc\nflatten\nopt_clean\n"
    "rename mac_row gold\ndesign -stash gold\n"
    "read_verilog -nosynthesis ${RTL_DIR}/mac.v ${row_file}\n"
    "chparam -set col ${col} mac_row\nhierarchy -top mac_row\nproc\nflatten\nopt_clean\n"
    "rename mac_row gate\ndesign -stash gate\n"
    "design -copy-from gold -as gold gold\ndesign -copy-from gate -as gate gate\n")
  string(CONCAT read ${read})

  # One Yosys run: the reset step on copies of the pair (each PE's registers made outputs of
  # both, compared after one reset cycle; a failed `sat -verify` ends the run), then the
  # induction on the pair as read.
  set(registers "")
  foreach(name a_q b_q c_q inst_q load_ready_q os_fresh_q)
    string(APPEND registers " w:*.u_mac_tile.${name}")
  endforeach()
  file(WRITE "${log}.ys" "${read}" "design -save pair\n"
    "expose${registers}\n"
    "miter -equiv -flatten -make_assert -ignore_gold_x gold gate miter\nhierarchy -top miter\n"
    "sat -verify -prove-asserts -enable_undef -set-init-undef -set-def-inputs "
    "-set-at 1 in_reset 1 -prove-skip 1 -seq 2 miter\n"
    "design -load pair\n"
    "equiv_make gold gate equiv\nhierarchy -top equiv\nequiv_struct -icells -fwonly $mux\n"
    "equiv_induct -seq 2\nequiv_status\n")
  run_yosys("${log}.ys" "${log}" "${row_file}, col=${col}"
            "col=${col}: after a reset the two codings' registers differ (${row_file})" failed)
  if(failed)
    set(${result_var} FALSE PARENT_SCOPE)
    return()
  endif()
  file(READ "${log}" text)
  if(NOT text MATCHES "Found ([0-9]+) \\$equiv cells")
    message(FATAL_ERROR "${log}: no equiv_status summary")
  endif()
  set(pairs ${CMAKE_MATCH_1})
  if(text MATCHES "Equivalence successfully proven!")
    message(STATUS "col=${col}: equal after a reset, and ${pairs} signal pairs proven equal by "
                   "induction (${row_file})")
    set(${result_var} TRUE PARENT_SCOPE)
  else()
    string(REGEX MATCHALL "Unproven \\$equiv [^\n]*" unproven "${text}")
    list(LENGTH unproven count)
    list(SUBLIST unproven 0 5 first)
    string(REPLACE ";" "\n  " first "${first}")
    message(STATUS "col=${col}: ${count} of ${pairs} signal pairs unproven (${row_file}), "
                   "first:\n  ${first}\nlog: ${log}")
    set(${result_var} FALSE PARENT_SCOPE)
  endif()
endfunction()

lemma("${RTL_DIR}/mac_row.v" "${WORK_DIR}/mac_row" proven)
if(NOT proven)
  message(FATAL_ERROR "mac_row.v: the simulators' lane coding computes another multiply-add "
                      "than mac.v")
endif()
foreach(col IN LISTS COLS)
  proof("${WORK_DIR}/mac_row.row.v" ${col} "${WORK_DIR}/mac_row_col${col}.log" proven)
  if(NOT proven)
    message(FATAL_ERROR "mac_row.v: the simulators' lane coding differs from the synthesized "
                        "one at col=${col}")
  endif()
endforeach()

# The negative controls, each a copy of mac_row.v with one fault in its lane coding that the
# proof must find: load travels east before the PE latched its weight (lane logic); a draining
# PE hands down its register instead of its own sum, stale after an output-stationary pass
# (next to the multiply-add; equal after a reset, so found by the induction); the multiply-add
# takes the weight unsigned (no sign extension).
file(READ "${RTL_DIR}/mac_row.v" text)
list(GET COLS 0 col)
foreach(control
    "load|load_lanes <= load_west & ~ready_lanes;|load_lanes <= load_west;"
    "drain|wire [psum_bw-1:0] south = draining ? own_sum|wire [psum_bw-1:0] south = draining ? c_q"
    "sign|{{(psum_bw - bw) {1'b0}}, b_q ^ lane_sign} - lane_sign_wide|{{(psum_bw - bw) {1'b0}}, b_q}")
  string(REPLACE "|" ";" control "${control}")
  list(GET control 0 name)
  list(GET control 1 line)
  list(GET control 2 fault)
  string(FIND "${text}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${RTL_DIR}/mac_row.v: no line '${line}' to put the ${name} control's "
                        "fault in")
  endif()
  string(REPLACE "${line}" "${fault}" faulty "${text}")
  set(folder "${WORK_DIR}/faulty_${name}")
  file(WRITE "${folder}/mac_row.v" "${faulty}")
  lemma("${folder}/mac_row.v" "${folder}/mac_row" proven)
  if(proven)
    proof("${folder}/mac_row.row.v" ${col} "${folder}/col${col}.log" proven)
  endif()
  if(proven)
    message(FATAL_ERROR "the proof passed on a lane coding with a fault (${folder}): it checks "
                        "nothing")
  endif()
  message(STATUS "the fault in the ${name} control copy was found")
endforeach()
