// Builds the regression's run list and prices each run in cycles by its dataflow's plan (tb::DataflowStrategy::predicted_cycles).
#include "run_list.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "tb/dataflow.hpp"

namespace regress {

std::string RunSpec::name() const {
  return fmt::format("{} features[{}] {}x{} seed {}{}", model, layer, array, array, seed,
                     dataflow == "os" ? " os" : "");
}

std::string RunSpec::file_stem() const {
  return fmt::format("{}_layer{}_{}x{}_seed{}{}", model, layer, array, array, seed,
                     dataflow == "os" ? "_os" : "");
}

std::vector<RunSpec> build_run_list(const RunListOptions& options) {
  std::vector<int> seed_list = options.seeds;
  for (const int seed : options.more_seeds) {
    if (std::find(seed_list.begin(), seed_list.end(), seed) == seed_list.end()) {
      seed_list.push_back(seed);
    }
  }
  std::vector<RunSpec> runs;
  for (const int seed : seed_list) {
    const bool extra =
        std::find(options.seeds.begin(), options.seeds.end(), seed) == options.seeds.end();
    for (const std::string& model : options.models) {
      std::vector<int> indices = options.layers;
      if (indices.empty()) {
        for (const golden::ConvLayer& layer : golden::conv_layers(model)) {
          indices.push_back(layer.index);
        }
      }
      for (const int index : indices) golden::find_layer(model, index);  // names a bad one
      for (const int array : options.arrays) {
        for (const int index : indices) {
          if (extra) {
            const golden::ConvLayer& layer = golden::find_layer(model, index);
            const golden::Tiling tiling = layer.tiling(golden::ArrayShape::square(array));
            const long long executes = 9LL * tiling.ic_tiles * tiling.oc_tiles *
                                       layer.shape.nij_count();
            if (executes > options.more_seeds_max_executes) continue;
          }
          for (const std::string& dataflow : options.dataflows) {
            runs.push_back({model, index, array, static_cast<std::uint64_t>(seed), dataflow});
          }
        }
      }
    }
  }
  return runs;
}

long long predicted_cycles(const RunSpec& run) {
  const golden::ConvLayer& layer = golden::find_layer(run.model, run.layer);
  const golden::ArrayShape array = golden::ArrayShape::square(run.array);
  const tb::DataflowStrategy* dataflow = tb::find_dataflow(run.dataflow);
  if (dataflow == nullptr) {
    throw golden::InputError(fmt::format("unknown dataflow '{}'", run.dataflow));
  }
  return dataflow->predicted_cycles(array, layer.shape);
}

long long run_cost(const RunSpec& run) {
  return predicted_cycles(run) * run.array * run.array / 64;
}

std::vector<ShardItem> shard_items(const std::vector<RunSpec>& runs) {
  std::vector<ShardItem> items;
  items.reserve(runs.size());
  for (const RunSpec& run : runs) items.push_back({run.name(), run_cost(run)});
  return items;
}

}  // namespace regress
