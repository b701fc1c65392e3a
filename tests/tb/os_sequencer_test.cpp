// Tests of the output-stationary sequencer's bus stream against rtl/README.md's OS rules, without the RTL.
#include <vector>

#include <gtest/gtest.h>

#include "golden/generator.hpp"
#include "tb/errors.hpp"
#include "tb/os_sequencer.hpp"

namespace {

using namespace tb;

struct Stream {
  std::vector<SequencedCycle> cycles;
  bool finished = false;
};

// Drives the sequencer with the README's OFIFO timing for the drain: drain presented at
// cycles d .. d+row-1 puts word k (PE row row-1-k) in the OFIFO at edge d + k + row + col - 1.
Stream run(const OsPlan& plan) {
  OsSequencer sequencer(plan, {});
  const int row = plan.array().row;
  const int col = plan.array().col;
  Stream stream;
  std::vector<long> arrivals;
  int ofifo = 0;
  long drain_start = -1;
  int drains = 0;
  Observation seen;
  for (long t = 0; t < 100000 && !sequencer.done(); ++t) {
    const SequencedCycle step = sequencer.next(seen);
    stream.cycles.push_back(step);
    if (inst::get(step.bus.inst, inst::kOsDrain) != 0) {
      if (drains % row == 0) drain_start = t;
      if (++drains % row == 0) {
        for (int k = 0; k < row; ++k) arrivals.push_back(drain_start + k + row + col - 1);
      }
    }
    if (inst::get(step.bus.inst, inst::kOfifoRd) != 0) --ofifo;
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

TEST(OsSequencer, RefusesMoreColumnsThanRows) {
  const golden::ArrayShape array{8, 16, 4, 16};
  const golden::LayerShape shape{8, 16, 4, 4};
  const auto activations = golden::generate_activations(shape, 4, 1);
  const auto weights = golden::generate_weights(shape, 4, 1);
  EXPECT_THROW(OsPlan(array, shape, activations, weights, OsPlan::every_pass(shape, array)),
               UsageError);
}

}  // namespace
