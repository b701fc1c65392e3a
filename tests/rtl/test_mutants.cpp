// Each deliberate fault (tests/mutants/MUTANT_*.patch applied to a copy of rtl/) is caught by its block's check, which passes on the good build: proof that the unit tests can fail.
#include <gtest/gtest.h>

#include "Vunit_mutant_fifo_ptr_wrap.h"
#include "Vunit_mutant_load_order.h"
#include "Vunit_mutant_no_sign_ext.h"
#include "Vunit_mutant_ofifo_valid_early.h"
#include "Vunit_mutant_ofifo_valid_stuck_low.h"
#include "Vunit_mutant_os_drain_order.h"
#include "Vunit_mutant_psum_stuck_bit.h"
#include "Vunit_mutant_relu_wrong_sign.h"
#include "Vunit_mutant_sfp_drop_acc.h"
#include "Vunit_mutant_skew_off_by_one.h"
#include "Vunit_mutant_ws_keeps_os_sum.h"
#include "array_checks.hpp"
#include "block_checks.hpp"
#include "unit_models.hpp"

namespace rtl_test {
namespace {

// The same check on the good 8x8 build (no mismatch) and on the mutant (some).
template <class Mutant, class Check>
void expect_caught(Check check) {
  Bench<Vunit_top_8x8> good;
  const Mismatches on_good = check(good);
  EXPECT_TRUE(on_good.empty()) << "good build: " << on_good.summary();
  Bench<Mutant> mutant;
  const Mismatches on_mutant = check(mutant);
  EXPECT_FALSE(on_mutant.empty()) << "the mutant passed the check";
}

TEST(MutantTest, MacCheckCatchesWeightWithoutSignExtension) {
  expect_caught<Vunit_mutant_no_sign_ext>([](auto& bench) { return check_mac_exhaustive(bench); });
}

TEST(MutantTest, TileCheckCatchesStuckPsumBit) {
  expect_caught<Vunit_mutant_psum_stuck_bit>(
      [](auto& bench) { return check_tile_weight_stationary(bench); });
}

TEST(MutantTest, TileCheckCatchesWrongLoadOrder) {
  expect_caught<Vunit_mutant_load_order>(
      [](auto& bench) { return check_tile_weight_stationary(bench); });
}

// End to end (--dataflow os-ws-os) the re-timed core passes with this fault; here it is caught.
TEST(MutantTest, TileCheckCatchesOutputStationarySumKeptAfterWeightStationaryExecute) {
  expect_caught<Vunit_mutant_ws_keeps_os_sum>(
      [](auto& bench) { return check_tile_output_stationary(bench); });
}

TEST(MutantTest, FifoCheckCatchesPointerWrapError) {
  expect_caught<Vunit_mutant_fifo_ptr_wrap>([](auto& bench) { return check_fifo(bench); });
}

TEST(MutantTest, L0CheckCatchesSkewOffByOne) {
  expect_caught<Vunit_mutant_skew_off_by_one>(
      [](auto& bench) { return check_skewed_lanes<L0Lanes>(bench); });
}

TEST(MutantTest, OfifoCheckCatchesValidBeforeEveryColumn) {
  expect_caught<Vunit_mutant_ofifo_valid_early>([](auto& bench) { return check_ofifo(bench); });
}

TEST(MutantTest, OfifoCheckCatchesValidStuckLow) {
  expect_caught<Vunit_mutant_ofifo_valid_stuck_low>([](auto& bench) { return check_ofifo(bench); });
}

TEST(MutantTest, ArrayCheckCatchesDrainOneRowOff) {
  expect_caught<Vunit_mutant_os_drain_order>(
      [](auto& bench) { return check_array_output_stationary(bench); });
}

TEST(MutantTest, SfpReluCheckCatchesWrongSign) {
  expect_caught<Vunit_mutant_relu_wrong_sign>([](auto& bench) { return check_sfp_relu(bench); });
}

TEST(MutantTest, SfpAccumulateCheckCatchesDroppedAccumulate) {
  expect_caught<Vunit_mutant_sfp_drop_acc>(
      [](auto& bench) { return check_sfp_accumulate(bench); });
}

}  // namespace
}  // namespace rtl_test
