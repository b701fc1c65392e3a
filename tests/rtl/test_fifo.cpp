// Unit test of fifo.v: order, full/empty, simultaneous read and write, overflow and underflow, pointer wrap.
#include <gtest/gtest.h>

#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class FifoTest : public ::testing::Test {};
TYPED_TEST_SUITE(FifoTest, UnitModels);

TYPED_TEST(FifoTest, KeepsOrderFlagsAndSimultaneousReadWrite) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_fifo(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

// Hand-worked: 0x1234 then 0xABCD in, the head is 0x1234 until it is popped.
TYPED_TEST(FifoTest, HeadIsOldestWordUntilPopped) {
  Bench<TypeParam> bench;
  auto& top = bench.top();
  bench.reset();
  EXPECT_TRUE(top.fifo_empty);
  top.fifo_wr = 1;
  top.fifo_in = 0x1234;
  bench.tick();
  top.fifo_in = 0xABCD;
  bench.tick();
  top.fifo_wr = 0;
  bench.eval();
  EXPECT_FALSE(top.fifo_empty);
  EXPECT_EQ(top.fifo_out, 0x1234);
  top.fifo_rd = 1;
  bench.tick();
  EXPECT_EQ(top.fifo_out, 0xABCD);
  bench.tick();
  top.fifo_rd = 0;
  bench.eval();
  EXPECT_TRUE(top.fifo_empty);
  EXPECT_FALSE(bench.rtl_error());
}

}  // namespace
}  // namespace rtl_test
