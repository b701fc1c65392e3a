// A whole model on the Verilated core, layer by layer in this process (`cosim --layer all`).
#pragma once

#include "tb/cosim.hpp"

namespace tb {

// `cosim --layer all`: every conv layer of options.model in order, one after the other in this
// process (each with its own VerilatedContext and model). Prints a progress line per layer
// (its final line unless quiet), the table and a final PASS/FAIL line with the model's total
// cycles and wall time; true when every layer passed. Throws like run_cosim for bad input.
bool run_whole_model(const RunOptions& options, bool quiet);

}  // namespace tb
