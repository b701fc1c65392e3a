# Runs one cosim command for CTest and checks its exit code and output; can corrupt a copy of a vector set first.
#   -DPROGRAM=<exe> -DARGS=<list> -DEXIT=<code> -DREGEX=<list> -DSCRATCH=<dir>
#   -DSETUP=<mode> -DSET=<folder>
# @SCRATCH@ in ARGS is replaced by SCRATCH. SETUP modes that copy SET into SCRATCH/set:
#   copy, remove_meta, flip_weight_bit (weight_kij3.txt line 6, element 5, lsb), flip_psum_bit
#   (psum_kij2.txt line 10, col 4, lsb), remove_weight_file (weight_kij4.txt),
#   drop_last_activation (activation.txt), bad_character (weight_kij1.txt line 5 col 7 -> '2').
# Exits 77 (CTest skip) when SET does not exist. The shared sets are never modified.
cmake_minimum_required(VERSION 3.22)

file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}")

# Replaces the character at (1-based) line/column of a file.
function(replace_character path line column character)
  file(STRINGS "${path}" lines)
  math(EXPR index "${line} - 1")
  list(GET lines ${index} text)
  math(EXPR position "${column} - 1")
  math(EXPR after "${column}")
  string(SUBSTRING "${text}" 0 ${position} head)
  string(SUBSTRING "${text}" ${after} -1 tail)
  list(REMOVE_AT lines ${index})
  list(INSERT lines ${index} "${head}${character}${tail}")
  list(JOIN lines "\n" content)
  file(WRITE "${path}" "${content}\n")
endfunction()

# Flips the character ('0' <-> '1') at line/column.
function(flip_character path line column)
  file(STRINGS "${path}" lines)
  math(EXPR index "${line} - 1")
  list(GET lines ${index} text)
  math(EXPR position "${column} - 1")
  string(SUBSTRING "${text}" ${position} 1 old)
  if(old STREQUAL "0")
    set(new "1")
  else()
    set(new "0")
  endif()
  replace_character("${path}" ${line} ${column} ${new})
endfunction()

if(SETUP AND NOT SETUP MATCHES "^(report|trace)$")
  if(NOT IS_DIRECTORY "${SET}")
    message("SKIP: vector set ${SET} is absent")
    cmake_language(EXIT 77)
  endif()
  file(COPY "${SET}/" DESTINATION "${SCRATCH}/set")
  set(copy "${SCRATCH}/set")
  # Notebook layout: 3 header lines, element n-1 first, 4 bits per weight, 16 per psum.
  if(SETUP STREQUAL "flip_weight_bit")
    # Record 2 (line 6) = array column 2; element 5 occupies characters 9..12; flip its lsb.
    flip_character("${copy}/weight_kij3.txt" 6 12)
  elseif(SETUP STREQUAL "flip_psum_bit")
    # Record 6 (line 10) = nij 6; col 4 occupies characters 49..64; flip its lsb.
    flip_character("${copy}/psum_kij2.txt" 10 64)
  elseif(SETUP STREQUAL "remove_meta")
    file(REMOVE "${copy}/meta.json")
  elseif(SETUP STREQUAL "remove_weight_file")
    file(REMOVE "${copy}/weight_kij4.txt")
  elseif(SETUP STREQUAL "drop_last_activation")
    file(STRINGS "${copy}/activation.txt" lines)
    list(POP_BACK lines)
    list(JOIN lines "\n" content)
    file(WRITE "${copy}/activation.txt" "${content}\n")
  elseif(SETUP STREQUAL "bad_character")
    replace_character("${copy}/weight_kij1.txt" 5 7 "2")
  elseif(NOT SETUP STREQUAL "copy")
    message(FATAL_ERROR "unknown SETUP mode ${SETUP}")
  endif()
endif()

string(REPLACE "@SCRATCH@" "${SCRATCH}" args "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("$ ${PROGRAM} ${args}\n${output}")
if(SETUP STREQUAL "report" AND EXISTS "${SCRATCH}/run.json")
  file(READ "${SCRATCH}/run.json" report)
  string(APPEND output "${report}")
endif()
if(NOT "${result}" STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit code ${EXIT}, got ${result}")
endif()
foreach(pattern IN LISTS REGEX)
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "the output does not match: ${pattern}")
  endif()
endforeach()
if(SETUP STREQUAL "trace")
  foreach(file l27.vcd l27.gtkw)
    if(NOT EXISTS "${SCRATCH}/${file}")
      message(FATAL_ERROR "${file} was not written")
    endif()
  endforeach()
endif()
