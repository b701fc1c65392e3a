// Unit test of mac_array.v: random weight-stationary tiles and output-stationary groups against the golden model, with the documented latencies.
#include <gtest/gtest.h>

#include "array_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

template <class Top>
class MacArrayTest : public ::testing::Test {};
TYPED_TEST_SUITE(MacArrayTest, UnitModels);

TYPED_TEST(MacArrayTest, RandomTilesMatchGoldenPsums) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_array_weight_stationary(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

TYPED_TEST(MacArrayTest, OutputStationaryGroupsMatchGoldenAndDrainBottomRowFirst) {
  Bench<TypeParam> bench;
  const Mismatches mismatches = check_array_output_stationary(bench);
  EXPECT_TRUE(mismatches.empty()) << mismatches.summary();
}

}  // namespace
}  // namespace rtl_test
