// Builds the regression's run list and prices each run in cycles from its weight- or output-stationary plan.
#include "run_list.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"
#include "tb/os_plan.hpp"
#include "tb/ws_plan.hpp"

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

namespace {

// Weight-stationary: per (band, oc_tile, ic_tile) pass, xmem's one port carries the pass's
// weight writes and reads (9 * col each), the activation reads into L0 (9 * Nb) and, with the
// PerPass placement, the pass's activation writes (Nb); pmem's one port carries the psum
// writes (9 * Nb, twice that for read-add-write of every ic tile after the first). The
// sequencer overlaps the two ports, so a pass costs the busier one. After a band's ic tiles,
// the SFP reads 9 psums per output position (plus its init and the ReLU read).
long long ws_cycles(const golden::ArrayShape& array, const golden::LayerShape& shape) {
  const golden::ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  const golden::WeightTensor weights(shape.out_ch, shape.in_ch);
  const tb::WsPlan plan(array, shape, activations, weights);
  const golden::Tiling& tiling = plan.tiling();
  const long long kij = golden::kKijCount;
  long long cycles = 0;
  for (std::size_t b = 0; b < plan.bands().size(); ++b) {
    const tb::RowBand& band = plan.bands()[b];
    cycles += static_cast<long long>(plan.activation_writes(static_cast<int>(b)).size());
    const long long output_positions = static_cast<long long>(band.output_rows()) * shape.width;
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
        long long xmem = 2 * kij * array.col + kij * band.nij_count;
        if (plan.activation_placement() == tb::WsPlan::ActivationPlacement::PerPass) {
          xmem += band.nij_count;
        }
        const long long pmem = kij * band.nij_count * (ic_tile == 0 ? 1 : 2);
        cycles += std::max(xmem, pmem);
      }
      cycles += output_positions * (kij + 1);
    }
  }
  return cycles;
}

// Output-stationary: per pass, xmem's port writes each (ic, kij) step's weights (and its
// activations unless the previous pass of the same pixel group left them there) and reads
// both into L0 and the IFIFO; the PE sums then drain through pmem (written, read raw and
// through ReLU: 3 per pixel row).
long long os_cycles(const golden::ArrayShape& array, const golden::LayerShape& shape) {
  const golden::ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  const golden::WeightTensor weights(shape.out_ch, shape.in_ch);
  const tb::OsPlan plan(array, shape, activations, weights,
                        tb::OsPlan::every_pass(shape, array));
  long long cycles = 0;
  for (std::size_t pass = 0; pass < plan.passes().size(); ++pass) {
    const long long writes_per_step = plan.activations_kept(static_cast<int>(pass)) ? 1 : 2;
    cycles += plan.steps() * (writes_per_step + 2) + 3LL * array.row;
  }
  return cycles;
}

}  // namespace

long long predicted_cycles(const RunSpec& run) {
  const golden::ConvLayer& layer = golden::find_layer(run.model, run.layer);
  const golden::ArrayShape array = golden::ArrayShape::square(run.array);
  return run.dataflow == "os" ? os_cycles(array, layer.shape) : ws_cycles(array, layer.shape);
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
