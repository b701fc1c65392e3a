// Unit test of sram.v: registered read address, Q held between reads and following writes to that address, never-written reads reported.
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

// The read data appears at the read's edge, not before: the read address is registered.
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

// Hand-worked: read 5, then write 6 and then 5 with no read in between: Q ignores the write
// to 6 and shows the new word 5 from the edge of its write (Q follows the registered address).
TYPED_TEST(SramTest, WriteToTheRegisteredAddressShowsOnQ) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  const auto write = [&](int address, int set_bit_index) {
    top.sram_CEN = 0;
    top.sram_WEN = 0;
    top.sram_A = static_cast<std::uint16_t>(address);
    clear_port(top.sram_D);
    set_bit(top.sram_D, set_bit_index, true);
    bench.tick();
  };
  write(5, 1);
  top.sram_WEN = 1;
  top.sram_A = 5;
  bench.tick();  // registers address 5
  write(6, 2);
  top.sram_CEN = 1;
  bench.eval();
  EXPECT_TRUE(get_bit(top.sram_Q, 1)) << "Q left word 5 on a write to 6";
  EXPECT_FALSE(get_bit(top.sram_Q, 2));
  write(5, 3);
  top.sram_CEN = 1;
  bench.eval();
  EXPECT_FALSE(get_bit(top.sram_Q, 1)) << "Q still shows the old word 5";
  EXPECT_TRUE(get_bit(top.sram_Q, 3)) << "Q does not show the word just written to 5";
  EXPECT_FALSE(bench.rtl_error());
}

}  // namespace
}  // namespace rtl_test
