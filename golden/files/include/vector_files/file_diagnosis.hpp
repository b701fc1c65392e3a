// Explains a vector set's psum-file disagreements by one wrong weight, naming that weight's file, line and element.
#pragma once

#include <string>
#include <vector>

#include "vector_files/vector_set.hpp"

namespace golden {

// For each (tile, kij, column) whose psum-file values differ from the golden psums, looks for
// the single weight W[oc][ic][kij] that would explain every difference (difference = delta *
// activation of that input channel at each nij). Returns one line per weight found, e.g.
// "weight_kij3.txt line 7 element 2 (W[oc 3][ic 2][kij 3]): the file holds 5, but
// psum_kij3.txt col 3 agrees with 4 there". Empty when nothing single explains the defects.
std::vector<std::string> diagnose_file_disagreements(const golden::VectorSet& set,
                                                     const golden::CheckReport& check);

}  // namespace golden
