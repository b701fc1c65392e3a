// Unit test of mac_tile.v: weight-stationary load then execute, output-stationary accumulate and drain.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class MacTileTest : public ::testing::Test {};
TYPED_TEST_SUITE(MacTileTest, UnitModels);

TYPED_TEST(MacTileTest, LoadKeepsFirstWordThenExecuteAddsPsumFromNorth) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_tile_weight_stationary(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

TYPED_TEST(MacTileTest, OutputStationaryAccumulatesThenDrainsSouth) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_tile_output_stationary(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked: weight -3 loaded, then a = 15 with psum 100 from the north: 15 * -3 + 100 = 55,
// one edge after the execute, and the activation leaves east in the same cycle.
TYPED_TEST(MacTileTest, HandWorkedPsumOneEdgeAfterExecute) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  bench.reset();
  top.tile_in_w = 0b1101;  // -3
  top.tile_inst_w = pe::kLoad;
  bench.tick();
  top.tile_in_w = 15;
  top.tile_in_n = 100;
  top.tile_inst_w = pe::kExecute;
  bench.eval();
  EXPECT_FALSE(top.tile_valid_s) << "valid before the execute edge";
  bench.tick();
  EXPECT_TRUE(top.tile_valid_s);
  EXPECT_EQ(as_signed(top.tile_out_s, 16), 55);
  EXPECT_EQ(top.tile_out_e, 15);
}

}  // namespace
}  // namespace rtl_test
