// Unit test of sram.v: registered read of written words, Q held between reads, never-written reads reported.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class SramTest : public ::testing::Test {};
TYPED_TEST_SUITE(SramTest, UnitModels);

TYPED_TEST(SramTest, ReadsBackWrittenWordsAndHoldsQ) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_sram(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// The read data appears at the read's edge, not before: Q is registered.
TYPED_TEST(SramTest, ReadDataAppearsAtTheReadEdge) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  const int width = bench.shape().col * bench.shape().psum_bw;
  for (int a : {5, 6}) {
    top.sram_CEN = 0;
    top.sram_WEN = 0;
    top.sram_A = static_cast<std::uint16_t>(a);
    for (int bit = 0; bit < width; ++bit) set_bit(top.sram_D, bit, (bit % a) == 0);
    bench.tick();
  }
  top.sram_WEN = 1;
  top.sram_A = 5;
  bench.tick();  // Q = word 5
  top.sram_A = 6;
  bench.eval();
  EXPECT_TRUE(get_bit(top.sram_Q, 5)) << "Q changed before the edge of the read of 6";
  bench.tick();
  EXPECT_FALSE(get_bit(top.sram_Q, 5));
  EXPECT_TRUE(get_bit(top.sram_Q, 6));
  EXPECT_FALSE(bench.rtl_error());
}

}  // namespace
}  // namespace rtl_test
