// Tests of the output-stationary sequencer's bus stream against rtl/README.md's OS rules, without the RTL.
#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "golden/generator.hpp"
#include "golden/os_model.hpp"
#include "tb/errors.hpp"
#include "tb/os_sequencer.hpp"

namespace {

using namespace tb;

struct Stream {
  std::vector<SequencedCycle> cycles;
  bool finished = false;
};

// Drives the sequencer with the course contract's OFIFO timing for the drain: drain presented
// at cycles d .. d+row-1 puts word k (PE row row-1-k) in the OFIFO at edge d + k + row + col;
// an ofifo_rd at t pops at edge t + 1.
Stream run(const OsPlan& plan, const OsSequencerOptions& options = {}) {
  OsSequencer sequencer(plan, options);
  const int row = plan.array().row;
  const int col = plan.array().col;
  Stream stream;
  std::vector<long> arrivals;
  int ofifo = 0;
  long drain_start = -1;
  int drains = 0;
  bool ofifo_rd_last_cycle = false;
  Observation seen;
  for (long t = 0; t < 100000 && !sequencer.done(); ++t) {
    const SequencedCycle step = sequencer.next(seen);
    stream.cycles.push_back(step);
    if (inst::get(step.bus.inst, inst::kOsDrain) != 0) {
      if (drains % row == 0) drain_start = t;
      if (++drains % row == 0) {
        for (int k = 0; k < row; ++k) arrivals.push_back(drain_start + k + row + col);
      }
    }
    if (ofifo_rd_last_cycle) --ofifo;
    ofifo_rd_last_cycle = inst::get(step.bus.inst, inst::kOfifoRd) != 0;
    for (long arrival : arrivals) ofifo += arrival == t ? 1 : 0;
    seen.ofifo_valid = ofifo > 0;
  }
  stream.finished = sequencer.done();
  return stream;
}

TEST(OsSequencer, EachPassIsItsStepsThenRowDrainCyclesThenRowReadbacks) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::LayerShape shape{8, 8, 4, 4};  // 16 pixels: 2 groups of 8, 72 steps each
  const auto activations = golden::generate_activations(shape, 4, 21);
  const auto weights = golden::generate_weights(shape, 4, 22);
  const OsPlan plan(array, shape, activations, weights, OsPlan::every_pass(shape, array));
  ASSERT_EQ(plan.passes().size(), 2U);
  const Stream stream = run(plan);
  ASSERT_TRUE(stream.finished);
  int executes = 0, drains = 0, l0_writes = 0, ififo_writes = 0, pops = 0;
  std::vector<int> pixels;
  for (const SequencedCycle& cycle : stream.cycles) {
    const std::uint64_t bits = cycle.bus.inst;
    if (inst::get(bits, inst::kExecute) != 0) {
      EXPECT_NE(inst::get(bits, inst::kL0Rd) & inst::get(bits, inst::kIfifoRd) &
                    inst::get(bits, inst::kOs),
                0U);
      EXPECT_EQ(drains % 8, 0) << "a step inside a drain";
      ++executes;
    }
    drains += inst::get(bits, inst::kOsDrain) != 0 ? 1 : 0;
    l0_writes += inst::get(bits, inst::kL0Wr) != 0 ? 1 : 0;
    ififo_writes += inst::get(bits, inst::kIfifoWr) != 0 ? 1 : 0;
    pops += inst::get(bits, inst::kOfifoRd) != 0 ? 1 : 0;
    if (cycle.expect.kind == Expectation::Kind::OsOutput) pixels.push_back(cycle.expect.pixel);
  }
  EXPECT_EQ(executes, 2 * 72);
  EXPECT_EQ(drains, 2 * 8);
  EXPECT_EQ(l0_writes, 2 * 72);
  EXPECT_EQ(ififo_writes, 2 * 72);
  EXPECT_EQ(pops, 2 * 8);
  // OFIFO word k is PE row 7-k: the bottom row leaves first.
  const std::vector<int> order{7, 6, 5, 4, 3, 2, 1, 0, 7, 6, 5, 4, 3, 2, 1, 0};
  EXPECT_EQ(pixels, order);
}

// With ReLU each drained word is read back twice: raw (relu_bypass) then through ReLU, read at t
// and acc+sfp_init at t+1; raw sums count as psums, ReLU readbacks as outputs.
TEST(OsSequencer, ReluLayersReadEachWordBackRawThenThroughRelu) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::LayerShape shape{8, 8, 2, 4};  // 8 pixels: one group
  const auto activations = golden::generate_activations(shape, 4, 31);
  const auto weights = golden::generate_weights(shape, 4, 32);
  const OsPlan plan(array, shape, activations, weights, OsPlan::every_pass(shape, array));
  OsSequencerOptions options;
  options.relu = true;
  const Stream stream = run(plan, options);
  ASSERT_TRUE(stream.finished);
  EXPECT_EQ(OsSequencer(plan, options).expected_psums(), 64);
  EXPECT_EQ(OsSequencer(plan, options).expected_outputs(), 64);
  std::vector<int> read_addresses;
  std::vector<std::pair<int, bool>> checks;  // (pixel, ReLU)
  for (std::size_t t = 0; t < stream.cycles.size(); ++t) {
    const std::uint64_t bits = stream.cycles[t].bus.inst;
    const bool pmem_read = inst::get(bits, inst::kCenPmem) == 0 && inst::get(bits, inst::kWenPmem) != 0;
    if (pmem_read) read_addresses.push_back(static_cast<int>(inst::get(bits, inst::kAPmem)));
    const Expectation& expect = stream.cycles[t].expect;
    if (expect.kind != Expectation::Kind::OsOutput) continue;
    checks.emplace_back(expect.pixel, expect.relu);
    EXPECT_NE(inst::get(bits, inst::kAcc) & inst::get(bits, inst::kSfpInit), 0U);
    EXPECT_EQ(inst::get(bits, inst::kReluBypass), expect.relu ? 0U : 1U) << "cycle " << t;
    // The word accumulated now was read in the previous cycle, from its OFIFO position.
    const std::uint64_t before = stream.cycles[t - 1].bus.inst;
    EXPECT_EQ(inst::get(before, inst::kCenPmem), 0U);
    EXPECT_EQ(static_cast<int>(inst::get(before, inst::kAPmem)), 7 - expect.pixel);
  }
  const std::vector<int> addresses{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
  EXPECT_EQ(read_addresses, addresses);
  std::vector<std::pair<int, bool>> order;
  for (int pixel = 7; pixel >= 0; --pixel) {
    order.emplace_back(pixel, false);
    order.emplace_back(pixel, true);
  }
  EXPECT_EQ(checks, order);
}

// The stream replayed on a model of xmem: the words l0_wr and ififo_wr push (each the word
// xmem read in the cycle before), how many xmem words were written, how many steps executed.
struct FifoWords {
  std::vector<XmemWord> to_l0;
  std::vector<XmemWord> to_ififo;
  int xmem_writes = 0;
  int executes = 0;
};

FifoWords replay_xmem(const Stream& stream) {
  FifoWords words;
  std::map<int, XmemWord> xmem;
  bool read_last_cycle = false;
  XmemWord last_read{};
  for (const SequencedCycle& cycle : stream.cycles) {
    const std::uint64_t bits = cycle.bus.inst;
    if (inst::get(bits, inst::kL0Wr) != 0) {
      EXPECT_TRUE(read_last_cycle);
      words.to_l0.push_back(last_read);
    }
    if (inst::get(bits, inst::kIfifoWr) != 0) {
      EXPECT_TRUE(read_last_cycle);
      words.to_ififo.push_back(last_read);
    }
    read_last_cycle = false;
    if (!cycle.bus.reset && inst::get(bits, inst::kCenXmem) == 0) {
      const int address = static_cast<int>(inst::get(bits, inst::kAXmem));
      EXPECT_LT(address, 2048);
      if (inst::get(bits, inst::kWenXmem) == 0) {
        xmem[address] = cycle.bus.d_xmem;
        ++words.xmem_writes;
      } else {
        EXPECT_TRUE(xmem.count(address)) << "read of unwritten xmem word " << address;
        last_read = xmem[address];
        read_last_cycle = true;
      }
    }
    words.executes += inst::get(bits, inst::kExecute) != 0 ? 1 : 0;
  }
  return words;
}

// Every pass's L0 and IFIFO words, in step order, are the OS model's per-step inputs.
void expect_os_model_inputs(const OsPlan& plan, const golden::ActivationTensor& activations,
                            const golden::WeightTensor& weights, const FifoWords& words) {
  const int steps = plan.steps();
  const std::size_t passes = plan.passes().size();
  ASSERT_EQ(words.to_l0.size(), passes * static_cast<std::size_t>(steps));
  ASSERT_EQ(words.to_ififo.size(), passes * static_cast<std::size_t>(steps));
  for (std::size_t pass = 0; pass < passes; ++pass) {
    const OsPass& at = plan.passes()[pass];
    const golden::OsResult os = golden::run_os_model(plan.shape(), plan.array(), activations,
                                                     weights, at.group, at.oc_tile);
    for (int step = 0; step < steps; ++step) {
      const std::size_t index = pass * static_cast<std::size_t>(steps) + static_cast<std::size_t>(step);
      for (int r = 0; r < plan.array().row; ++r)
        ASSERT_EQ(unsigned_lane(words.to_l0[index].data(), r, 4), os.activation(step / 9, step % 9, r))
            << "pass " << pass << " step " << step << " row " << r;
      for (int c = 0; c < plan.array().col; ++c)
        ASSERT_EQ(signed_lane(words.to_ififo[index].data(), c, 4), os.weight(step / 9, step % 9, c))
            << "pass " << pass << " step " << step << " col " << c;
    }
  }
}

// 120 input channels: 1080 steps, more than the 1024 activation words below the weights. The
// steps go through xmem in two chunks, every pass writing both again.
TEST(OsSequencer, StepsBeyondXmemStreamInChunksInStepOrder) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::LayerShape shape{120, 8, 3, 3};  // 9 pixels: groups of 8 and 1
  const auto activations = golden::generate_activations(shape, 4, 41);
  const auto weights = golden::generate_weights(shape, 4, 42);
  const OsPlan plan(array, shape, activations, weights, OsPlan::every_pass(shape, array));
  ASSERT_EQ(plan.steps(), 1080);
  ASSERT_EQ(plan.chunks(), 2);
  const Stream stream = run(plan);
  ASSERT_TRUE(stream.finished);
  const FifoWords words = replay_xmem(stream);
  EXPECT_EQ(words.executes, 2 * 1080);
  EXPECT_EQ(words.xmem_writes, 2 * 2 * 1080);
  expect_os_model_inputs(plan, activations, weights, words);
}

// 16 output channels: 2 oc tiles per pixel group. The second pass of a group finds the group's
// activations still in xmem and writes only its weights.
TEST(OsSequencer, PassesOfOneGroupWriteTheirActivationsOnce) {
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const golden::LayerShape shape{8, 16, 4, 4};  // 2 groups x 2 oc tiles, 72 steps
  const auto activations = golden::generate_activations(shape, 4, 61);
  const auto weights = golden::generate_weights(shape, 4, 62);
  const OsPlan plan(array, shape, activations, weights, OsPlan::every_pass(shape, array));
  ASSERT_EQ(plan.passes().size(), 4U);
  EXPECT_FALSE(plan.activations_kept(0));
  EXPECT_TRUE(plan.activations_kept(1));
  EXPECT_FALSE(plan.activations_kept(2));
  const Stream stream = run(plan);
  ASSERT_TRUE(stream.finished);
  const FifoWords words = replay_xmem(stream);
  EXPECT_EQ(words.executes, 4 * 72);
  EXPECT_EQ(words.xmem_writes, 2 * 72 + 4 * 72);  // activations per group, weights per pass
  expect_os_model_inputs(plan, activations, weights, words);
}

TEST(OsSequencer, RefusesMoreColumnsThanRows) {
  const golden::ArrayShape array{8, 16, 4, 16};
  const golden::LayerShape shape{8, 16, 4, 4};
  const auto activations = golden::generate_activations(shape, 4, 1);
  const auto weights = golden::generate_weights(shape, 4, 1);
  EXPECT_THROW(OsPlan(array, shape, activations, weights, OsPlan::every_pass(shape, array)),
               UsageError);
}

}  // namespace
