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
#include "tb/course_sequencer.hpp"
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
  bool dataflow_switch = false;   // os-ws-os: both dataflows, one after the other
  std::vector<OsPass> os_passes;  // output-stationary: the passes to run
};

LayerInputs generated_inputs(const RunOptions& options) {
  const golden::ConvLayer& layer = golden::find_layer(options.model, options.layer);
  const golden::ArrayShape array = golden::ArrayShape::square(options.array);
  golden::GeneratedLayer generated =
      golden::generate_layer(options.model, options.layer, array, options.seed,
                             options.stress ? golden::Stimulus::Stress
                                            : golden::Stimulus::Realistic);
  LayerInputs inputs;
  inputs.name = layer.name();
  inputs.source = fmt::format("generated{}, seed {}", options.stress ? " (stress)" : "",
                              options.seed);
  inputs.array = array;
  inputs.shape = layer.shape;
  inputs.activations = std::move(generated.activations);
  inputs.weights = std::move(generated.weights);
  if (options.dataflow == "os" || options.dataflow == "os-ws-os") {
    inputs.dataflow_switch = options.dataflow == "os-ws-os";
    // Every drained sum is checked raw (as out_os.txt holds it) and, since every catalog conv
    // layer is followed by ReLU, once more through the SFP's ReLU.
    inputs.output_stationary = true;
    inputs.os_passes = OsPlan::every_pass(inputs.shape, array);
  } else if (options.dataflow != "ws") {
    throw UsageError(fmt::format("--dataflow {}: expected ws, os or os-ws-os", options.dataflow));
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

// One dataflow run on the core: its plan, golden model, sequencer and scoreboard. Plans and
// golden results stay where they are built (sequencers and scoreboards point at them).
struct Stage {
  bool output_stationary = false;
  std::optional<golden::WsResult> ws_golden;
  std::optional<WsPlan> ws_plan;
  std::vector<golden::OsResult> os_golden;
  std::optional<OsPlan> os_plan;
  std::unique_ptr<Sequencer> sequencer;
  std::unique_ptr<Scoreboard> scoreboard;
  std::string where;  // "stage 2 of 3 (weight-stationary): " in a dataflow-switching run
  bool relu = true;   // what the outputs are compared with (a user core's own ReLU setting)
};

// reset_cycles < 0: the sequencer's own default (the run starts with a reset).
std::unique_ptr<Stage> make_stage(const LayerInputs& inputs, bool output_stationary,
                                  const RunOptions& options,
                                  const golden::ExactOutputTensor& direct, int reset_cycles,
                                  RunSummary& summary) {
  auto stage = std::make_unique<Stage>();
  stage->output_stationary = output_stationary;
  if (!output_stationary) {
    stage->ws_golden =
        golden::run_ws_model(inputs.shape, inputs.array, inputs.activations, inputs.weights);
    if (stage->ws_golden->overflow.any()) {
      summary.notes.push_back(fmt::format(
          "{} outputs and {} single psums wrap at psum_bw = {} bits (the exact sums differ); "
          "the hardware and the golden model both wrap",
          stage->ws_golden->overflow.outputs.size(), stage->ws_golden->overflow.wrapped_psums,
          inputs.array.psum_bw));
    }
    stage->ws_plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights);
    summary.tiling = stage->ws_plan->tiling();
    summary.bands = static_cast<int>(stage->ws_plan->bands().size());
    summary.useful_macs += stage->ws_plan->useful_macs();
    stage->relu = inputs.relu;
    if (options.course_flow) {
      // A user core: the course's flow on bits 33..0. What sfp_out can show is the core's:
      // ReLU always, never, or as the layer wants.
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
      stage->relu = relu;
      CourseSequencerOptions course;
      course.profile = options.profile;
      course.relu = relu;
      course.psum_check = options.course_psum_check;
      auto course_sequencer =
          std::make_unique<CourseSequencer>(*stage->ws_plan, inputs.activations, course);
      summary.bands = static_cast<int>(course_sequencer->bands().size());
      summary.notes.push_back("user core: " + options.profile.summary());
      for (const std::string& line : course_sequencer->describe_checks()) {
        summary.notes.push_back(line);
      }
      stage->sequencer = std::move(course_sequencer);
      stage->scoreboard = std::make_unique<Scoreboard>(*stage->ws_golden, relu, inputs.name);
      return stage;
    }
    WsSequencerOptions sequencer_options = options.sequencer;
    sequencer_options.relu = inputs.relu;
    if (reset_cycles >= 0) sequencer_options.reset_cycles = reset_cycles;
    stage->sequencer = std::make_unique<WsSequencer>(*stage->ws_plan, sequencer_options);
    stage->scoreboard =
        std::make_unique<Scoreboard>(*stage->ws_golden, inputs.relu, inputs.name, &direct);
    return stage;
  }
  stage->os_plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights,
                         inputs.os_passes);
  for (const OsPass& pass : inputs.os_passes) {
    stage->os_golden.push_back(golden::run_os_model(inputs.shape, inputs.array,
                                                    inputs.activations, inputs.weights,
                                                    pass.group, pass.oc_tile));
    if (stage->os_golden.back().overflowed()) {
      summary.notes.push_back(fmt::format(
          "output-stationary pass (pixel group {}, oc_tile {}) wraps at psum_bw = {} bits; "
          "the hardware and the golden model both wrap",
          pass.group, pass.oc_tile, inputs.array.psum_bw));
    }
  }
  summary.os_passes += static_cast<int>(inputs.os_passes.size());
  summary.tiling = golden::Tiling::of(inputs.shape, inputs.array);
  summary.useful_macs += stage->os_plan->useful_macs();
  OsSequencerOptions sequencer_options;
  sequencer_options.relu = inputs.relu;
  sequencer_options.check_ofifo_valid = options.sequencer.check_ofifo_valid;
  sequencer_options.psum_latency = options.sequencer.psum_latency;
  if (reset_cycles >= 0) sequencer_options.reset_cycles = reset_cycles;
  stage->sequencer = std::make_unique<OsSequencer>(*stage->os_plan, sequencer_options);
  stage->scoreboard = std::make_unique<Scoreboard>(inputs.array, stage->os_golden, inputs.relu,
                                                   inputs.name, &direct);
  return stage;
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

  // The direct convolution, once per layer: every output of every stage is checked against it
  // as well as against the stage's tiled model.
  const golden::ExactOutputTensor direct =
      golden::direct_convolution(inputs.activations, inputs.weights);
  std::vector<std::unique_ptr<Stage>> stages;
  if (options.course_flow && (inputs.output_stationary || inputs.dataflow_switch)) {
    throw UsageError("a user core runs the course's weight-stationary flow only; this layer or "
                     "set is output-stationary");
  }
  if (inputs.dataflow_switch) {
    // Output-stationary, weight-stationary, output-stationary on one core: only the first
    // stage starts with a reset, so each dataflow starts from the state the other left.
    for (const bool output_stationary : {true, false, true}) {
      stages.push_back(make_stage(inputs, output_stationary, options, direct,
                                  stages.empty() ? -1 : 0, summary));
    }
    summary.dataflow = "os-ws-os";
  } else {
    stages.push_back(make_stage(inputs, inputs.output_stationary, options, direct, -1, summary));
    summary.dataflow = inputs.output_stationary ? "os" : "ws";
  }
  if (stages.size() > 1 && !options.export_stimulus.empty()) {
    throw UsageError("--export-stimulus runs one dataflow; it cannot export --dataflow os-ws-os");
  }
  for (const std::unique_ptr<Stage>& stage : stages) {
    summary.expected_psums += stage->sequencer->expected_psums();
    summary.expected_outputs += stage->sequencer->expected_outputs();
  }
  std::unique_ptr<Sequencer>& sequencer = stages.front()->sequencer;
  std::unique_ptr<Scoreboard>& scoreboard = stages.front()->scoreboard;
  const std::vector<golden::OsResult>& os_golden = stages.front()->os_golden;

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

  std::size_t work_items = 0;
  for (const std::unique_ptr<Stage>& stage : stages) work_items += stage->sequencer->work_items();
  LoopLimits limits;
  limits.max_cycles = options.max_cycles != 0 ? options.max_cycles : 100000 + 20 * work_items;
  limits.stall_cycles = options.stall_cycles;
  limits.stop_on_first = options.stop_on_first;
  limits.idle_noise = options.idle_noise;
  const Clock::time_point sim_start = Clock::now();
  for (std::size_t i = 0; i < stages.size(); ++i) {
    Stage& stage = *stages[i];
    const LoopResult loop = run_cycles(*driver, *stage.sequencer, *stage.scoreboard, limits);
    for (std::size_t phase = 0; phase < loop.phase_cycles.size(); ++phase) {
      summary.phase_cycles[phase] += loop.phase_cycles[phase];
    }
    const std::string where =
        stages.size() > 1 ? fmt::format("stage {} of {} ({}): ", i + 1, stages.size(),
                                        stage.output_stationary ? "output-stationary"
                                                                : "weight-stationary")
                          : std::string();
    if (!loop.failure.empty()) summary.failure = where + loop.failure;
    stage.where = where;
    if (!summary.failure.empty() || stage.scoreboard->mismatch_count() > 0) break;
  }
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

  for (const std::unique_ptr<Stage>& stage : stages) {
    const Scoreboard& board = *stage->scoreboard;
    summary.psums += board.psums_checked();
    summary.outputs += board.outputs_checked();
    summary.mismatches += board.mismatch_count();
    summary.psum_mismatches += board.psum_mismatch_count();
    summary.output_mismatches += board.output_mismatch_count();
    for (const Mismatch& mismatch : board.mismatches()) {
      summary.mismatch_lines.push_back(stage->where + board.describe(mismatch));
    }
    if (!board.mismatches().empty() && summary.first_mismatch_cycle < 0) {
      summary.first_mismatch_cycle = static_cast<long long>(board.mismatches().front().cycle);
    }
    if (board.mismatch_count() > 0 && summary.failure.empty()) {
      summary.failure = fmt::format("{}{} mismatch{}; first: {}", stage->where,
                                    board.mismatch_count(),
                                    board.mismatch_count() == 1 ? "" : "es",
                                    board.describe(board.mismatches().front()));
    }
  }
  if (options.course_flow && summary.mismatches > 0 && stages.front()->ws_golden) {
    summary.failure += "; " + diagnose_course_failure(stages.front()->scoreboard->mismatches(),
                                                      *stages.front()->ws_golden,
                                                      options.profile, stages.front()->relu);
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
