// Whole runs in-process: catalog layers on the Verilated core against the golden model, limits, stimulus export.
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/error.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/ws_model.hpp"
#include "tb/cosim.hpp"
#include "tb/cycle_loop.hpp"
#include "tb/errors.hpp"

namespace {

struct CatalogCase {
  const char* model;
  int layer;
  int array;
  const char* dataflow;
};

void PrintTo(const CatalogCase& layer, std::ostream* out) {
  *out << layer.model << " features[" << layer.layer << "] on " << layer.array << "x"
       << layer.array << " (" << layer.dataflow << ")";
}

class CatalogLayer : public ::testing::TestWithParam<CatalogCase> {};

TEST_P(CatalogLayer, MatchesTheGoldenModelOnTheVerilatedCore) {
  tb::RunOptions options;
  options.model = GetParam().model;
  options.layer = GetParam().layer;
  options.array = GetParam().array;
  options.dataflow = GetParam().dataflow;
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_TRUE(summary.pass) << summary.failure;
  EXPECT_EQ(summary.mismatches, 0);
  if (std::string(GetParam().dataflow) == "ws") {
    EXPECT_GT(summary.psums, 0);
  }
  EXPECT_EQ(summary.psums, summary.expected_psums);
  EXPECT_EQ(summary.outputs, summary.expected_outputs);
  // Every output channel of every output position, padded up to whole oc tiles (and, in
  // output-stationary passes, up to whole pixel groups).
  const long long pixels = std::string(GetParam().dataflow) == "os"
                               ? (summary.shape.o_nij_count() + summary.array.row - 1) /
                                     summary.array.row * summary.array.row
                               : summary.shape.o_nij_count();
  EXPECT_EQ(summary.outputs,
            static_cast<long long>(summary.tiling.oc_tiles) * summary.array.col * pixels);
}

INSTANTIATE_TEST_SUITE_P(
    Catalog, CatalogLayer,
    ::testing::Values(CatalogCase{"vgg16_sq8", 27, 8, "ws"}, CatalogCase{"vgg16_sq8", 27, 16, "ws"},
                      CatalogCase{"vgg16_sq8", 29, 8, "ws"}, CatalogCase{"vgg16_sq8", 24, 16, "ws"},
                      // 3->64@32: 8 row bands, activations rewritten per band, 8 oc tiles
                      CatalogCase{"vgg16_sq8", 0, 8, "ws"},
                      CatalogCase{"vgg16_sq8", 27, 8, "os"}, CatalogCase{"vgg16_sq8", 27, 16, "os"},
                      CatalogCase{"vgg16_sq8", 29, 8, "os"}),
    [](const ::testing::TestParamInfo<CatalogCase>& info) {
      return std::string(info.param.model) + "_features" + std::to_string(info.param.layer) +
             "_array" + std::to_string(info.param.array) + "_" + info.param.dataflow;
    });

TEST(Cosim, Layer27ChecksEveryPsumAndEveryOutput) {
  const tb::RunSummary summary = tb::run_cosim({});
  ASSERT_TRUE(summary.pass) << summary.failure;
  EXPECT_EQ(summary.layer_name, "vgg16_sq8 features[27]");
  EXPECT_EQ(summary.psums, 9 * 36 * 8);  // 9 kij x 36 padded nij x 8 columns
  EXPECT_EQ(summary.outputs, 16 * 8);    // 4x4 outputs x 8 channels
  EXPECT_EQ(summary.useful_macs, 8LL * 8 * 9 * 36);
  std::uint64_t phases = 0;
  for (std::uint64_t cycles : summary.phase_cycles) phases += cycles;
  EXPECT_EQ(phases, summary.cycles);
  EXPECT_GT(summary.phase_cycles[static_cast<std::size_t>(tb::Phase::Execute)], 9U * 36U - 1U);
}

TEST(Cosim, DifferentSeedsGiveDifferentButPassingRuns) {
  tb::RunOptions options;
  options.seed = 99;
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_TRUE(summary.pass) << summary.failure;
  EXPECT_EQ(summary.source, "generated, seed 99");
}

// The real core with its reset stuck high, as a reset-polarity bug would leave it: it takes
// every instruction and never answers.
class StuckInReset : public tb::CoreDriver {
 public:
  explicit StuckInReset(std::unique_ptr<tb::CoreDriver> core)
      : CoreDriver(core->array()), core_(std::move(core)) {}
  void step(const tb::BusCycle& bus) override {
    tb::BusCycle stuck = bus;
    stuck.reset = true;
    core_->step(stuck);
    cycle_ = core_->cycle();
  }
  bool ofifo_valid() const override { return core_->ofifo_valid(); }
  void read_sfp_out(tb::SfpWord& words) const override { core_->read_sfp_out(words); }
  bool rtl_error() const override { return core_->rtl_error(); }
  bool trace_open() const override { return core_->trace_open(); }
  void finish() override { core_->finish(); }

 private:
  std::unique_ptr<tb::CoreDriver> core_;
};

TEST(CycleLoop, ACoreStuckInResetIsNamedAtItsFirstMissingPsumWord) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::GeneratedLayer layer = golden::generate_layer("vgg16_sq8", 27, array, 1);
  const golden::WsResult golden =
      golden::run_ws_model(layer.layer.shape, array, layer.activations, layer.weights);
  const tb::WsPlan plan(array, layer.layer.shape, layer.activations, layer.weights);
  tb::WsSequencer sequencer(plan, {});
  tb::Scoreboard scoreboard(golden, true, layer.layer.name());
  StuckInReset core(tb::make_core_driver(array, {}));
  tb::LoopLimits limits;
  limits.stall_cycles = 500;
  const tb::LoopResult result = tb::run_cycles(core, sequencer, scoreboard, limits);
  // The first execute is at cycle 127; its word is in every OFIFO column 8 + 8 cycles later.
  EXPECT_EQ(result.failure,
            "at cycle 144: ofifo_valid is low although the psum word of the instruction issued "
            "at cycle 127 should be in every OFIFO column since edge 143 (16 cycles later, "
            "DESIGN.md 3a)");
  EXPECT_EQ(scoreboard.psums_checked(), 0);
}

// A sequencer that never makes progress: the loop's watchdog must stop it and say why.
class NeverReady final : public tb::Sequencer {
 public:
  bool done() const override { return false; }
  tb::SequencedCycle next(const tb::Observation&) override { return {}; }
  std::string waiting_for(const tb::Observation&) const override { return "waiting for a word that never comes"; }
  std::string position() const override { return "nowhere"; }
  const std::string& protocol_error() const override { return none_; }
  long long expected_psums() const override { return 0; }
  long long expected_outputs() const override { return 0; }
  std::size_t work_items() const override { return 1; }

 private:
  std::string none_;
};

TEST(CycleLoop, WatchdogNamesWhatTheSequencerWaitedFor) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::GeneratedLayer layer = golden::generate_layer("vgg16_sq8", 27, array, 1);
  const golden::WsResult golden =
      golden::run_ws_model(layer.layer.shape, array, layer.activations, layer.weights);
  NeverReady sequencer;
  tb::Scoreboard scoreboard(golden, true, layer.layer.name());
  const auto core = tb::make_core_driver(array, {});
  tb::LoopLimits limits;
  limits.stall_cycles = 500;
  const tb::LoopResult result = tb::run_cycles(*core, sequencer, scoreboard, limits);
  EXPECT_EQ(result.failure, "watchdog: no progress for 500 cycles: waiting for a word that never comes");
  EXPECT_EQ(core->cycle(), 500U);
}

TEST(Cosim, CycleLimitStopsTheRunWithFail) {
  tb::RunOptions options;
  options.max_cycles = 200;
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_FALSE(summary.pass);
  EXPECT_EQ(summary.cycles, 200U);
  EXPECT_NE(summary.failure.find("cycle limit: 200 cycles"), std::string::npos) << summary.failure;
}

TEST(Cosim, UnknownLayerIsBadInput) {
  tb::RunOptions options;
  options.layer = 28;
  EXPECT_THROW(tb::run_cosim(options), golden::InputError);
}

TEST(Cosim, ArrayWithoutAModelIsAUsageErrorNamingTheBuildOption) {
  tb::RunOptions options;
  options.array = 4;
  try {
    tb::run_cosim(options);
    FAIL() << "a 4x4 run started without a 4x4 model";
  } catch (const tb::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("COSIM_EXTRA_ARRAYS=4x4"), std::string::npos)
        << error.what();
  }
}

TEST(Cosim, StimulusFileHoldsEveryAppliedCycle) {
  tb::RunOptions options;
  options.stimulus = std::string(TB_TEST_SCRATCH_DIR) + "/layer27_stimulus.txt";
  std::filesystem::create_directories(TB_TEST_SCRATCH_DIR);
  const tb::RunSummary summary = tb::run_cosim(options);
  ASSERT_TRUE(summary.pass) << summary.failure;
  std::ifstream file(options.stimulus);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), summary.cycles + 3);
  const std::string no_sfp_out(32, '0');
  // Reset with an idle instruction; the core shows an empty OFIFO and zero sums.
  EXPECT_EQ(lines[3], "0 1 01800c0000 00000000 0 " + no_sfp_out);
  EXPECT_EQ(lines[4], "1 1 01800c0000 00000000 0 " + no_sfp_out);
  // First cycle after reset: xmem write of nij 0 (padding, all rows 0) at address 0:
  // CEN/WEN_pmem high, CEN/WEN_xmem low.
  EXPECT_EQ(lines[5], "2 0 0180000000 00000000 0 " + no_sfp_out);
}

}  // namespace
