// Unit test of l0.v and ififo.v: registered read enables, lane k read 1 + k cycles after the request, streaming writes and reads, underflow.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class L0Test : public ::testing::Test {};
TYPED_TEST_SUITE(L0Test, UnitModels);

TYPED_TEST(L0Test, RowReadsFollowTheSystolicSkew) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_skewed_lanes<L0Lanes>(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

TYPED_TEST(L0Test, IfifoColumnReadsFollowTheColumnSkew) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_skewed_lanes<IfifoLanes>(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked: one word with lane r = r % 16 written, then one read request at cycle 0:
// the read enables are registers, so row 3 shows 3 exactly at cycle 1 + 3 = 4 and 0 before
// and after.
TYPED_TEST(L0Test, RowThreeSeesItsWordFourCyclesLate) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  bench.reset();
  for (int r = 0; r < bench.shape().row; ++r) set_lane(top.l0_in, r, 4, r % 16);
  top.l0_wr = 1;
  bench.tick();
  top.l0_wr = 0;
  top.l0_rd = 1;
  for (int cycle = 0; cycle < 7; ++cycle) {
    bench.eval();
    EXPECT_EQ(lane(top.l0_out, 3, 4), cycle == 4 ? 3U : 0U) << "cycle " << cycle;
    EXPECT_EQ(get_bit(top.l0_rd_row, 3), cycle == 4) << "cycle " << cycle;
    bench.tick();
    top.l0_rd = 0;
  }
  EXPECT_FALSE(bench.rtl_error());
}

}  // namespace
}  // namespace rtl_test
