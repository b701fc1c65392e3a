// Unit test of ofifo.v: o_valid only when every column holds a word, one read pops all columns in order.
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

}  // namespace
}  // namespace rtl_test
