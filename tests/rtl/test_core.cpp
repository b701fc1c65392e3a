// The core through its instruction bus, on the course's cycle contract (DESIGN.md 3a): WS layers with in-place ic-tile accumulation, OS groups, independence from the initial state.
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core_bus.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class CoreTest : public ::testing::Test {};
TYPED_TEST_SUITE(CoreTest, UnitModels);

void fill_random(golden::ActivationTensor& activations, golden::WeightTensor& weights,
                 unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> activation(0, 15);
  std::uniform_int_distribution<int> weight(-8, 7);
  for (auto& a : activations.data()) a = static_cast<std::uint8_t>(activation(rng));
  for (auto& w : weights.data()) w = static_cast<std::int8_t>(weight(rng));
}

// Collects the first mismatches of one run.
class Report {
 public:
  void check(std::int64_t got, std::int64_t expected, const std::string& where) {
    if (got == expected) return;
    if (++errors_ <= 12) text_ += fmt::format("{}: got {}, expected {}\n", where, got, expected);
  }
  void fail(const std::string& what) {
    if (++errors_ <= 12) text_ += what + "\n";
  }
  std::string text() const {
    return errors_ == 0 ? "" : fmt::format("{} mismatches\n{}", errors_, text_);
  }

 private:
  int errors_ = 0;
  std::string text_;
};

// One WS pass (one ic tile, one kij) through the bus: the weights and the activations streamed
// from xmem into the L0, `col` load cycles, every nij executed right after the last load
// cycle, the OFIFO moved into pmem[pmem_base + nij] from the first cycle the contract allows
// (CoreBus::move_ofifo_to_pmem: ofifo_rd as soon as the word is in every column, the pmem
// write one cycle later), written as is or (accumulate_in_place) added to what pmem holds.
// CoreBus checks ofifo_valid in every cycle against the exact cycles of DESIGN.md 3a.
template <class Top>
void ws_pass(CoreBus<Top>& bus, const Shape& shape, int weight_base, int activation_base,
             int nij_count, int pmem_base, bool accumulate_in_place, Report& report) {
  std::vector<int> addresses;
  for (int c = 0; c < shape.col; ++c) addresses.push_back(weight_base + c);
  for (int nij = 0; nij < nij_count; ++nij) addresses.push_back(activation_base + nij);
  bus.fill_from_xmem(addresses, inst_bit::kL0Wr);

  int written = 0;
  for (int k = 0; k < shape.col + nij_count; ++k) {
    Inst inst;
    inst.set(inst_bit::kL0Rd).set(k < shape.col ? inst_bit::kLoad : inst_bit::kExecute);
    if (k >= shape.col) bus.expect_ofifo_word();
    written = bus.move_ofifo_to_pmem(inst, pmem_base, nij_count, accumulate_in_place, written);
    bus.cycle(inst);
  }
  // The last psum is complete row + col cycles after its execute; two cycles a word at most.
  for (int wait = 0; written < nij_count && wait < 2 * nij_count + shape.row + shape.col + 2;
       ++wait) {
    Inst inst;
    written = bus.move_ofifo_to_pmem(inst, pmem_base, nij_count, accumulate_in_place, written);
    bus.cycle(inst);
  }
  if (written != nij_count) report.fail(fmt::format("only {} of {} psums left the OFIFO", written, nij_count));
  if (bus.ofifo_valid()) report.fail("ofifo_valid still high after the pass");
}

// A whole layer of `ic_tiles` x row input channels and col output channels: every kij,
// ic tiles accumulated in pmem, then every psum and every output read back through the SFP
// and compared with the golden model.
template <class Top>
std::string run_ws_layer(Bench<Top>& bench, int ic_tiles, int size, unsigned seed) {
  const Shape& shape = bench.shape();
  const golden::ArrayShape array{shape.row, shape.col, shape.bw, shape.psum_bw};
  const golden::LayerShape layer{ic_tiles * shape.row, shape.col, size, size};
  golden::ActivationTensor activations(layer.in_ch, layer.height, layer.width);
  golden::WeightTensor weights(layer.out_ch, layer.in_ch);
  fill_random(activations, weights, seed);
  const golden::WsResult expected = golden::run_ws_model(layer, array, activations, weights);
  const int nij_count = layer.nij_count();
  const auto activation_base = [&](int tile) { return tile * 128; };
  const auto weight_base = [&](int tile, int kij) { return 1024 + (tile * 9 + kij) * shape.col; };
  const auto psum_address = [&](int kij, int nij) { return kij * nij_count + nij; };

  Report report;
  CoreBus<Top> bus(bench);
  bench.reset();
  for (int tile = 0; tile < ic_tiles; ++tile) {
    for (int nij = 0; nij < nij_count; ++nij) {
      std::vector<int> lanes(shape.row);
      for (int r = 0; r < shape.row; ++r) lanes[r] = activations.padded(tile * shape.row + r, nij);
      bus.write_xmem(activation_base(tile) + nij, lanes);
    }
    for (int kij = 0; kij < golden::kKijCount; ++kij) {
      for (int c = 0; c < shape.col; ++c) {
        std::vector<int> lanes(shape.row);
        for (int r = 0; r < shape.row; ++r) lanes[r] = weights.at(c, tile * shape.row + r, kij);
        bus.write_xmem(weight_base(tile, kij) + c, lanes);
      }
    }
  }
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int tile = 0; tile < ic_tiles; ++tile) {
      ws_pass(bus, shape, weight_base(tile, kij), activation_base(tile), nij_count,
              psum_address(kij, 0), tile > 0, report);
    }
  }

  // Every psum (summed over the ic tiles), raw through the SFP.
  std::vector<std::vector<int>> single;
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int nij = 0; nij < nij_count; ++nij) single.push_back({psum_address(kij, nij)});
  }
  const auto psums = bus.sfp_sums(single, true);
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int nij = 0; nij < nij_count; ++nij) {
      for (int c = 0; c < shape.col; ++c) {
        report.check(psums[kij * nij_count + nij][c], expected.psum_over_ic_tiles(0, kij, nij, c),
                     fmt::format("psum kij {} nij {} col {}", kij, nij, c));
      }
    }
  }

  // Every output: 9 psums accumulated, with ReLU and raw.
  std::vector<std::vector<int>> terms;
  for (int o_nij = 0; o_nij < layer.o_nij_count(); ++o_nij) {
    std::vector<int> addresses;
    for (int kij = 0; kij < golden::kKijCount; ++kij) {
      addresses.push_back(psum_address(kij, golden::nij_for(layer, o_nij, kij)));
    }
    terms.push_back(addresses);
  }
  const auto relu = bus.sfp_sums(terms, false);
  const auto raw = bus.sfp_sums(terms, true);
  for (int o_nij = 0; o_nij < layer.o_nij_count(); ++o_nij) {
    for (int c = 0; c < shape.col; ++c) {
      report.check(relu[o_nij][c], expected.relu.at(c, o_nij), fmt::format("relu o_nij {} col {}", o_nij, c));
      report.check(raw[o_nij][c], expected.sum.at(c, o_nij), fmt::format("sum o_nij {} col {}", o_nij, c));
    }
  }
  if (!bus.ofifo_valid_mismatches().empty()) report.fail(bus.ofifo_valid_mismatches().summary());
  if (bench.rtl_error()) report.fail("RTL assertion error");
  return report.text();
}

TYPED_TEST(CoreTest, WeightStationaryLayerMatchesGoldenPsumsAndOutputs) {
  Bench<TypeParam> bench;
  EXPECT_EQ(run_ws_layer(bench, 1, 4, 31), "");
}

TYPED_TEST(CoreTest, InPlaceAccumulationSumsInputChannelTiles) {
  Bench<TypeParam> bench;
  EXPECT_EQ(run_ws_layer(bench, 2, 3, 47), "");
}

// Uninitialised state randomised (Verilator --x-initial unique, randReset 2) with different
// seeds: after reset the results are the golden ones every time.
TYPED_TEST(CoreTest, ResultsDoNotDependOnInitialState) {
  for (int seed : {1, 2, 3}) {
    Bench<TypeParam> bench(BenchOptions{2, seed});
    EXPECT_EQ(run_ws_layer(bench, 1, 3, 53), "") << "seed " << seed;
  }
}

// The check above is only meaningful if the initial state really differs between seeds:
// before reset, the SFP sums (and so sfp_out) hold the seed's random values; after reset, 0.
TYPED_TEST(CoreTest, RandomInitialStateDiffersBetweenSeedsUntilReset) {
  Bench<TypeParam> first(BenchOptions{2, 1});
  Bench<TypeParam> second(BenchOptions{2, 2});
  const int col = first.shape().col;
  const auto lanes = [&](Bench<TypeParam>& bench) {
    bench.eval();
    std::vector<std::uint32_t> values(col);
    for (int c = 0; c < col; ++c) values[c] = lane(bench.top().core_sfp_out, c, 16);
    return values;
  };
  EXPECT_NE(lanes(first), lanes(second));
  first.reset();
  second.reset();
  EXPECT_EQ(lanes(first), std::vector<std::uint32_t>(col, 0));
  EXPECT_EQ(lanes(second), std::vector<std::uint32_t>(col, 0));
}

// Output-stationary groups through the bus: a WS pass first (it leaves psums in the PEs), then
// per group the activations into the L0 and the weights into the IFIFO, one step per cycle,
// `row` drain cycles right after, the OFIFO (bottom row first) into pmem, read back raw.
TYPED_TEST(CoreTest, OutputStationaryGroupsMatchGolden) {
  Bench<TypeParam> bench;
  const Shape& shape = bench.shape();
  if (shape.col > shape.row) GTEST_SKIP() << "IFIFO lanes come from the row-wide xmem word";
  const golden::ArrayShape array{shape.row, shape.col, shape.bw, shape.psum_bw};
  const golden::LayerShape layer{3, shape.col, 5, 5};
  golden::ActivationTensor activations(layer.in_ch, layer.height, layer.width);
  golden::WeightTensor weights(layer.out_ch, layer.in_ch);
  fill_random(activations, weights, 61);
  const int steps = layer.in_ch * golden::kKijCount;

  Report report;
  CoreBus<TypeParam> bus(bench);
  bench.reset();

  // WS prelude: a kernel and three nij, popped into pmem 1000.. and not looked at again.
  for (int k = 0; k < shape.col + 3; ++k) bus.write_xmem(2000 + k, std::vector<int>(shape.row, 7 - k % 16));
  std::vector<int> prelude;
  for (int k = 0; k < shape.col + 3; ++k) prelude.push_back(2000 + k);
  bus.fill_from_xmem(prelude, inst_bit::kL0Wr);
  for (int k = 0; k < shape.col + 3; ++k) {
    if (k >= shape.col) bus.expect_ofifo_word();
    bus.cycle(Inst().set(inst_bit::kL0Rd).set(k < shape.col ? inst_bit::kLoad : inst_bit::kExecute));
  }
  for (int written = 0, wait = 0; written < 3 && wait < 100; ++wait) {
    Inst inst;
    written = bus.move_ofifo_to_pmem(inst, 1000, 3, false, written);
    bus.cycle(inst);
  }

  for (int group = 0; group < 2; ++group) {
    const golden::OsResult os = golden::run_os_model(layer, array, activations, weights, group, 0);
    std::vector<int> activation_addresses, weight_addresses;
    for (int step = 0; step < steps; ++step) {
      const int ic = step / golden::kKijCount;
      const int kij = step % golden::kKijCount;
      std::vector<int> a(shape.row), w(shape.row, 0);
      for (int r = 0; r < shape.row; ++r) a[r] = os.activation(ic, kij, r);
      for (int c = 0; c < shape.col; ++c) w[c] = os.weight(ic, kij, c);
      bus.write_xmem(group * 64 + step, a);
      bus.write_xmem(1024 + step, w);
      activation_addresses.push_back(group * 64 + step);
      weight_addresses.push_back(1024 + step);
    }
    bus.fill_from_xmem(activation_addresses, inst_bit::kL0Wr);
    bus.fill_from_xmem(weight_addresses, inst_bit::kIfifoWr);
    for (int step = 0; step < steps; ++step) {
      bus.cycle(Inst().set(inst_bit::kL0Rd).set(inst_bit::kIfifoRd).set(inst_bit::kExecute).set(inst_bit::kOs));
    }
    // Drain right after the last step; drain step d + k's word (output pixel row-1-k) is in
    // every OFIFO column from edge d + k + row + col, like a WS execute's psum.
    for (int k = 0; k < shape.row; ++k) {
      bus.expect_ofifo_word();
      bus.cycle(Inst().set(inst_bit::kOsDrain).set(inst_bit::kOs));
    }
    int popped = 0;
    for (int wait = 0; popped < shape.row && wait < 4 * (shape.row + shape.col); ++wait) {
      Inst inst;
      popped = bus.move_ofifo_to_pmem(inst, group * 64, shape.row, false, popped);
      bus.cycle(inst);
    }
    if (popped != shape.row) report.fail(fmt::format("group {}: {} drained words", group, popped));

    std::vector<std::vector<int>> single;
    for (int k = 0; k < shape.row; ++k) single.push_back({group * 64 + k});
    const auto sums = bus.sfp_sums(single, true);
    for (int k = 0; k < shape.row; ++k) {
      for (int c = 0; c < shape.col; ++c) {
        report.check(sums[k][c], os.out(shape.row - 1 - k, c),
                     fmt::format("group {} OFIFO word {} (pixel {}) col {}", group, k,
                                 shape.row - 1 - k, c));
      }
    }
  }
  if (!bus.ofifo_valid_mismatches().empty()) report.fail(bus.ofifo_valid_mismatches().summary());
  if (bench.rtl_error()) report.fail("RTL assertion error");
  EXPECT_EQ(report.text(), "");
}

}  // namespace
}  // namespace rtl_test
