// Unit test of sfp.v: accumulation over 9 pmem reads with wrap, ReLU of negative and positive sums, the pmem read-add-write adder.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class SfpTest : public ::testing::Test {};
TYPED_TEST_SUITE(SfpTest, UnitModels);

TYPED_TEST(SfpTest, AccumulatesNineReadsWithWrap) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_sfp_accumulate(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

TYPED_TEST(SfpTest, ReluClampsNegativeSumsAndBypassShowsThem) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_sfp_relu(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked: 9 reads of 100, -300, 7, -1, 0, 50, -20, 1000, -900 sum to -64: ReLU shows 0,
// bypass shows -64; one more read of 100 makes 36 on both.
TYPED_TEST(SfpTest, HandWorkedNineReadSum) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  const int col = bench.shape().col;
  bench.reset();
  const auto acc = [&](int value, bool init, bool bypass) {
    for (int c = 0; c < col; ++c) set_lane(top.sfp_psum_in, c, 16, value & 0xFFFF);
    top.sfp_acc = 1;
    top.sfp_init = init;
    top.sfp_relu_bypass = bypass;
    bench.tick();
    top.sfp_acc = 0;
    bench.eval();
  };
  const int reads[] = {100, -300, 7, -1, 0, 50, -20, 1000, -900};
  for (int i = 0; i < 9; ++i) acc(reads[i], i == 0, false);
  EXPECT_EQ(as_signed(lane(top.sfp_out, col - 1, 16), 16), 0);
  acc(0, false, true);
  EXPECT_EQ(as_signed(lane(top.sfp_out, 0, 16), 16), -64);
  acc(100, false, false);
  EXPECT_EQ(as_signed(lane(top.sfp_out, 0, 16), 16), 36);
}

}  // namespace
}  // namespace rtl_test
