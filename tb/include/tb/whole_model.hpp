// A whole model on the Verilated core, layer by layer, several layers at a time in worker processes (`cosim --layer all`).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tb/cosim.hpp"

namespace tb {

// Each layer's cycles on the core, predicted from its plan (every dataflow of options.dataflow
// on the square options.array); -1 for a layer whose plan throws.
std::vector<long long> predicted_layer_cycles(const RunOptions& options,
                                              const std::vector<golden::ConvLayer>& layers);

// The order workers take the layers in: their catalog positions, longest first by the
// predicted cycles (predicted_layer_cycles), ties in catalog order, so that the workers end
// close together instead of one long layer running alone at the end. A layer whose plan throws
// (-1) goes first (its worker reports the error at once).
std::vector<std::size_t> longest_first(std::vector<long long> predicted_cycles);

// The number of cores this machine has online: the default of `cosim --layer all -j`.
int default_jobs();

// `cosim --layer all`: every conv layer of options.model, `jobs` layers at a time, each in its
// own worker process (forked, with its own VerilatedContext and model), the longest predicted
// layers first; jobs <= 1 runs them one after the other in this process in catalog order, as
// do runs writing a waveform or stimulus file. Prints a first line with the layer count and
// the predicted cycles, then a progress line per layer as it ends
// ("[k/N] layer on RxC: " and its final line unless quiet), then the table in catalog order and
// a final PASS/FAIL line with the model's total cycles and wall time; with report_path, writes
// the JSON report of the whole model (every layer's report in catalog order). True when every
// layer passed. Throws like run_cosim for bad input (the first layer that ends with it; the
// layers that ended before it are printed as usual).
bool run_whole_model(const RunOptions& options, bool quiet, int jobs = 1,
                     const std::string& report_path = "");

}  // namespace tb
