// cosim_bench: wall time and simulated cycles per second of whole co-simulation runs, tracing off and on (make bench).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "golden/error.hpp"
#include "tb/cosim.hpp"
#include "tb/errors.hpp"

namespace {

// The course's Icarus testbench on layer 27 of vgg16_sq8 (8x8 array): about 17 s.
constexpr double kIcarusLayer27Ms = 17000.0;

struct Case {
  std::string label;
  tb::RunOptions options;
};

struct Figures {
  double wall_ms = 0;  // median over the repeats
  double sim_ms = 0;
  std::uint64_t cycles = 0;
  bool pass = true;
  std::string failure;
};

Figures measure(const Case& item, int repeats) {
  std::vector<double> wall;
  std::vector<double> sim;
  Figures figures;
  for (int i = 0; i < repeats; ++i) {
    const tb::RunSummary summary = tb::run_cosim(item.options);
    wall.push_back(summary.wall_ms);
    sim.push_back(summary.sim_ms);
    figures.cycles = summary.cycles;
    if (!summary.pass) {
      figures.pass = false;
      figures.failure = summary.failure;
    }
  }
  std::sort(wall.begin(), wall.end());
  std::sort(sim.begin(), sim.end());
  figures.wall_ms = wall[wall.size() / 2];
  figures.sim_ms = sim[sim.size() / 2];
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 15;
  std::string scratch = (std::filesystem::temp_directory_path() / "cosim_bench").string();
  CLI::App app{"cosim_bench: times whole co-simulation runs (golden model, Verilated core, checks)\n"
               "with tracing off and on, and prints wall time and simulated cycles per second.",
               "cosim_bench"};
  app.add_option("--repeats", repeats, "Runs per case; the median is printed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--scratch", scratch, "Folder for the waveforms of the traced cases")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::filesystem::create_directories(scratch);

  std::vector<Case> cases;
  const auto add = [&cases](std::string label, int layer, int array, std::string trace,
                            const char* dataflow = "ws") {
    Case item;
    item.label = std::move(label);
    item.options.layer = layer;
    item.options.array = array;
    item.options.trace.path = std::move(trace);
    item.options.dataflow = dataflow;
    cases.push_back(std::move(item));
  };
  add("vgg16_sq8 features[27], 8x8, trace off", 27, 8, "");
  add("vgg16_sq8 features[27], 8x8, VCD trace", 27, 8, scratch + "/layer27_8x8.vcd");
  add("vgg16_sq8 features[27], 16x16, trace off", 27, 16, "");
  add("vgg16_sq8 features[29], 8x8 (64 oc tiles), trace off", 29, 8, "");
  add("vgg16_sq8 features[24], 16x16 (16 ic tiles), trace off", 24, 16, "");
  add("vgg16_sq8 features[27], 8x8, output-stationary", 27, 8, "", "os");

  bool all_pass = true;
  double layer27_ms = 0;
  fmt::print("{:<52} {:>10} {:>10} {:>10} {:>14}\n", "run (median of " + std::to_string(repeats) + ")",
             "cycles", "wall ms", "sim ms", "cycles/s");
  try {
    for (const Case& item : cases) {
      const Figures figures = measure(item, item.options.trace.path.empty() ? repeats : 3);
      const double rate = figures.sim_ms > 0 ? figures.cycles / (figures.sim_ms / 1000.0) : 0.0;
      fmt::print("{:<52} {:>10} {:>10.2f} {:>10.2f} {:>14.0f}{}\n", item.label, figures.cycles,
                 figures.wall_ms, figures.sim_ms, rate,
                 figures.pass ? "" : "  FAIL: " + figures.failure);
      all_pass = all_pass && figures.pass;
      if (layer27_ms == 0) layer27_ms = figures.wall_ms;
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "cosim_bench: error: {}\n", error.what());
    return 2;
  }
  fmt::print("\nlayer 27 end to end (8x8, no trace): {:.2f} ms wall; the course's Icarus testbench: "
             "~{:.0f} s, so {:.0f}x faster (target: 1000x, i.e. under {:.0f} ms)\n",
             layer27_ms, kIcarusLayer27Ms / 1000.0, kIcarusLayer27Ms / layer27_ms,
             kIcarusLayer27Ms / 1000.0);
  return all_pass ? 0 : 1;
}
