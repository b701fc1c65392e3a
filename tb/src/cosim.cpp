// One co-simulation run end to end: inputs, golden model, the clock loop with its watchdog, the summary.
#include "tb/cosim.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "golden/conv.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/os_model.hpp"
#include "vector_files/vector_set.hpp"
#include "golden/ws_model.hpp"
#include "tb/cycle_loop.hpp"
#include "tb/errors.hpp"
#include "vector_files/file_diagnosis.hpp"
#include "tb/gtkw.hpp"
#include "tb/scoreboard.hpp"
#include "tb/stimulus_export.hpp"
#include "tb/os_plan.hpp"
#include "tb/os_sequencer.hpp"
#include "tb/ws_plan.hpp"
#include "tb/ws_sequencer.hpp"

namespace tb {
namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Hands every cycle to two recorders (the stimulus file and the caller's).
class TeeRecorder : public BusRecorder {
 public:
  TeeRecorder(BusRecorder* first, BusRecorder* second) : first_(first), second_(second) {}
  void record(std::uint64_t cycle, const BusCycle& bus, const CoreOutputs& outputs) override {
    first_->record(cycle, bus, outputs);
    second_->record(cycle, bus, outputs);
  }

 private:
  BusRecorder* first_;
  BusRecorder* second_;
};

// The layer to run, whichever way it was given.
struct LayerInputs {
  std::string name;
  std::string source;
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::ActivationTensor activations;
  golden::WeightTensor weights;
  bool relu = true;
  bool output_stationary = false;
  std::vector<OsPass> os_passes;  // output-stationary: the passes to run
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
  if (options.dataflow == "os") {
    // Every drained sum is checked raw (as out_os.txt holds it) and, since every catalog conv
    // layer is followed by ReLU, once more through the SFP's ReLU.
    inputs.output_stationary = true;
    inputs.os_passes = OsPlan::every_pass(inputs.shape, array);
  } else if (options.dataflow != "ws") {
    throw UsageError(fmt::format("--dataflow {}: expected ws or os", options.dataflow));
  }
  return inputs;
}

// Loads a set and compares its own psum/out files with what its inputs give: a disagreement
// is a defect of the file (a note when meta.json declares it), never an RTL mismatch.
LayerInputs vector_set_inputs(const RunOptions& options, RunSummary& summary) {
  golden::VectorSet set = golden::load_vector_set(options.vectors);
  if (options.array_given &&
      (set.array.row != options.array || set.array.col != options.array)) {
    throw UsageError(fmt::format("--array {} contradicts the set, which is for a {}x{} array",
                                 options.array, set.array.row, set.array.col));
  }
  for (const std::string& assumption : set.assumptions) {
    summary.notes.push_back(assumption);
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
  for (const std::string& cause : golden::diagnose_file_disagreements(set, check)) {
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
  inputs.relu = set.meta.out_relu;
  if (set.dataflow == golden::Dataflow::OutputStationary) {
    // The OS files hold pixel group 0 and the weights of the first col output channels.
    inputs.output_stationary = true;
    inputs.os_passes = {OsPass{0, 0}};
    inputs.shape.out_ch = set.weights.out_channels();
  }
  inputs.activations = std::move(set.activations);
  inputs.weights = std::move(set.weights);
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

  // One of the two dataflows: its plan, its golden model, its sequencer, its scoreboard->
  std::optional<golden::WsResult> ws_golden;
  std::optional<WsPlan> ws_plan;
  std::vector<golden::OsResult> os_golden;
  std::optional<OsPlan> os_plan;
  golden::ExactOutputTensor os_direct;
  std::unique_ptr<Sequencer> sequencer;
  std::unique_ptr<Scoreboard> scoreboard;
  bool course_relu = inputs.relu;  // what a user core's outputs are compared with
  if (options.course_flow && inputs.output_stationary) {
    throw UsageError("a user core runs the course's weight-stationary flow only; this layer or "
                     "set is output-stationary");
  }
  if (!inputs.output_stationary) {
    ws_golden =
        golden::run_ws_model(inputs.shape, inputs.array, inputs.activations, inputs.weights);
    if (ws_golden->overflow.any()) {
      summary.notes.push_back(fmt::format(
          "{} outputs and {} single psums wrap at psum_bw = {} bits (the exact sums differ); "
          "the hardware and the golden model both wrap",
          ws_golden->overflow.outputs.size(), ws_golden->overflow.wrapped_psums,
          inputs.array.psum_bw));
    }
    ws_plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights);
    summary.tiling = ws_plan->tiling();
    summary.bands = static_cast<int>(ws_plan->bands().size());
    summary.useful_macs = ws_plan->useful_macs();
    if (options.course_flow) {
      // What sfp_out can show is the core's: ReLU always, never, or as the layer wants.
      bool relu = inputs.relu;
      if (options.profile.relu == CoreProfile::Relu::Always) relu = true;
      if (options.profile.relu == CoreProfile::Relu::Never) relu = false;
      if (relu != inputs.relu) {
        summary.notes.push_back(fmt::format(
            "the set's outputs are {}, this core's sfp_out {} (relu: {}): outputs are compared "
            "with the golden model's {}",
            inputs.relu ? "ReLU outputs" : "raw sums", relu ? "applies ReLU" : "gives raw sums",
            options.profile.relu_text(), relu ? "ReLU outputs" : "raw sums"));
      }
      course_relu = relu;
      CourseSequencerOptions course;
      course.profile = options.profile;
      course.relu = relu;
      course.psum_check = options.course_psum_check;
      auto course_sequencer =
          std::make_unique<CourseSequencer>(*ws_plan, inputs.activations, course);
      summary.bands = static_cast<int>(course_sequencer->bands().size());
      summary.notes.push_back("user core: " + options.profile.summary());
      for (const std::string& line : course_sequencer->describe_checks()) {
        summary.notes.push_back(line);
      }
      sequencer = std::move(course_sequencer);
      scoreboard = std::make_unique<Scoreboard>(*ws_golden, relu, inputs.name);
    } else {
      WsSequencerOptions sequencer_options = options.sequencer;
      sequencer_options.relu = inputs.relu;
      sequencer = std::make_unique<WsSequencer>(*ws_plan, sequencer_options);
      scoreboard = std::make_unique<Scoreboard>(*ws_golden, inputs.relu, inputs.name);
    }
  } else {
    os_plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights,
                    inputs.os_passes);
    for (const OsPass& pass : inputs.os_passes) {
      os_golden.push_back(golden::run_os_model(inputs.shape, inputs.array, inputs.activations,
                                               inputs.weights, pass.group, pass.oc_tile));
      if (os_golden.back().overflowed()) {
        summary.notes.push_back(fmt::format(
            "output-stationary pass (pixel group {}, oc_tile {}) wraps at psum_bw = {} bits; "
            "the hardware and the golden model both wrap",
            pass.group, pass.oc_tile, inputs.array.psum_bw));
      }
    }
    summary.dataflow = "os";
    summary.os_passes = static_cast<int>(inputs.os_passes.size());
    summary.tiling = golden::Tiling::of(inputs.shape, inputs.array);
    summary.useful_macs = os_plan->useful_macs();
    OsSequencerOptions sequencer_options;
    sequencer_options.relu = inputs.relu;
    sequencer_options.check_ofifo_valid = options.sequencer.check_ofifo_valid;
    sequencer_options.psum_latency = options.sequencer.psum_latency;
    sequencer = std::make_unique<OsSequencer>(*os_plan, sequencer_options);
    os_direct = golden::direct_convolution(inputs.activations, inputs.weights);
    scoreboard = std::make_unique<Scoreboard>(inputs.array, os_golden, inputs.relu, inputs.name,
                                              &os_direct);
  }
  summary.expected_psums = sequencer->expected_psums();
  summary.expected_outputs = sequencer->expected_outputs();

  std::unique_ptr<StimulusFileRecorder> recorder;
  DriverOptions driver_options;
  driver_options.trace = options.trace;
  driver_options.plusargs = options.plusargs;
  driver_options.rtl_variant = options.rtl_variant;
  if (!options.stimulus.empty()) {
    recorder = std::make_unique<StimulusFileRecorder>(
        options.stimulus, inputs.array.row * inputs.array.bw,
        inputs.array.col * inputs.array.psum_bw);
    driver_options.recorder = recorder.get();
  }
  std::unique_ptr<StimulusExporter> exporter;
  if (!options.export_stimulus.empty()) {
    exporter = std::make_unique<StimulusExporter>(options.export_stimulus, inputs.array,
                                                  golden_values(*scoreboard, os_golden),
                                                  recorder.get());
    driver_options.recorder = exporter.get();
    sequencer = std::make_unique<ExportingSequencer>(std::move(sequencer), *exporter);
  }
  std::optional<TeeRecorder> tee;
  if (options.recorder != nullptr) {
    if (driver_options.recorder == nullptr) {
      driver_options.recorder = options.recorder;
    } else {
      driver_options.recorder = &tee.emplace(driver_options.recorder, options.recorder);
    }
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
      options.max_cycles != 0 ? options.max_cycles : 100000 + 20 * sequencer->work_items();
  limits.stall_cycles = options.stall_cycles;
  limits.stop_on_first = options.stop_on_first;
  const Clock::time_point sim_start = Clock::now();
  const LoopResult loop = run_cycles(*driver, *sequencer, *scoreboard, limits);
  summary.failure = loop.failure;
  summary.phase_cycles = loop.phase_cycles;
  summary.sim_ms = milliseconds_since(sim_start);
  summary.cycles = driver->cycle();
  driver->finish();
  driver.reset();
  if (exporter) {
    exporter->write();
    summary.notes.push_back(fmt::format(
        "stimulus export: {} ({} cycles, {} checks: {} pmem writes, {} sfp_out; {} pmem writes "
        "never read back unchecked)",
        options.export_stimulus, exporter->cycles(), exporter->checks(), exporter->pmem_checks(),
        exporter->checks() - exporter->pmem_checks(), exporter->unchecked_pmem_writes()));
  }

  summary.psums = scoreboard->psums_checked();
  summary.outputs = scoreboard->outputs_checked();
  summary.mismatches = scoreboard->mismatch_count();
  summary.psum_mismatches = scoreboard->psum_mismatch_count();
  summary.output_mismatches = scoreboard->output_mismatch_count();
  if (!scoreboard->mismatches().empty()) {
    summary.first_mismatch_cycle = static_cast<long long>(scoreboard->mismatches().front().cycle);
  }
  for (const Mismatch& mismatch : scoreboard->mismatches()) {
    summary.mismatch_lines.push_back(scoreboard->describe(mismatch));
  }
  if (summary.mismatches > 0 && summary.failure.empty()) {
    summary.failure = fmt::format("{} mismatch{}; first: {}", summary.mismatches,
                                  summary.mismatches == 1 ? "" : "es",
                                  scoreboard->describe(scoreboard->mismatches().front()));
  }
  if (options.course_flow && summary.mismatches > 0 && ws_golden) {
    summary.failure += "; " + diagnose_course_failure(scoreboard->mismatches(), *ws_golden,
                                                      options.profile, course_relu);
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
