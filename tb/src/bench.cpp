// cosim_bench: cycles/s of whole co-simulation runs (tracing off and on) and of the model alone replaying a recorded bus (make bench).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/error.hpp"
#include "tb/command_line.hpp"
#include "tb/cosim.hpp"
#include "tb/errors.hpp"

namespace {

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

// Every applied cycle of a run, kept in memory, and a checksum of what the core showed after
// each edge (so a replay can prove it drove the model through the same states).
class BusTape : public tb::BusRecorder {
 public:
  void record(std::uint64_t /*cycle*/, const tb::BusCycle& bus,
              const tb::CoreOutputs& outputs) override {
    cycles_.push_back(bus);
    checksum_ = mix(checksum_, outputs.ofifo_valid, outputs.sfp_out);
  }
  const std::vector<tb::BusCycle>& cycles() const { return cycles_; }
  std::uint64_t checksum() const { return checksum_; }

  static std::uint64_t mix(std::uint64_t hash, bool ofifo_valid, const tb::SfpWord& sfp_out) {
    // FNV-1a over the outputs' words.
    hash = (hash ^ (ofifo_valid ? 1U : 0U)) * 0x100000001b3ULL;
    for (const std::uint32_t word : sfp_out) hash = (hash ^ word) * 0x100000001b3ULL;
    return hash;
  }
  static constexpr std::uint64_t kSeed = 0xcbf29ce484222325ULL;

 private:
  std::vector<tb::BusCycle> cycles_;
  std::uint64_t checksum_ = kSeed;
};

struct Overhead {
  std::uint64_t cycles = 0;
  double model_rate = 0;    // cycles/s replaying the bus into the model, median
  double harness_rate = 0;  // cycles/s of the clock loop with sequencer and checks, median
  bool pass = true;
  std::string failure;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The same layer twice over: the full harness (sequencer, golden checks at every psum and
// output), and the model alone replaying the bus the harness applied, nothing checked.
Overhead measure_overhead(const tb::RunOptions& base, int repeats) {
  Overhead overhead;
  BusTape tape;
  {
    tb::RunOptions options = base;
    options.recorder = &tape;
    const tb::RunSummary recorded = tb::run_cosim(options);
    if (!recorded.pass) {
      overhead.pass = false;
      overhead.failure = recorded.failure;
      return overhead;
    }
  }
  overhead.cycles = tape.cycles().size();
  const golden::ArrayShape array = golden::ArrayShape::square(base.array);
  std::vector<double> model_rates;
  std::vector<double> harness_rates;
  for (int i = 0; i < repeats; ++i) {
    // Alternate the two so a change in the machine's load touches both alike. The replayed
    // model is gone before the next one is built (Verilator 5.006 keeps one current context
    // per thread, VERILATOR-NOTES.md).
    {
      const std::unique_ptr<tb::CoreDriver> core =
          tb::make_core_driver(array, tb::DriverOptions{});
      std::uint64_t checksum = BusTape::kSeed;
      tb::SfpWord sfp_out{};
      const auto start = std::chrono::steady_clock::now();
      for (const tb::BusCycle& bus : tape.cycles()) {
        core->step(bus);
        core->read_sfp_out(sfp_out);
        checksum = BusTape::mix(checksum, core->ofifo_valid(), sfp_out);
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      core->finish();
      if (checksum != tape.checksum()) {
        overhead.pass = false;
        overhead.failure = "the replayed model showed other outputs than the recorded run";
      }
      model_rates.push_back(static_cast<double>(tape.cycles().size()) / seconds);
    }
    const tb::RunSummary summary = tb::run_cosim(base);
    if (!summary.pass) {
      overhead.pass = false;
      overhead.failure = summary.failure;
    }
    harness_rates.push_back(summary.cycles_per_second());
  }
  overhead.model_rate = median(model_rates);
  overhead.harness_rate = median(harness_rates);
  return overhead;
}

// The harness against the model alone on the same layer and bus: checked psums at pmem's write
// port (as whole-model runs do), tracing off. Returns false when a run failed.
bool print_overhead_rows(const std::vector<int>& arrays, const std::vector<int>& layers,
                         int repeats) {
  bool all_pass = true;
  fmt::print("{:<46} {:>10} {:>14} {:>14} {:>16}\n",
             fmt::format("model alone vs harness (median of {})", repeats), "cycles",
             "model cyc/s", "harness cyc/s", "harness/model");
  for (const int array : arrays) {
    for (const int layer : layers) {
      tb::RunOptions options;
      options.model = "vgg16_sq8";
      options.layer = layer;
      options.array = array;
      options.sequencer.psum_check = tb::PsumCheck::Write;
      const Overhead overhead = measure_overhead(options, repeats);
      // Time per cycle of the harness over that of the model alone.
      const double ratio =
          overhead.harness_rate > 0 ? overhead.model_rate / overhead.harness_rate : 0.0;
      fmt::print("{:<46} {:>10} {:>14.0f} {:>14.0f} {:>7.3f} ({:+.1f}%){}\n",
                 fmt::format("vgg16_sq8 features[{}], {}x{}", layer, array, array),
                 overhead.cycles, overhead.model_rate, overhead.harness_rate, ratio,
                 100.0 * (ratio - 1.0), overhead.pass ? "" : "  FAIL: " + overhead.failure);
      all_pass = all_pass && overhead.pass;
    }
  }
  fmt::print("model alone: the bus the harness applied, recorded and replayed into a fresh model, "
             "nothing checked;\nharness: sequencer, driver and every psum (at pmem's write port) "
             "and output checked; tracing off\n\n");
  return all_pass;
}

std::vector<Case> bench_cases(const std::string& scratch) {
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
  return cases;
}

// Whole runs, median wall and simulated time; traced cases 3 times. False when a run failed.
bool print_case_rows(const std::vector<Case>& cases, int repeats) {
  bool all_pass = true;
  fmt::print("{:<52} {:>10} {:>10} {:>10} {:>14}\n", "run (median of " + std::to_string(repeats) + ")",
             "cycles", "wall ms", "sim ms", "cycles/s");
  for (const Case& item : cases) {
    const Figures figures = measure(item, item.options.trace.path.empty() ? repeats : 3);
    const double rate = figures.sim_ms > 0 ? figures.cycles / (figures.sim_ms / 1000.0) : 0.0;
    fmt::print("{:<52} {:>10} {:>10.2f} {:>10.2f} {:>14.0f}{}\n", item.label, figures.cycles,
               figures.wall_ms, figures.sim_ms, rate,
               figures.pass ? "" : "  FAIL: " + figures.failure);
    all_pass = all_pass && figures.pass;
  }
  return all_pass;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 15;
  std::string scratch = (std::filesystem::temp_directory_path() / "cosim_bench").string();
  cmdline::App app{
      "cosim_bench: times whole co-simulation runs (golden model, Verilated core, checks)\n"
      "with tracing off and on, and prints wall time and simulated cycles per second.",
      "cosim_bench"};
  app.add_option("--repeats", repeats, "Runs per case; the median is printed")
      ->capture_default_str()
      ->check(cmdline::PositiveNumber());
  app.add_option("--scratch", scratch, "Folder for the waveforms of the traced cases")
      ->capture_default_str();
  std::vector<int> overhead_layers{17};
  std::vector<int> overhead_arrays{8, 16};
  int overhead_repeats = 3;
  app.add_option("--overhead-layers", overhead_layers,
                 "vgg16_sq8 layers whose harness overhead is measured (model alone replaying the "
                 "recorded bus against the full harness)")
      ->capture_default_str()
      ->delimiter(',');
  app.add_option("--overhead-arrays", overhead_arrays, "Square array sizes for the overhead rows")
      ->capture_default_str()
      ->delimiter(',');
  app.add_option("--overhead-repeats", overhead_repeats,
                 "Replays and harness runs per overhead row; the median is printed")
      ->capture_default_str()
      ->check(cmdline::PositiveNumber());
  bool overhead_only = false;
  app.add_flag("--overhead-only", overhead_only, "Print only the overhead rows");
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    return app.exit(error);
  }
  std::filesystem::create_directories(scratch);
  try {
    bool all_pass = print_overhead_rows(overhead_arrays, overhead_layers, overhead_repeats);
    if (!overhead_only) all_pass = print_case_rows(bench_cases(scratch), repeats) && all_pass;
    return all_pass ? 0 : 1;
  } catch (const std::exception& error) {
    fmt::print(stderr, "cosim_bench: error: {}\n", error.what());
    return 2;
  }
}
