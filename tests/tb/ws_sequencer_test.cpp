// Tests of the WS sequencer's bus stream against rtl/README.md's timing rules, without the RTL.
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "tb/errors.hpp"
#include "tb/ws_sequencer.hpp"
#include "test_layer.hpp"

namespace {

using namespace tb;
using tb_test::Layer;

// The stream a sequencer produces, replayed against the course contract's FIFO timing
// (DESIGN.md 3a): an l0_rd at t pops row r at edge t + 1 + r; a word written at an edge is
// readable from the next cycle; an execute at t completes its OFIFO word (every column) at edge
// t + row + col; an ofifo_rd at t pops at edge t + 1.
struct Replay {
  std::vector<SequencedCycle> cycles;
  int max_l0 = 0;
  int max_ofifo = 0;
  int l0_underflows = 0;
  int ofifo_underflows = 0;
  bool finished = false;
};

Replay replay(const WsPlan& plan, const WsSequencerOptions& options) {
  WsSequencer sequencer(plan, options);
  const int row = plan.array().row;
  const int col = plan.array().col;
  Replay result;
  std::vector<int> l0(static_cast<std::size_t>(row), 0);
  std::set<long> l0_reads;
  std::map<long, int> arrivals;
  int ofifo = 0;
  bool ofifo_rd_last_cycle = false;
  Observation seen;
  for (long t = 0; t < 200000 && !sequencer.done(); ++t) {
    const SequencedCycle step = sequencer.next(seen);
    result.cycles.push_back(step);
    const std::uint64_t bits = step.bus.inst;
    if (inst::get(bits, inst::kL0Rd) != 0) l0_reads.insert(t);
    for (int r = 0; r < row; ++r) {
      if (l0_reads.count(t - 1 - r) != 0) {
        if (l0[static_cast<std::size_t>(r)] == 0) {
          ++result.l0_underflows;
        } else {
          --l0[static_cast<std::size_t>(r)];
        }
      }
    }
    if (inst::get(bits, inst::kL0Wr) != 0) {
      for (int& count : l0) result.max_l0 = std::max(result.max_l0, ++count);
    }
    if (inst::get(bits, inst::kExecute) != 0) ++arrivals[t + row + col];
    if (ofifo_rd_last_cycle) {
      if (ofifo == 0) {
        ++result.ofifo_underflows;
      } else {
        --ofifo;
      }
    }
    ofifo_rd_last_cycle = inst::get(bits, inst::kOfifoRd) != 0;
    ofifo += arrivals[t];
    result.max_ofifo = std::max(result.max_ofifo, ofifo);
    seen.ofifo_valid = ofifo > 0;
  }
  result.finished = sequencer.done();
  return result;
}

bool xmem_read(std::uint64_t bits) {
  return inst::get(bits, inst::kCenXmem) == 0 && inst::get(bits, inst::kWenXmem) == 1;
}
bool pmem_read(std::uint64_t bits) {
  return inst::get(bits, inst::kCenPmem) == 0 && inst::get(bits, inst::kWenPmem) == 1;
}
bool pmem_write(std::uint64_t bits) {
  return inst::get(bits, inst::kCenPmem) == 0 && inst::get(bits, inst::kWenPmem) == 0;
}

TEST(WsSequencer, EveryL0WriteCapturesTheXmemWordReadOneCycleEarlier) {
  const Layer layer(8, {8, 8, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  int writes = 0;
  for (std::size_t t = 1; t < run.cycles.size(); ++t) {
    const bool l0_wr = inst::get(run.cycles[t].bus.inst, inst::kL0Wr) != 0;
    EXPECT_EQ(l0_wr, xmem_read(run.cycles[t - 1].bus.inst)) << "cycle " << t;
    writes += l0_wr ? 1 : 0;
  }
  EXPECT_EQ(writes, 9 * (8 + 36));  // per kij: col weight words, then the 36 nij
}

TEST(WsSequencer, KernelLoadsAreExactlyColConsecutiveCyclesWithL0Reads) {
  const Layer layer(8, {16, 16, 4, 4});  // 2 ic x 2 oc tiles
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  std::vector<int> bursts;
  int length = 0;
  for (const SequencedCycle& cycle : run.cycles) {
    const bool load = inst::get(cycle.bus.inst, inst::kLoad) != 0;
    if (load) {
      EXPECT_NE(inst::get(cycle.bus.inst, inst::kL0Rd), 0U);
      ++length;
    } else if (length > 0) {
      bursts.push_back(length);
      length = 0;
    }
  }
  ASSERT_EQ(bursts.size(), 9U * 2 * 2);
  for (int burst : bursts) EXPECT_EQ(burst, 8);
}

TEST(WsSequencer, ExecutesEachNijOncePerKijAndPass) {
  const Layer layer(8, {16, 16, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  int executes = 0;
  for (const SequencedCycle& cycle : run.cycles) {
    if (inst::get(cycle.bus.inst, inst::kExecute) != 0) {
      EXPECT_NE(inst::get(cycle.bus.inst, inst::kL0Rd), 0U);
      ++executes;
    }
  }
  EXPECT_EQ(executes, 2 * 2 * 9 * 36);
  EXPECT_EQ(run.l0_underflows, 0);
  EXPECT_EQ(run.ofifo_underflows, 0);
}

TEST(WsSequencer, AccumulateReadsFollowTheNotebookNijMapping) {
  // o_nij 5 of a 4x4 map: oy 1, ox 1, so nij = 1*6 + 1 = 7 plus (kij/3)*6 + kij%3.
  const int expected_nij[9] = {7, 8, 9, 13, 14, 15, 19, 20, 21};
  const Layer layer(8, {8, 8, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  std::vector<int> terms;  // pmem addresses of the current sum, in acc order
  bool found = false;
  for (std::size_t t = 1; t < run.cycles.size(); ++t) {
    const std::uint64_t bits = run.cycles[t].bus.inst;
    if (inst::get(bits, inst::kAcc) == 0 || inst::get(bits, inst::kReluBypass) != 0) continue;
    const std::uint64_t previous = run.cycles[t - 1].bus.inst;
    ASSERT_TRUE(pmem_read(previous)) << "acc without a pmem read in the cycle before, cycle " << t;
    if (inst::get(bits, inst::kSfpInit) != 0) terms.clear();
    terms.push_back(static_cast<int>(inst::get(previous, inst::kAPmem)));
    const Expectation& expect = run.cycles[t].expect;
    if (expect.kind == Expectation::Kind::Output && expect.o_nij == 5) {
      ASSERT_EQ(terms.size(), 9U);
      for (int kij = 0; kij < 9; ++kij) EXPECT_EQ(terms[static_cast<std::size_t>(kij)], kij * 36 + expected_nij[kij]);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(WsSequencer, ReadbackReadsEveryPsumAddressOnceThroughTheSfp) {
  const Layer layer(8, {8, 8, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  std::map<int, int> reads;
  for (std::size_t t = 1; t < run.cycles.size(); ++t) {
    const Expectation& expect = run.cycles[t].expect;
    if (expect.kind != Expectation::Kind::Psum) continue;
    const std::uint64_t bits = run.cycles[t].bus.inst;
    EXPECT_NE(inst::get(bits, inst::kAcc), 0U);
    EXPECT_NE(inst::get(bits, inst::kSfpInit), 0U);
    EXPECT_NE(inst::get(bits, inst::kReluBypass), 0U);
    EXPECT_EQ(static_cast<int>(inst::get(run.cycles[t - 1].bus.inst, inst::kAPmem)), expect.pmem_address);
    EXPECT_EQ(expect.pmem_address, expect.kij * 36 + expect.nij);
    ++reads[expect.pmem_address];
  }
  ASSERT_EQ(reads.size(), 324U);
  for (const auto& [address, count] : reads) EXPECT_EQ(count, 1) << "pmem " << address;
}

TEST(WsSequencer, SecondInputChannelTileAccumulatesInPlace) {
  const Layer layer(8, {16, 8, 4, 4});  // 2 ic tiles
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  const Replay run = replay(plan, {});
  ASSERT_TRUE(run.finished);
  int plain = 0;
  int accumulating = 0;
  for (std::size_t t = 1; t < run.cycles.size(); ++t) {
    const std::uint64_t bits = run.cycles[t].bus.inst;
    if (!pmem_write(bits)) continue;
    // The OFIFO read enable is a register: the word written now was popped by the ofifo_rd of
    // the cycle before.
    const std::uint64_t previous = run.cycles[t - 1].bus.inst;
    EXPECT_NE(inst::get(previous, inst::kOfifoRd), 0U) << "cycle " << t;
    if (inst::get(bits, inst::kPmemAcc) != 0) {
      // read-add-write: the same address was read in the cycle before
      ASSERT_TRUE(pmem_read(previous));
      EXPECT_EQ(inst::get(previous, inst::kAPmem), inst::get(bits, inst::kAPmem));
      ++accumulating;
    } else {
      ++plain;
    }
  }
  EXPECT_EQ(plain, 9 * 36);
  EXPECT_EQ(accumulating, 9 * 36);
}

TEST(WsSequencer, FifosStayWithinTheirDepths) {
  const Layer layer(8, {16, 8, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  WsSequencerOptions options;
  options.l0_depth = 12;
  options.ofifo_depth = 3;
  const Replay run = replay(plan, options);
  ASSERT_TRUE(run.finished);
  EXPECT_LE(run.max_l0, 12);
  EXPECT_LE(run.max_ofifo, 3);
  EXPECT_EQ(run.l0_underflows, 0);
  EXPECT_EQ(run.ofifo_underflows, 0);
}

TEST(WsSequencer, RefusesAnL0ShallowerThanAKernel) {
  const Layer layer(8, {8, 8, 4, 4});
  const WsPlan plan(layer.array, layer.shape, layer.activations, layer.weights);
  WsSequencerOptions options;
  options.l0_depth = 7;
  EXPECT_THROW(WsSequencer(plan, options), UsageError);
}

}  // namespace
