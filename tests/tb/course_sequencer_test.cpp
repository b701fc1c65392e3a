// Tests of the course-flow sequencer's bus stream (user cores) against DESIGN.md 3a, without the RTL.
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "tb/course_sequencer.hpp"
#include "test_layer.hpp"

namespace {

using namespace tb;
using tb_test::Layer;

std::vector<SequencedCycle> stream(const Layer& layer, const CourseSequencerOptions& options) {
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  CourseSequencer sequencer(plan, layer.activations, options);
  std::vector<SequencedCycle> cycles;
  while (!sequencer.done()) cycles.push_back(sequencer.next(Observation{}));
  return cycles;
}

bool has(const SequencedCycle& cycle, InstField field) {
  return inst::get(cycle.bus.inst, field) != 0;
}
bool xmem_read(const SequencedCycle& c) {
  return !has(c, inst::kCenXmem) && has(c, inst::kWenXmem);
}
bool pmem_read(const SequencedCycle& c) {
  return !has(c, inst::kCenPmem) && has(c, inst::kWenPmem);
}
bool pmem_write(const SequencedCycle& c) {
  return !has(c, inst::kCenPmem) && !has(c, inst::kWenPmem);
}

TEST(CourseSequencer, DrivesOnlyBits33To0AndTheProfilesReluBit) {
  const Layer layer(8, {8, 8, 4, 4});
  CourseSequencerOptions options;
  for (const std::uint64_t cycle_bits : {std::uint64_t{0}, std::uint64_t{1}}) {
    options.profile.relu = cycle_bits == 0 ? CoreProfile::Relu::Always : CoreProfile::Relu::Bit;
    options.profile.relu_bit = 34;
    options.profile.inst_width = 35;
    int relu_cycles = 0;
    for (const SequencedCycle& cycle : stream(layer, options)) {
      const std::uint64_t above = cycle.bus.inst >> 34;
      EXPECT_EQ(above & ~cycle_bits, 0u);
      relu_cycles += (above & 1) != 0 ? 1 : 0;
    }
    // With bit 34, ReLU is on exactly while outputs are accumulated (9 reads + acc + compare).
    EXPECT_EQ(relu_cycles, cycle_bits == 0 ? 0 : 16 * (9 + 1 + 1));
  }
}

TEST(CourseSequencer, ConsumersFollowReadsByTheProfilesSramDelay) {
  const Layer layer(8, {8, 8, 4, 4});
  for (const bool combinational : {false, true}) {
    CourseSequencerOptions options;
    options.profile.sram_combinational = combinational;
    const std::vector<SequencedCycle> cycles = stream(layer, options);
    const std::size_t delay = combinational ? 0 : 1;
    int writes = 0;
    for (std::size_t t = delay; t < cycles.size(); ++t) {
      EXPECT_EQ(has(cycles[t], inst::kL0Wr), xmem_read(cycles[t - delay])) << "cycle " << t;
      EXPECT_EQ(has(cycles[t], inst::kAcc), pmem_read(cycles[t - delay])) << "cycle " << t;
      writes += has(cycles[t], inst::kL0Wr) ? 1 : 0;
    }
    EXPECT_EQ(writes, 9 * (8 + 16));  // per kij: col weight words, then the 16 positions' nij
  }
}

TEST(CourseSequencer, OfifoReadPrecedesEachPmemWriteAsTheProfileSays) {
  const Layer layer(8, {8, 8, 4, 4});
  for (const bool same_cycle : {false, true}) {
    CourseSequencerOptions options;
    options.profile.ofifo_same_cycle = same_cycle;
    const std::vector<SequencedCycle> cycles = stream(layer, options);
    const std::size_t delay = same_cycle ? 0 : 1;
    int reads = 0;
    for (std::size_t t = delay; t < cycles.size(); ++t) {
      EXPECT_EQ(pmem_write(cycles[t]), has(cycles[t - delay], inst::kOfifoRd)) << "cycle " << t;
      reads += has(cycles[t], inst::kOfifoRd) ? 1 : 0;
    }
    EXPECT_EQ(reads, 9 * 16);
  }
}

TEST(CourseSequencer, EveryIcTilesPsumsStayInPmemUntilTheirOutputsAreSummed) {
  // 256 -> 8 channels on 8x8: 32 ic tiles, 288 psum words per output position.
  const Layer layer(8, {256, 8, 4, 4});
  CourseSequencerOptions options;
  options.psum_check = CoursePsumCheck::None;
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  CourseSequencer sequencer(plan, layer.activations, options);
  int positions = 0;
  for (const CourseBand& band : sequencer.bands()) {
    EXPECT_LE(band.count * 9 * 32, 2048);
    positions += band.count;
  }
  EXPECT_EQ(positions, 16);
  EXPECT_GT(sequencer.bands().size(), 1u);
  std::set<int> written;
  int outputs = 0;
  bool resetting = false;
  std::set<int> read_since_reset;
  while (!sequencer.done()) {
    const SequencedCycle cycle = sequencer.next(Observation{});
    if (cycle.bus.reset) {
      if (!resetting) read_since_reset.clear();
      resetting = true;
      continue;
    }
    resetting = false;
    const int address = static_cast<int>(inst::get(cycle.bus.inst, inst::kAPmem));
    if (pmem_write(cycle)) written.insert(address);
    if (pmem_read(cycle)) {
      EXPECT_TRUE(written.count(address)) << "pmem " << address << " read before written";
      read_since_reset.insert(address);
    }
    if (cycle.expect.kind == Expectation::Kind::Output) {
      ++outputs;
      EXPECT_EQ(read_since_reset.size(), 9u * 32u);  // distinct words, one per (ic tile, kij)
    }
  }
  EXPECT_EQ(outputs, 16);
}

}  // namespace
