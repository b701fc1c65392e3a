// The memory schedule over the whole layer catalog (bands, activation placement) and the two psum-check modes on a tiled layer.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/catalog.hpp"
#include "golden/layer_inputs.hpp"
#include "tb/bus.hpp"
#include "tb/cosim.hpp"
#include "tb/ws_plan.hpp"

namespace {

struct PlanCase {
  std::string model;
  int layer;
  int array;
};

std::vector<PlanCase> every_catalog_layer() {
  std::vector<PlanCase> cases;
  for (const std::string& model : golden::model_names()) {
    for (const golden::ConvLayer& layer : golden::conv_layers(model)) {
      for (const int array : {8, 16}) cases.push_back({model, layer.index, array});
    }
  }
  return cases;
}

class CatalogSchedule : public ::testing::TestWithParam<PlanCase> {};

// Bands tile the output rows exactly once, each fits pmem for the 9 kij, each is as tall as
// pmem allows (one more row would not fit), and the activations a band needs at a time fit
// the 1024 xmem words below the weights.
TEST_P(CatalogSchedule, BandsCoverEveryOutputRowOnceAndFitTheMemories) {
  const golden::ConvLayer& layer = golden::find_layer(GetParam().model, GetParam().layer);
  const golden::ArrayShape array = golden::ArrayShape::square(GetParam().array);
  const auto activations = golden::generate_activations(layer.shape, array.bw, 5);
  const auto weights = golden::generate_weights(layer.shape, array.bw, 5);
  const tb::WsPlan plan(array, layer.shape, activations, weights);
  const int wp = layer.shape.padded_width();
  const golden::Tiling tiling = layer.tiling(array);

  int next_row = 0;
  for (const tb::RowBand& band : plan.bands()) {
    EXPECT_EQ(band.first_output_row, next_row);
    EXPECT_GT(band.end_output_row, band.first_output_row);
    EXPECT_EQ(band.first_nij, band.first_output_row * wp);
    EXPECT_EQ(band.nij_count, (band.output_rows() + 2) * wp);
    EXPECT_LE(9 * band.nij_count, 2048);
    next_row = band.end_output_row;
  }
  EXPECT_EQ(next_row, layer.shape.height);
  const tb::RowBand& first = plan.bands().front();
  if (plan.bands().size() > 1) {
    EXPECT_GT(9 * (first.nij_count + wp), 2048) << "the first band could be one row taller";
  }
  switch (plan.activation_placement()) {
    case tb::WsPlan::ActivationPlacement::Resident:
      EXPECT_LE(tiling.ic_tiles * layer.shape.nij_count(), 1024);
      break;
    case tb::WsPlan::ActivationPlacement::PerBand:
      EXPECT_GT(tiling.ic_tiles * layer.shape.nij_count(), 1024);
      EXPECT_LE(tiling.ic_tiles * first.nij_count, 1024);
      break;
    case tb::WsPlan::ActivationPlacement::PerPass:
      EXPECT_GT(tiling.ic_tiles * first.nij_count, 1024);
      EXPECT_LE(first.nij_count, 1024);
      EXPECT_EQ(plan.pass_activation_writes(0, tiling.ic_tiles - 1).size(),
                static_cast<std::size_t>(first.nij_count));
      break;
  }
  // Every address a pass reads holds that pass's (ic_tile, nij) word and stays below the
  // weights.
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
    for (int nij = first.first_nij; nij < first.first_nij + first.nij_count; ++nij) {
      const int address = plan.activation_address(first, ic_tile, nij);
      ASSERT_GE(address, 0);
      ASSERT_LT(address, 1024);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Catalog, CatalogSchedule, ::testing::ValuesIn(every_catalog_layer()),
                         [](const ::testing::TestParamInfo<PlanCase>& info) {
                           return info.param.model + "_features" +
                                  std::to_string(info.param.layer) + "_array" +
                                  std::to_string(info.param.array);
                         });

// The written activation words are the layer's own (lane r = channel ic_tile*row + r), read
// through the band's addresses: what the L0 receives is the padded input of that nij.
TEST(TilingSchedule, PerPassActivationWordsAreThePaddedInputsOfTheirTile) {
  const golden::ConvLayer& layer = golden::find_layer("vgg16", 7);  // 64->128 at 16x16
  const golden::ArrayShape array = golden::ArrayShape::square(8);
  const auto activations = golden::generate_activations(layer.shape, array.bw, 9);
  const auto weights = golden::generate_weights(layer.shape, array.bw, 9);
  const tb::WsPlan plan(array, layer.shape, activations, weights);
  ASSERT_EQ(plan.activation_placement(), tb::WsPlan::ActivationPlacement::PerPass);
  ASSERT_EQ(plan.bands().size(), 2U);
  const tb::RowBand& band = plan.bands()[1];
  const auto writes = plan.pass_activation_writes(1, 5);
  ASSERT_EQ(writes.size(), static_cast<std::size_t>(band.nij_count));
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const int nij = band.first_nij + static_cast<int>(i);
    ASSERT_EQ(writes[i].address, plan.activation_address(band, 5, nij));
    for (int r = 0; r < array.row; ++r) {
      ASSERT_EQ(tb::unsigned_lane(writes[i].word.data(), r, array.bw),
                activations.padded(5 * array.row + r, nij))
          << "nij " << nij << " lane " << r;
    }
  }
}

// Both psum checks compare the RTL with the golden model on a layer with 32 ic tiles summed in
// pmem: every word of every ic tile, either read back through the SFP or seen at pmem's write
// port; the write-port check needs no extra cycles.
TEST(TilingSchedule, WritePortAndReadbackChecksCoverTheSamePsumsOfEveryIcTile) {
  tb::RunOptions options;
  options.model = "vgg16_sq8";
  options.layer = 24;  // 256->8 at 4x4: 32 ic tiles on 8x8
  options.array = 8;
  options.sequencer.psum_check = tb::PsumCheck::Readback;
  const tb::RunSummary readback = tb::run_cosim(options);
  options.sequencer.psum_check = tb::PsumCheck::Write;
  const tb::RunSummary write = tb::run_cosim(options);
  ASSERT_TRUE(readback.pass) << readback.failure;
  ASSERT_TRUE(write.pass) << write.failure;
  const long long every_psum = 32LL * 9 * 36 * 8;
  EXPECT_EQ(readback.psums, every_psum);
  EXPECT_EQ(write.psums, every_psum);
  EXPECT_EQ(readback.outputs, 8 * 16);
  EXPECT_EQ(write.outputs, 8 * 16);
  // Readback spends a cycle per psum word (9 * 36 per ic tile) on the pmem port; execution
  // overlaps only part of it.
  EXPECT_GT(readback.cycles, write.cycles + 16ULL * 9 * 36);
}

}  // namespace
