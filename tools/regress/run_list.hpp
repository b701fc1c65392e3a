// The regression's run list: which (model, layer, array, seed, dataflow) runs, and what each costs in cycles by its plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shard_planner.hpp"

namespace regress {

// One cosim run of the regression.
struct RunSpec {
  std::string model;
  int layer = 0;
  int array = 8;  // square array size
  std::uint64_t seed = 1;
  std::string dataflow = "ws";  // "ws" or "os"

  // "vgg16_sq8 features[3] 8x8 seed 1" (+ " os"): the same words as tb::LayerRow::name().
  std::string name() const;
  // "vgg16_sq8_layer3_8x8_seed1" (+ "_os"): the report and log file names.
  std::string file_stem() const;
};

// What regress's options select; the lists are already split at the commas.
struct RunListOptions {
  std::vector<std::string> models{"vgg16", "vgg16_sq8"};
  std::vector<int> arrays{8, 16};
  std::vector<int> seeds{1};
  // Seeds run in addition, only on layers with at most more_seeds_max_executes execute cycles
  // (ic_tiles * oc_tiles * 9 * padded nij).
  std::vector<int> more_seeds;
  long long more_seeds_max_executes = 100000;
  std::vector<int> layers;  // empty: every conv layer of each model
  std::vector<std::string> dataflows{"ws"};
};

// The runs in the order regress has always listed them: seed, model, array, layer, dataflow.
// Throws golden::InputError for an unknown model or a layer that is not a conv layer.
std::vector<RunSpec> build_run_list(const RunListOptions& options);

// Cycles the run will take on the core, predicted from its dataflow's plan before running
// anything (tb::DataflowStrategy::predicted_cycles). A balancing weight, not a bit-exact count.
long long predicted_cycles(const RunSpec& run);

// What one simulated cycle costs in host time grows with the array: the cost the shard planner
// balances is predicted_cycles * row * col / 64 (an 8x8 cycle is the unit).
long long run_cost(const RunSpec& run);

// The runs as the shard planner's items (name, run_cost).
std::vector<ShardItem> shard_items(const std::vector<RunSpec>& runs);

}  // namespace regress
