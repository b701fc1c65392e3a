// Tests of the memory plan: xmem words against the notebook's file lines, addresses and row bands by hand.
#include <string>

#include <gtest/gtest.h>

#include "golden/layer_inputs.hpp"
#include "tb/errors.hpp"
#include "tb/ws_plan.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_file.hpp"

namespace {

using golden::ArrayShape;
using golden::LayerShape;

// The word as the notebook writes it: element row-1 first, msb first.
std::string notebook_line(const tb::XmemWord& word, int bits) {
  std::string line;
  for (int bit = bits - 1; bit >= 0; --bit) {
    line += ((word[static_cast<std::size_t>(bit / 32)] >> (bit % 32)) & 1U) ? '1' : '0';
  }
  return line;
}

TEST(WsPlan, XmemWordsReadLikeTheNotebookFileLines) {
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{12, 10, 3, 3};  // 2 ic tiles, 2 oc tiles, zero-padded channels
  const auto activations = golden::generate_activations(shape, array.bw, 5);
  const auto weights = golden::generate_weights(shape, array.bw, 6);
  const tb::WsPlan plan(array, shape, activations, weights);
  const auto activation_format = golden::RecordFormat::of(golden::FileKind::Activation, array);
  const auto weight_format = golden::RecordFormat::of(golden::FileKind::Weight, array);

  const auto writes = plan.activation_writes(0);
  ASSERT_EQ(writes.size(), 2U * 25U);
  for (int ic_tile = 0; ic_tile < 2; ++ic_tile) {
    const auto records = golden::activation_records(activations, array, ic_tile);
    for (int nij = 0; nij < 25; ++nij) {
      const tb::XmemWrite& write = writes[static_cast<std::size_t>(ic_tile * 25 + nij)];
      EXPECT_EQ(write.address, plan.activation_address(plan.bands()[0], ic_tile, nij));
      EXPECT_EQ(notebook_line(write.word, 32),
                golden::format_record(&records[static_cast<std::size_t>(nij) * 8], activation_format))
          << "ic_tile " << ic_tile << " nij " << nij;
    }
  }
  for (int oc_tile = 0; oc_tile < 2; ++oc_tile) {
    for (int ic_tile = 0; ic_tile < 2; ++ic_tile) {
      const auto weight_writes = plan.weight_writes(oc_tile, ic_tile);
      ASSERT_EQ(weight_writes.size(), 72U);
      for (int kij = 0; kij < 9; ++kij) {
        const auto records = golden::weight_records(weights, array, ic_tile, oc_tile, kij);
        for (int c = 0; c < 8; ++c) {
          const tb::XmemWrite& write = weight_writes[static_cast<std::size_t>(kij * 8 + c)];
          EXPECT_EQ(write.address, 1024 + kij * 8 + c);
          EXPECT_EQ(notebook_line(write.word, 32),
                    golden::format_record(&records[static_cast<std::size_t>(c) * 8], weight_format))
              << "oc_tile " << oc_tile << " ic_tile " << ic_tile << " kij " << kij << " col " << c;
        }
      }
    }
  }
}

TEST(WsPlan, Layer27FitsOneBandWithTheNotebookAddresses) {
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{8, 8, 4, 4};
  const auto activations = golden::generate_activations(shape, 4, 1);
  const auto weights = golden::generate_weights(shape, 4, 1);
  const tb::WsPlan plan(array, shape, activations, weights);
  ASSERT_EQ(plan.bands().size(), 1U);
  const tb::RowBand& band = plan.bands()[0];
  EXPECT_EQ(band.first_nij, 0);
  EXPECT_EQ(band.nij_count, 36);
  EXPECT_TRUE(plan.activations_resident());
  EXPECT_EQ(plan.activation_address(band, 0, 35), 35);
  EXPECT_EQ(plan.weight_address(3, 2), 1024 + 3 * 8 + 2);
  EXPECT_EQ(tb::WsPlan::psum_address(band, 8, 35), 8 * 36 + 35);
  EXPECT_EQ(plan.useful_macs(), 8LL * 8 * 9 * 36);
}

TEST(WsPlan, A16x16MapSplitsIntoRowBandsThatFitPmem) {
  // Wp = 18: 2048 / (9 * 18) = 12 padded rows = 10 output rows per band.
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{8, 8, 16, 16};
  const auto activations = golden::generate_activations(shape, 4, 2);
  const auto weights = golden::generate_weights(shape, 4, 2);
  const tb::WsPlan plan(array, shape, activations, weights);
  ASSERT_EQ(plan.bands().size(), 2U);
  EXPECT_EQ(plan.bands()[0].first_output_row, 0);
  EXPECT_EQ(plan.bands()[0].end_output_row, 10);
  EXPECT_EQ(plan.bands()[0].first_nij, 0);
  EXPECT_EQ(plan.bands()[0].nij_count, 12 * 18);
  EXPECT_EQ(plan.bands()[1].first_output_row, 10);
  EXPECT_EQ(plan.bands()[1].end_output_row, 16);
  EXPECT_EQ(plan.bands()[1].first_nij, 10 * 18);
  EXPECT_EQ(plan.bands()[1].nij_count, 8 * 18);
  for (const tb::RowBand& band : plan.bands()) EXPECT_LE(9 * band.nij_count, 2048);
}

TEST(WsPlan, ActivationsTooLargeForXmemAreRewrittenPerPassInPmemSizedBands) {
  // 64 channels = 8 ic tiles of 34x34 padded nij: 9248 words. Bands are as tall as pmem allows
  // (2048 / (9 * 34) = 6 padded rows = 4 output rows, 204 nij); 8 ic tiles of 204 nij do not
  // fit the 1024 xmem words, so each pass's tile is written at 0 before the pass runs.
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{64, 8, 32, 32};
  const auto activations = golden::generate_activations(shape, 4, 3);
  const auto weights = golden::generate_weights(shape, 4, 3);
  const tb::WsPlan plan(array, shape, activations, weights);
  EXPECT_FALSE(plan.activations_resident());
  EXPECT_EQ(plan.activation_placement(), tb::WsPlan::ActivationPlacement::PerPass);
  ASSERT_EQ(plan.bands().size(), 8U);
  EXPECT_EQ(plan.bands()[5].first_nij, 5 * 4 * 34);
  EXPECT_EQ(plan.bands()[5].nij_count, 6 * 34);
  EXPECT_TRUE(plan.activation_writes(5).empty());
  const auto writes = plan.pass_activation_writes(5, 7);
  ASSERT_EQ(writes.size(), 6U * 34U);
  EXPECT_EQ(plan.activation_address(plan.bands()[5], 7, 5 * 4 * 34), 0);
  // Lane r of the band's first word is channel 7*8 + r at padded nij 5*4*34 (a padding row
  // position is zero; nij 5*4*34 + 35 is inside the map).
  const auto& inside = writes[35];
  EXPECT_EQ(inside.address, 35);
  for (int r = 0; r < 8; ++r) {
    EXPECT_EQ(tb::unsigned_lane(inside.word.data(), r, 4),
              static_cast<std::uint64_t>(activations.padded(7 * 8 + r, 5 * 4 * 34 + 35)))
        << "lane " << r;
  }
}

TEST(WsPlan, BandActivationsOfEveryIcTileStayWhenTheyFitXmem) {
  // 16 channels = 2 ic tiles of 34x34: 2312 words do not fit, but a band of 204 nij for both
  // tiles (408 words) does: written once per band.
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{16, 8, 32, 32};
  const auto activations = golden::generate_activations(shape, 4, 3);
  const auto weights = golden::generate_weights(shape, 4, 3);
  const tb::WsPlan plan(array, shape, activations, weights);
  EXPECT_EQ(plan.activation_placement(), tb::WsPlan::ActivationPlacement::PerBand);
  EXPECT_EQ(plan.activation_writes(2).size(), 2U * 6U * 34U);
  EXPECT_TRUE(plan.pass_activation_writes(2, 1).empty());
  EXPECT_EQ(plan.activation_address(plan.bands()[2], 1, 2 * 4 * 34), 6 * 34);
}

TEST(WsPlan, RefusesALayerWhoseSingleRowDoesNotFitPmem) {
  const ArrayShape array = ArrayShape::square(8);
  const LayerShape shape{8, 8, 1, 300};  // 3 padded rows x 302 x 9 kij = 8154 pmem words
  const auto activations = golden::generate_activations(shape, 4, 4);
  const auto weights = golden::generate_weights(shape, 4, 4);
  try {
    const tb::WsPlan plan(array, shape, activations, weights);
    FAIL() << "a 302-wide padded row was accepted";
  } catch (const tb::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("not implemented"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("8154 pmem words"), std::string::npos) << error.what();
  }
}

}  // namespace
