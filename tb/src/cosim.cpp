// One co-simulation run end to end: inputs, golden model, the clock loop with its watchdog, the summary.
#include "tb/cosim.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "golden/generator.hpp"
#include "golden/vector_set.hpp"
#include "golden/ws_model.hpp"
#include "tb/cycle_loop.hpp"
#include "tb/errors.hpp"
#include "tb/file_diagnosis.hpp"
#include "tb/gtkw.hpp"
#include "tb/scoreboard.hpp"
#include "tb/ws_plan.hpp"

namespace tb {
namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The layer to run, whichever way it was given.
struct LayerInputs {
  std::string name;
  std::string source;
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::ActivationTensor activations;
  golden::WeightTensor weights;
  bool relu = true;
};

LayerInputs generated_inputs(const RunOptions& options) {
  const golden::ConvLayer& layer = golden::find_layer(options.model, options.layer);
  const golden::ArrayShape array = golden::ArrayShape::square(options.array);
  golden::GeneratedLayer generated =
      golden::generate_layer(options.model, options.layer, array, options.seed);
  LayerInputs inputs;
  inputs.name = layer.name();
  inputs.source = fmt::format("generated, seed {}", options.seed);
  inputs.array = array;
  inputs.shape = layer.shape;
  inputs.activations = std::move(generated.activations);
  inputs.weights = std::move(generated.weights);
  return inputs;
}

// Loads a set and compares its own psum/out files with what its inputs give: a disagreement
// is a defect of the file (a note when meta.json declares it), never an RTL mismatch.
LayerInputs vector_set_inputs(const RunOptions& options, RunSummary& summary) {
  golden::VectorSet set = golden::load_vector_set(options.vectors);
  if (set.dataflow != golden::Dataflow::WeightStationary) {
    throw UsageError(fmt::format(
        "{}: an output-stationary set; this harness sequences weight-stationary layers only",
        options.vectors));
  }
  if (options.array_given &&
      (set.array.row != options.array || set.array.col != options.array)) {
    throw UsageError(fmt::format("--array {} contradicts the set, which is for a {}x{} array",
                                 options.array, set.array.row, set.array.col));
  }
  for (const std::string& assumption : set.assumptions) {
    summary.notes.push_back(fmt::format("no meta.json: {}", assumption));
  }
  const golden::CheckReport check = golden::check_vector_set(set);
  summary.file_values_checked = check.psums_checked + check.outputs_checked;
  for (const golden::Disagreement& disagreement : check.disagreements) {
    if (disagreement.known_defect) {
      ++summary.known_defects;
      summary.notes.push_back(fmt::format("known defect of the set: {}", disagreement.message()));
    } else {
      ++summary.file_disagreements;
      summary.file_errors.push_back(disagreement.message());
    }
  }
  for (const std::string& cause : diagnose_file_disagreements(set, check)) {
    summary.file_errors.push_back(cause);
  }
  for (const golden::KnownDefect& defect : check.missing_defects) {
    summary.notes.push_back(fmt::format(
        "meta.json declares a defect at {}:{}:{} ({}), but the file agrees with its inputs there",
        defect.file, defect.line, defect.element, defect.what));
  }
  LayerInputs inputs;
  inputs.name = fmt::format("vector set {}",
                            std::filesystem::path(options.vectors).lexically_normal().filename().string());
  if (inputs.name == "vector set ") inputs.name = fmt::format("vector set {}", options.vectors);
  inputs.source = options.vectors;
  inputs.array = set.array;
  inputs.shape = set.shape;
  inputs.activations = std::move(set.activations);
  inputs.weights = std::move(set.weights);
  inputs.relu = set.meta.out_relu;
  return inputs;
}

}  // namespace

golden::ArrayShape array_for(const RunOptions& options) {
  if (options.vectors.empty()) return golden::ArrayShape::square(options.array);
  return golden::load_vector_set(options.vectors).array;
}

RunSummary run_cosim(const RunOptions& options) {
  const Clock::time_point start = Clock::now();
  RunSummary summary;
  LayerInputs inputs =
      options.vectors.empty() ? generated_inputs(options) : vector_set_inputs(options, summary);
  summary.layer_name = inputs.name;
  summary.source = inputs.source;
  summary.array = inputs.array;
  summary.shape = inputs.shape;

  const golden::WsResult golden =
      golden::run_ws_model(inputs.shape, inputs.array, inputs.activations, inputs.weights);
  if (golden.overflow.any()) {
    summary.notes.push_back(fmt::format(
        "{} outputs and {} single psums wrap at psum_bw = {} bits (the exact sums differ); the "
        "hardware and the golden model both wrap",
        golden.overflow.outputs.size(), golden.overflow.wrapped_psums, inputs.array.psum_bw));
  }

  const WsPlan plan(inputs.array, inputs.shape, inputs.activations, inputs.weights);
  summary.tiling = plan.tiling();
  summary.bands = static_cast<int>(plan.bands().size());
  summary.useful_macs = plan.useful_macs();

  WsSequencerOptions sequencer_options = options.sequencer;
  sequencer_options.relu = inputs.relu;
  WsSequencer sequencer(plan, sequencer_options);
  summary.expected_psums = sequencer.expected_psums();
  summary.expected_outputs = sequencer.expected_outputs();
  Scoreboard scoreboard(golden, inputs.relu, inputs.name);

  std::unique_ptr<StimulusFileRecorder> recorder;
  DriverOptions driver_options;
  driver_options.trace = options.trace;
  driver_options.plusargs = options.plusargs;
  driver_options.rtl_variant = options.rtl_variant;
  if (!options.stimulus.empty()) {
    recorder = std::make_unique<StimulusFileRecorder>(options.stimulus,
                                                      inputs.array.row * inputs.array.bw);
    driver_options.recorder = recorder.get();
  }
  std::unique_ptr<CoreDriver> driver = make_core_driver(inputs.array, driver_options);
  if (!options.trace.path.empty()) {
    // The waveform opens lazily at --trace-from; find an unwritable path before simulating.
    std::ofstream probe(options.trace.path);
    if (!probe) {
      throw UsageError(fmt::format("{}: cannot write the waveform: {}", options.trace.path,
                                   std::strerror(errno)));
    }
  }
  summary.trace_path = options.trace.path;

  LoopLimits limits;
  limits.max_cycles =
      options.max_cycles != 0 ? options.max_cycles : 100000 + 20 * sequencer.work_items();
  limits.stall_cycles = options.stall_cycles;
  limits.stop_on_first = options.stop_on_first;
  const Clock::time_point sim_start = Clock::now();
  const LoopResult loop = run_cycles(*driver, sequencer, scoreboard, limits);
  summary.failure = loop.failure;
  summary.phase_cycles = loop.phase_cycles;
  summary.sim_ms = milliseconds_since(sim_start);
  summary.cycles = driver->cycle();
  driver->finish();
  driver.reset();

  summary.psums = scoreboard.psums_checked();
  summary.outputs = scoreboard.outputs_checked();
  summary.mismatches = scoreboard.mismatch_count();
  for (const Mismatch& mismatch : scoreboard.mismatches()) {
    summary.mismatch_lines.push_back(scoreboard.describe(mismatch));
  }
  if (summary.mismatches > 0 && summary.failure.empty()) {
    summary.failure = fmt::format("{} mismatch{}; first: {}", summary.mismatches,
                                  summary.mismatches == 1 ? "" : "es",
                                  scoreboard.describe(scoreboard.mismatches().front()));
  }
  if (summary.failure.empty() && !options.stop_on_first &&
      (summary.psums != summary.expected_psums || summary.outputs != summary.expected_outputs)) {
    summary.failure = fmt::format("only {} of {} psums and {} of {} outputs were observed",
                                  summary.psums, summary.expected_psums, summary.outputs,
                                  summary.expected_outputs);
  }
  if (summary.failure.empty() && summary.file_disagreements > 0) {
    summary.failure = fmt::format("the set's own files disagree with its inputs in {} place{}; "
                                  "first: {}",
                                  summary.file_disagreements,
                                  summary.file_disagreements == 1 ? "" : "s",
                                  summary.file_errors.front());
  }
  summary.pass = summary.failure.empty();

  if (!options.gtkw.empty() && !options.trace.path.empty()) {
    write_gtkw(options.gtkw, options.trace.path, inputs.array);
  }
  summary.wall_ms = milliseconds_since(start);
  return summary;
}

}  // namespace tb
