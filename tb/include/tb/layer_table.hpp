// Whole-model figures: one row per co-simulated layer, the fmt table of them with per-model totals, and JUnit XML.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/report.hpp"

namespace tb {

// One (model, layer, array, seed) run as the regression and `cosim --layer all` report it.
struct LayerRow {
  std::string model;
  int layer = 0;
  std::uint64_t seed = 1;
  std::string dataflow = "ws";  // "ws" or "os" (output-stationary)
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::Tiling tiling;
  int bands = 1;
  std::uint64_t cycles = 0;
  long long useful_macs = 0;
  long long psums = 0;
  long long outputs = 0;
  long long mismatches = 0;
  double wall_ms = 0;
  double sim_ms = 0;
  bool pass = false;
  std::string failure;  // why it failed (empty on PASS)

  std::string name() const;  // "vgg16_sq8 features[3] 8x8 seed 1" (+ " os" when output-stationary)
  // Cycles a perfectly fed array would need: useful MACs / (row*col).
  double ideal_cycles() const;
  // ideal_cycles / cycles: the accelerator's own efficiency (= MAC utilization).
  double efficiency() const;
  double cycles_per_second() const;
};

LayerRow layer_row(const RunSummary& summary, const std::string& model, int layer,
                   std::uint64_t seed);

// The table: model, layer, shape, array, seed, tiles, cycles, ideal, efficiency, wall time,
// simulated cycles/s, PASS/FAIL; then per (model, array, seed, dataflow) totals of cycles and
// wall time; a dataflow column when output-stationary rows are there. An output-stationary row whose weight-stationary run of the same layer, array and
// seed is in `rows` shows as three columns of that run's line instead (OS cycles, OS
// efficiency, WS cycles / OS cycles), so each layer's better dataflow can be read off one line.
void print_layer_table(std::FILE* out, const std::vector<LayerRow>& rows);

// JUnit XML: one testsuite per model, one testcase per row (a <failure> with the reason when
// it failed). `elapsed_s` is the wall time of the whole regression. Throws std::runtime_error
// when the file cannot be written.
void write_junit(const std::string& path, const std::vector<LayerRow>& rows, double elapsed_s);

}  // namespace tb
