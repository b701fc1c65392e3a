// Golden-model benchmark: time of the tiled WS model over every conv layer of each model.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/ws_model.hpp"
#include "tb/command_line.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  cmdline::App app{
      "Time the golden WS model over every conv layer of each model (tiled for an "
      "array of the given size). Goal: each whole model under 2 s on one core."};
  int array_size = 8;
  int repeat = 3;
  std::uint64_t seed = 1;
  bool keep_psums = true;
  app.add_option("--array", array_size, "array size (row = col)")->capture_default_str();
  app.add_option("--repeat", repeat, "runs per model; the fastest is reported")
      ->check(cmdline::Range(1, 100))
      ->capture_default_str();
  app.add_option("--seed", seed, "generator seed")->capture_default_str();
  app.add_flag("!--no-psums", keep_psums, "do not keep the per-pass psums");
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) return app.exit(error);  // --help
    fmt::print(stderr, "bench_golden: {}\n", error.what());
    return 2;
  }

  try {
    const golden::ArrayShape array = golden::ArrayShape::square(array_size);
    golden::validate(array);
    golden::WsOptions options;
    options.keep_psums = keep_psums;
    fmt::print("golden WS model, array {}x{}, psums {}, best of {} run(s)\n", array.row, array.col,
               keep_psums ? "kept" : "not kept", repeat);
    for (const std::string& model : golden::model_names()) {
      std::vector<golden::GeneratedLayer> layers;
      for (const golden::ConvLayer& layer : golden::conv_layers(model))
        layers.push_back(golden::generate_layer(model, layer.index, array, seed));

      std::vector<double> best(layers.size(), 1e30);
      double best_total = 1e30;
      std::int64_t macs = 0;
      for (int run = 0; run < repeat; ++run) {
        double total = 0;
        macs = 0;
        for (std::size_t i = 0; i < layers.size(); ++i) {
          const golden::GeneratedLayer& generated = layers[i];
          const auto start = Clock::now();
          const golden::WsResult result =
              golden::run_ws_model(generated.layer.shape, array, generated.activations,
                                   generated.weights, options);
          const double elapsed = seconds_since(start);
          best[i] = std::min(best[i], elapsed);
          total += elapsed;
          const golden::Tiling tiling = result.tiling;
          macs += static_cast<std::int64_t>(tiling.ic_tiles) * tiling.oc_tiles * 9 *
                  generated.layer.shape.nij_count() * array.row * array.col;
        }
        best_total = std::min(best_total, total);
      }

      fmt::print("\n{:<24} {:>14} {:>9} {:>10}\n", model, "shape", "tiles", "ms");
      for (std::size_t i = 0; i < layers.size(); ++i) {
        const golden::ConvLayer& layer = layers[i].layer;
        const golden::Tiling tiling = layer.tiling(array);
        fmt::print("{:<24} {:>14} {:>9} {:>10.1f}\n", fmt::format("features[{}]", layer.index),
                   fmt::format("{}-{}@{}", layer.shape.in_ch, layer.shape.out_ch,
                               layer.shape.height),
                   fmt::format("{}x{}", tiling.ic_tiles, tiling.oc_tiles), best[i] * 1e3);
      }
      fmt::print("{:<24} {:>14} {:>9} {:>10.1f}   ({:.2f} s, {:.2f} G array MAC/s, goal < 2 s: "
                 "{})\n",
                 "whole model", "", "", best_total * 1e3, best_total,
                 static_cast<double>(macs) / best_total / 1e9, best_total < 2.0 ? "met" : "MISSED");
    }
  } catch (const golden::InputError& error) {
    fmt::print(stderr, "bench_golden: {}\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_golden: {}\n", error.what());
    return 2;
  }
  return 0;
}
