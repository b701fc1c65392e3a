// The output-stationary dataflow: OsPlan, the OS model per (pixel group, oc_tile) pass, OsSequencer and its scoreboard.
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "golden/os_model.hpp"
#include "tb/cosim.hpp"
#include "tb/dataflow.hpp"
#include "tb/os_plan.hpp"
#include "tb/os_sequencer.hpp"
#include "vector_files/vector_set.hpp"

namespace tb {
namespace {

class OsStage final : public DataflowStage {
 public:
  using DataflowStage::DataflowStage;

  GoldenValues golden_values() const override {
    const Scoreboard& board = *scoreboard;
    const std::vector<golden::OsResult>& passes = golden;
    GoldenValues values;
    values.sfp_out = [&board](const Expectation& expect, int column) {
      return board.expected_value(expect, column);
    };
    // A drain writes the raw sum into pmem; sfp_out may show it through ReLU.
    values.pmem_word = [&board, &passes](const Expectation& expect, int column) {
      if (expect.kind == Expectation::Kind::OsOutput) {
        return std::int64_t{
            passes.at(static_cast<std::size_t>(expect.pass)).out(expect.pixel, column)};
      }
      return board.expected_value(expect, column);
    };
    return values;
  }

  std::vector<golden::OsResult> golden;  // one per pass, in pass order
  std::optional<OsPlan> plan;
};

// Per pass, xmem's port writes each (ic, kij) step's weights (and its activations unless the
// previous pass of the same pixel group left them there) and reads both into L0 and the IFIFO;
// the PE sums then drain through pmem (written, read raw and through ReLU: 3 per pixel row).
long long os_cycles(const golden::ArrayShape& array, const golden::LayerShape& shape) {
  const golden::ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  const golden::WeightTensor weights(shape.out_ch, shape.in_ch);
  const OsPlan plan(array, shape, activations, weights, OsPlan::every_pass(shape, array));
  long long cycles = 0;
  for (std::size_t pass = 0; pass < plan.passes().size(); ++pass) {
    const long long writes_per_step = plan.activations_kept(static_cast<int>(pass)) ? 1 : 2;
    cycles += plan.steps() * (writes_per_step + 2) + 3LL * array.row;
  }
  return cycles;
}

class OsDataflow final : public DataflowStrategy {
 public:
  const char* name() const override { return "os"; }
  const char* title() const override { return "output-stationary"; }
  const char* help() const override { return "output-stationary"; }
  golden::Dataflow golden_dataflow() const override {
    return golden::Dataflow::OutputStationary;
  }
  bool runs_on_user_cores() const override { return false; }

  // The OS files hold pixel group 0 and the weights of the first col output channels.
  void fit_to_vector_set(const golden::VectorSet& set, LayerInputs& inputs) const override {
    inputs.shape.out_ch = set.weights.out_channels();
  }

  std::unique_ptr<DataflowStage> make_stage(const StageContext& context) const override {
    const LayerInputs& inputs = context.inputs;
    RunSummary& summary = context.summary;
    // Generated inputs run every pass of the layer; a set's files hold the first one.
    const std::vector<OsPass> passes = inputs.from_vector_set
                                           ? std::vector<OsPass>{OsPass{0, 0}}
                                           : OsPlan::every_pass(inputs.shape, inputs.array);
    auto stage = std::make_unique<OsStage>(*this);
    stage->plan.emplace(inputs.array, inputs.shape, inputs.activations, inputs.weights, passes);
    for (const OsPass& pass : passes) {
      stage->golden.push_back(golden::run_os_model(inputs.shape, inputs.array,
                                                   inputs.activations, inputs.weights,
                                                   pass.group, pass.oc_tile));
      if (stage->golden.back().overflowed()) {
        summary.notes.push_back(fmt::format(
            "output-stationary pass (pixel group {}, oc_tile {}) wraps at psum_bw = {} bits; "
            "the hardware and the golden model both wrap",
            pass.group, pass.oc_tile, inputs.array.psum_bw));
      }
    }
    summary.os_passes += static_cast<int>(passes.size());
    summary.tiling = golden::Tiling::of(inputs.shape, inputs.array);
    summary.useful_macs += stage->plan->useful_macs();
    // Every drained sum is checked raw (as out_os.txt holds it) and through the SFP's ReLU
    // when the layer's outputs are ReLU'd.
    OsSequencerOptions sequencer_options;
    sequencer_options.relu = inputs.relu;
    sequencer_options.check_ofifo_valid = context.options.sequencer.check_ofifo_valid;
    sequencer_options.psum_latency = context.options.sequencer.psum_latency;
    if (context.reset_cycles >= 0) sequencer_options.reset_cycles = context.reset_cycles;
    stage->sequencer = std::make_unique<OsSequencer>(*stage->plan, sequencer_options);
    stage->scoreboard = std::make_unique<Scoreboard>(inputs.array, stage->golden, inputs.relu,
                                                     inputs.name, &context.direct);
    return stage;
  }

  std::string describe_layer(const RunSummary& s) const override {
    return fmt::format("{}->{} channels, {}x{} map, output-stationary: {} passes (pixel group x "
                       "oc_tile) of {} steps",
                       s.shape.in_ch, s.shape.out_ch, s.shape.height, s.shape.width, s.os_passes,
                       s.shape.in_ch * 9);
  }
  long long predicted_cycles(const golden::ArrayShape& array,
                             const golden::LayerShape& shape) const override {
    return os_cycles(array, shape);
  }
};

}  // namespace

const DataflowStrategy& os_dataflow() {
  static const OsDataflow dataflow;
  return dataflow;
}

}  // namespace tb
