// Unit test of mac.v: a*b + c for every pair of 4-bit inputs, with psum wrap.
#include <bitset>

#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class MacTest : public ::testing::Test {};
TYPED_TEST_SUITE(MacTest, UnitModels);

TYPED_TEST(MacTest, MatchesProductPlusPsumForAllInputPairs) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_mac_exhaustive(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked corners, independent of the loop above: 15 * -8 = -120; 15 * 7 + 32767 wraps to
// -32664; 15 * -8 + -32768 wraps to 32648; the weight 0b1000 is -8, never +8.
TYPED_TEST(MacTest, HandWorkedCornersIncludingWrap) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  struct Case {
    int a, b_bits, c;
    std::int32_t expected;
  };
  for (const Case& k : {Case{15, 0b1000, 0, -120}, Case{15, 0b0111, 32767, -32664},
                        Case{15, 0b1000, -32768, 32648}, Case{1, 0b1111, 0, -1},
                        Case{0, 0b1000, 1234, 1234}, Case{15, 0b1111, 15, 0}}) {
    top.mac_a = static_cast<std::uint8_t>(k.a);
    top.mac_b = static_cast<std::uint8_t>(k.b_bits);
    top.mac_c = static_cast<std::uint16_t>(k.c);
    bench.eval();
    EXPECT_EQ(as_signed(top.mac_out, 16), k.expected)
        << "a=" << k.a << " b=0b" << std::bitset<4>(k.b_bits) << " c=" << k.c;
  }
}

}  // namespace
}  // namespace rtl_test
