// The weight-stationary dataflow: WsPlan, the tiled WS model, WsSequencer (or the course's flow on a user core) and its scoreboard.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "golden/ws_model.hpp"
#include "tb/cosim.hpp"
#include "tb/course_sequencer.hpp"
#include "tb/dataflow.hpp"
#include "tb/ws_plan.hpp"
#include "tb/ws_sequencer.hpp"

namespace tb {
namespace {

class WsStage final : public DataflowStage {
 public:
  using DataflowStage::DataflowStage;

  GoldenValues golden_values() const override {
    const Scoreboard& board = *scoreboard;
    GoldenValues values;
    values.sfp_out = [&board](const Expectation& expect, int column) {
      return board.expected_value(expect, column);
    };
    // A psum read back is the wrapped sum pmem holds: the scoreboard's value.
    values.pmem_word = values.sfp_out;
    return values;
  }

  std::string diagnose_mismatches() const override {
    if (profile == nullptr || scoreboard->mismatch_count() == 0) return std::string();
    return diagnose_course_failure(scoreboard->mismatches(), *golden, *profile, relu);
  }

  std::optional<golden::WsResult> golden;
  std::optional<WsPlan> plan;
  bool relu = true;                        // outputs are compared with ReLU outputs
  const CoreProfile* profile = nullptr;    // a user core's (the course's flow), else none
};

// A user core: the course's flow on bits 33..0. What sfp_out can show is the core's: ReLU
// always, never, or as the layer wants.
void use_course_flow(WsStage& stage, const StageContext& context) {
  const LayerInputs& inputs = context.inputs;
  const CoreProfile& profile = context.options.profile;
  RunSummary& summary = context.summary;
  bool relu = inputs.relu;
  if (profile.relu == CoreProfile::Relu::Always) relu = true;
  if (profile.relu == CoreProfile::Relu::Never) relu = false;
  if (relu != inputs.relu) {
    summary.notes.push_back(fmt::format(
        "the set's outputs are {}, this core's sfp_out {} (relu: {}): outputs are compared "
        "with the golden model's {}",
        inputs.relu ? "ReLU outputs" : "raw sums", relu ? "applies ReLU" : "gives raw sums",
        profile.relu_text(), relu ? "ReLU outputs" : "raw sums"));
  }
  stage.relu = relu;
  stage.profile = &profile;
  CourseSequencerOptions course;
  course.profile = profile;
  course.relu = relu;
  course.psum_check = context.options.course_psum_check;
  auto sequencer = std::make_unique<CourseSequencer>(*stage.plan, inputs.activations, course);
  summary.bands = static_cast<int>(sequencer->bands().size());
  summary.notes.push_back("core profile: " + profile.summary());
  for (const std::string& line : sequencer->describe_checks()) summary.notes.push_back(line);
  stage.sequencer = std::move(sequencer);
  stage.scoreboard = std::make_unique<Scoreboard>(*stage.golden, relu, inputs.name);
}

// Per (band, oc_tile, ic_tile) pass, xmem's one port carries the pass's operations
// (WsPlan::pass_xmem_ops); pmem's one port carries the psum writes (9 * Nb, twice that
// for read-add-write of every ic tile after the first). The sequencer overlaps the two ports,
// so a pass costs the busier one. After a band's ic tiles, the SFP reads 9 psums per output
// position (plus its init and the ReLU read).
long long ws_cycles(const golden::ArrayShape& array, const golden::LayerShape& shape) {
  const golden::ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  const golden::WeightTensor weights(shape.out_ch, shape.in_ch);
  const WsPlan plan(array, shape, activations, weights);
  const golden::Tiling& tiling = plan.tiling();
  const long long kij = golden::kKijCount;
  long long cycles = 0;
  for (std::size_t b = 0; b < plan.bands().size(); ++b) {
    const RowBand& band = plan.bands()[b];
    cycles += static_cast<long long>(plan.activation_write_count(static_cast<int>(b)));
    const long long output_positions = static_cast<long long>(band.output_rows()) * shape.width;
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
        const long long xmem = plan.pass_xmem_ops(band);
        const long long pmem = kij * band.nij_count * (ic_tile == 0 ? 1 : 2);
        cycles += std::max(xmem, pmem);
      }
      cycles += output_positions * (kij + 1);
    }
  }
  return cycles;
}

class WsDataflow final : public DataflowStrategy {
 public:
  const char* name() const override { return "ws"; }
  const char* title() const override { return "weight-stationary"; }
  const char* help() const override { return "weight-stationary, the course's"; }
  golden::Dataflow golden_dataflow() const override {
    return golden::Dataflow::WeightStationary;
  }
  bool runs_on_user_cores() const override { return true; }

  std::unique_ptr<DataflowStage> make_stage(const StageContext& context) const override {
    const LayerInputs& inputs = context.inputs;
    RunSummary& summary = context.summary;
    auto stage = std::make_unique<WsStage>(*this);
    stage->golden =
        golden::run_ws_model(inputs.shape, inputs.array, inputs.activations, inputs.weights);
    if (stage->golden->overflow.any()) {
      summary.notes.push_back(fmt::format(
          "{} outputs and {} single psums wrap at psum_bw = {} bits (the exact sums differ); "
          "the hardware and the golden model both wrap",
          stage->golden->overflow.outputs.size(), stage->golden->overflow.wrapped_psums,
          inputs.array.psum_bw));
    }
    stage->plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights);
    summary.tiling = stage->plan->tiling();
    summary.bands = static_cast<int>(stage->plan->bands().size());
    summary.useful_macs += stage->plan->useful_macs();
    stage->relu = inputs.relu;
    if (context.options.course_flow) {
      use_course_flow(*stage, context);
      return stage;
    }
    WsSequencerOptions sequencer_options = context.options.sequencer;
    sequencer_options.relu = inputs.relu;
    if (context.reset_cycles >= 0) sequencer_options.reset_cycles = context.reset_cycles;
    stage->sequencer = std::make_unique<WsSequencer>(*stage->plan, sequencer_options);
    stage->scoreboard = std::make_unique<Scoreboard>(*stage->golden, inputs.relu, inputs.name,
                                                     &context.direct);
    return stage;
  }

  std::string describe_layer(const RunSummary& s) const override {
    return fmt::format("{}->{} channels, {}x{} map, {} nij, {} ic x {} oc tiles{}", s.shape.in_ch,
                       s.shape.out_ch, s.shape.height, s.shape.width, s.shape.nij_count(),
                       s.tiling.ic_tiles, s.tiling.oc_tiles,
                       s.bands > 1 ? fmt::format(", {} row bands", s.bands) : std::string());
  }
  long long predicted_cycles(const golden::ArrayShape& array,
                             const golden::LayerShape& shape) const override {
    return ws_cycles(array, shape);
  }
};

}  // namespace

const DataflowStrategy& ws_dataflow() {
  static const WsDataflow dataflow;
  return dataflow;
}

}  // namespace tb
