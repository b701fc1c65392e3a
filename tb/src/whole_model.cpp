// `cosim --layer all`: every conv layer of a model in order, with progress, the layer table and the model's totals.
#include "tb/whole_model.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "tb/layer_table.hpp"

namespace tb {

bool run_whole_model(const RunOptions& options, bool quiet) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<golden::ConvLayer>& layers = golden::conv_layers(options.model);
  std::vector<LayerRow> rows;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    RunOptions layer_options = options;
    layer_options.layer = layers[i].index;
    fmt::print("[{}/{}] {} on {}x{}: ", i + 1, layers.size(), layers[i].name(), options.array,
               options.array);
    std::fflush(stdout);
    const RunSummary summary = run_cosim(layer_options);
    rows.push_back(layer_row(summary, options.model, layers[i].index, options.seed));
    if (quiet) {
      fmt::print("{} cycles={} wall_ms={:.0f}\n", summary.pass ? "PASS" : "FAIL", summary.cycles,
                 summary.wall_ms);
    } else {
      fmt::print("{}\n", final_line(summary));
    }
    if (!summary.pass) fmt::print("  error: {}\n", summary.failure);
    std::fflush(stdout);
  }
  fmt::print("\n");
  print_layer_table(stdout, rows);
  std::uint64_t cycles = 0;
  bool pass = true;
  for (const LayerRow& row : rows) {
    cycles += row.cycles;
    pass = pass && row.pass;
  }
  const double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{} model={} array={}x{} layers={} cycles={} wall_ms={:.0f} psum_check={}\n",
             pass ? "PASS" : "FAIL", options.model, options.array, options.array, rows.size(),
             cycles, wall_ms, to_string(options.sequencer.psum_check));
  return pass;
}

}  // namespace tb
