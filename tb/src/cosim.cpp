// One co-simulation run end to end: inputs, the dataflows' stages, the clock loop with its watchdog, the summary.
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
#include "tb/cycle_loop.hpp"
#include "tb/dataflow.hpp"
#include "tb/errors.hpp"
#include "tb/gtkw.hpp"
#include "tb/scoreboard.hpp"
#include "tb/stimulus_export.hpp"
#include "vector_files/file_diagnosis.hpp"
#include "vector_files/vector_set.hpp"

namespace tb {
namespace {

using Clock = std::chrono::steady_clock;
using Stages = std::vector<std::unique_ptr<DataflowStage>>;
using DataflowSequence = std::vector<const DataflowStrategy*>;

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
  return inputs;
}

// Compares a set's own psum/out files with what its inputs give: a disagreement is a defect of
// the file (a note when meta.json declares it), never an RTL mismatch.
void check_set_files(const golden::VectorSet& set, RunSummary& summary) {
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
}

// Loads a set, checks its files, and returns its layer; `sequence` becomes the set's dataflow.
LayerInputs vector_set_inputs(const RunOptions& options, RunSummary& summary,
                              DataflowSequence& sequence) {
  golden::VectorSet set = golden::load_vector_set(options.vectors);
  if (options.array_given &&
      (set.array.row != options.array || set.array.col != options.array)) {
    throw UsageError(fmt::format("--array {} contradicts the set, which is for a {}x{} array",
                                 options.array, set.array.row, set.array.col));
  }
  check_set_files(set, summary);
  LayerInputs inputs;
  inputs.name = fmt::format("vector set {}",
                            std::filesystem::path(options.vectors).lexically_normal().filename().string());
  if (inputs.name == "vector set ") inputs.name = fmt::format("vector set {}", options.vectors);
  inputs.source = options.vectors;
  inputs.array = set.array;
  inputs.shape = set.shape;
  inputs.relu = set.meta.out_relu;
  inputs.from_vector_set = true;
  sequence = {&dataflow_of(set.dataflow)};
  sequence.front()->fit_to_vector_set(set, inputs);
  inputs.activations = std::move(set.activations);
  inputs.weights = std::move(set.weights);
  return inputs;
}

// One stage per dataflow of the sequence. Only the first starts with a reset, so each dataflow
// starts from the state the one before left.
Stages build_stages(const LayerInputs& inputs, const DataflowSequence& sequence,
                    const RunOptions& options, const golden::ExactOutputTensor& direct,
                    RunSummary& summary) {
  summary.dataflow = dataflow_sequence_name(sequence);
  if (options.course_flow && (sequence.size() > 1 || !sequence.front()->runs_on_user_cores())) {
    throw UsageError("the course's flow (a user core, or --course-flow) is weight-stationary "
                     "only; this layer or set is output-stationary");
  }
  Stages stages;
  for (const DataflowStrategy* dataflow : sequence) {
    const StageContext context{inputs, options, direct, stages.empty() ? -1 : 0, summary};
    stages.push_back(dataflow->make_stage(context));
    if (sequence.size() > 1) {
      stages.back()->where = fmt::format("stage {} of {} ({}): ", stages.size(), sequence.size(),
                                         dataflow->title());
    }
  }
  if (stages.size() > 1 && !options.export_stimulus.empty()) {
    throw UsageError(fmt::format("--export-stimulus runs one dataflow; it cannot export "
                                 "--dataflow {}", summary.dataflow));
  }
  for (const std::unique_ptr<DataflowStage>& stage : stages) {
    summary.expected_psums += stage->sequencer->expected_psums();
    summary.expected_outputs += stage->sequencer->expected_outputs();
  }
  return stages;
}

// What sees the driven bus besides the core: the stimulus file, the export, the caller's.
struct Recorders {
  std::unique_ptr<StimulusFileRecorder> file;
  std::unique_ptr<StimulusExporter> exporter;
  std::optional<TeeRecorder> tee;
};

DriverOptions driver_options_for(const RunOptions& options, const golden::ArrayShape& array,
                                 DataflowStage& first, Recorders& recorders) {
  DriverOptions driver_options;
  driver_options.trace = options.trace;
  driver_options.plusargs = options.plusargs;
  driver_options.rtl_variant = options.rtl_variant;
  if (!options.stimulus.empty()) {
    recorders.file = std::make_unique<StimulusFileRecorder>(
        options.stimulus, array.row * array.bw, array.col * array.psum_bw);
    driver_options.recorder = recorders.file.get();
  }
  if (!options.export_stimulus.empty()) {
    recorders.exporter = std::make_unique<StimulusExporter>(
        options.export_stimulus, array, first.golden_values(), recorders.file.get());
    driver_options.recorder = recorders.exporter.get();
    first.sequencer =
        std::make_unique<ExportingSequencer>(std::move(first.sequencer), *recorders.exporter);
  }
  if (options.recorder != nullptr) {
    if (driver_options.recorder == nullptr) {
      driver_options.recorder = options.recorder;
    } else {
      driver_options.recorder = &recorders.tee.emplace(driver_options.recorder, options.recorder);
    }
  }
  return driver_options;
}

// The clock loop, stage after stage, until one fails or has mismatches.
void simulate(CoreDriver& driver, Stages& stages, const RunOptions& options,
              RunSummary& summary) {
  std::size_t work_items = 0;
  for (const std::unique_ptr<DataflowStage>& stage : stages) {
    work_items += stage->sequencer->work_items();
  }
  LoopLimits limits;
  limits.max_cycles = options.max_cycles != 0 ? options.max_cycles : 100000 + 20 * work_items;
  limits.stall_cycles = options.stall_cycles;
  limits.stop_on_first = options.stop_on_first;
  limits.idle_noise = options.idle_noise;
  const Clock::time_point sim_start = Clock::now();
  for (const std::unique_ptr<DataflowStage>& stage : stages) {
    const LoopResult loop = run_cycles(driver, *stage->sequencer, *stage->scoreboard, limits);
    for (std::size_t phase = 0; phase < loop.phase_cycles.size(); ++phase) {
      summary.phase_cycles[phase] += loop.phase_cycles[phase];
    }
    if (!loop.failure.empty()) summary.failure = stage->where + loop.failure;
    if (!summary.failure.empty() || stage->scoreboard->mismatch_count() > 0) break;
  }
  summary.sim_ms = milliseconds_since(sim_start);
  summary.cycles = driver.cycle();
}

// Every stage's scoreboard into the summary, the first mismatch into the failure.
void collect_scoreboards(const Stages& stages, RunSummary& summary) {
  for (const std::unique_ptr<DataflowStage>& stage : stages) {
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
  for (const std::unique_ptr<DataflowStage>& stage : stages) {
    const std::string diagnosis = stage->diagnose_mismatches();
    if (!diagnosis.empty()) summary.failure += "; " + diagnosis;
  }
}

// Pass or fail beyond the mismatches: values never observed, a set's own files disagreeing.
void decide(const RunOptions& options, RunSummary& summary) {
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
}

void write_export(const StimulusExporter& exporter, const RunOptions& options,
                  RunSummary& summary) {
  exporter.write();
  summary.notes.push_back(fmt::format(
      "stimulus export: {} ({} cycles, {} checks: {} pmem writes, {} sfp_out; {} pmem writes "
      "never read back unchecked)",
      options.export_stimulus, exporter.cycles(), exporter.checks(), exporter.pmem_checks(),
      exporter.checks() - exporter.pmem_checks(), exporter.unchecked_pmem_writes()));
}

// The waveform opens lazily at --trace-from; find an unwritable path before simulating.
void check_trace_writable(const std::string& path) {
  if (path.empty()) return;
  std::ofstream probe(path);
  if (!probe) {
    throw UsageError(
        fmt::format("{}: cannot write the waveform: {}", path, std::strerror(errno)));
  }
}

}  // namespace

golden::ArrayShape array_for(const RunOptions& options) {
  if (options.vectors.empty()) return golden::ArrayShape::square(options.array);
  return golden::load_vector_set(options.vectors).array;
}

RunSummary run_cosim(const RunOptions& options) {
  const Clock::time_point start = Clock::now();
  RunSummary summary;
  DataflowSequence sequence;
  LayerInputs inputs;
  if (options.vectors.empty()) {
    sequence = dataflow_sequence(options.dataflow);
    inputs = generated_inputs(options);
  } else {
    inputs = vector_set_inputs(options, summary, sequence);
  }
  summary.layer_name = inputs.name;
  summary.source = inputs.source;
  summary.array = inputs.array;
  summary.shape = inputs.shape;

  const golden::ExactOutputTensor direct =
      golden::direct_convolution(inputs.activations, inputs.weights);
  Stages stages = build_stages(inputs, sequence, options, direct, summary);
  Recorders recorders;
  const DriverOptions driver_options =
      driver_options_for(options, inputs.array, *stages.front(), recorders);
  std::unique_ptr<CoreDriver> driver = make_core_driver(inputs.array, driver_options);
  check_trace_writable(options.trace.path);
  summary.trace_path = options.trace.path;

  simulate(*driver, stages, options, summary);
  driver->finish();
  driver.reset();
  if (recorders.exporter) write_export(*recorders.exporter, options, summary);
  collect_scoreboards(stages, summary);
  decide(options, summary);

  if (!options.gtkw.empty() && !options.trace.path.empty()) {
    write_gtkw(options.gtkw, options.trace.path, inputs.array);
  }
  summary.wall_ms = milliseconds_since(start);
  return summary;
}

}  // namespace tb
