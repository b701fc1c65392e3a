// Unit test of ofifo.v: o_valid only when every column holds a word, a registered read enable pops all columns in order one edge after the request.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class OfifoTest : public ::testing::Test {};
TYPED_TEST_SUITE(OfifoTest, UnitModels);

TYPED_TEST(OfifoTest, ValidOnlyWhenEveryColumnHoldsAWord) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_ofifo(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked: words 100 + c then 200 + c in every column c; ofifo_rd at cycle t leaves the
// head alone at edge t, the head during t + 1 is 100 + c (the word a pmem write at t + 1
// stores), and 200 + c is the head from edge t + 1; after a second read, o_valid falls.
TYPED_TEST(OfifoTest, ReadEnablePopsAtTheEdgeAfterTheRequest) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  const int col = bench.shape().col;
  const auto head = [&](int c) { return lane(top.ofifo_out, c, 16); };
  bench.reset();
  for (int base : {100, 200}) {
    for (int c = 0; c < col; ++c) {
      set_bit(top.ofifo_wr, c, true);
      set_lane(top.ofifo_in, c, 16, base + c);
    }
    bench.tick();
  }
  clear_port(top.ofifo_wr);
  top.ofifo_rd = 1;
  bench.tick();  // edge t: the request is registered, nothing pops
  top.ofifo_rd = 0;
  bench.eval();
  EXPECT_TRUE(top.ofifo_o_valid);
  for (int c = 0; c < col; ++c) EXPECT_EQ(head(c), 100U + c) << "column " << c << " during t + 1";
  bench.tick();  // edge t + 1: pops 100 + c
  EXPECT_TRUE(top.ofifo_o_valid);
  for (int c = 0; c < col; ++c) EXPECT_EQ(head(c), 200U + c) << "column " << c << " after the pop";
  bench.tick();  // no request in between: nothing pops
  EXPECT_TRUE(top.ofifo_o_valid);
  top.ofifo_rd = 1;
  bench.tick();
  top.ofifo_rd = 0;
  bench.eval();
  EXPECT_TRUE(top.ofifo_o_valid) << "o_valid fell at the request's edge";
  bench.tick();
  EXPECT_FALSE(top.ofifo_o_valid) << "o_valid still high after the second pop";
  EXPECT_FALSE(bench.rtl_error());
}

}  // namespace
}  // namespace rtl_test
