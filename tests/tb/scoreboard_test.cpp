// Tests of the scoreboard without the RTL: sign extension of sfp_out lanes, running psum sums over ic tiles, ReLU expectations, and how a mismatch is named.
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "golden/arithmetic.hpp"
#include "golden/conv.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/ws_model.hpp"
#include "tb/scoreboard.hpp"

namespace {

struct Layer27 {
  golden::ArrayShape array = golden::ArrayShape::square(8);
  golden::GeneratedLayer layer = golden::generate_layer("vgg16_sq8", 27, array, 1);
  golden::WsResult golden =
      golden::run_ws_model(layer.layer.shape, array, layer.activations, layer.weights);
};

// sfp_out as the core drives it: column c in bits [16c +: 16], two's complement.
tb::SfpWord word_of(const std::vector<std::int64_t>& columns) {
  tb::SfpWord word{};
  for (std::size_t c = 0; c < columns.size(); ++c) {
    tb::put_lane(word.data(), static_cast<int>(c), 16,
                 static_cast<std::uint32_t>(golden::to_bits(columns[c], 16)));
  }
  return word;
}

TEST(Scoreboard, NegativePsumsMatchTheirSixteenBitPatterns) {
  const Layer27 l;
  tb::Scoreboard board(l.golden, true, l.layer.layer.name());
  tb::Expectation expect;
  expect.kind = tb::Expectation::Kind::Psum;
  expect.ic_tiles = 1;
  bool saw_negative = false;
  for (int kij = 0; kij < 9; ++kij) {
    for (int nij = 0; nij < 36; ++nij) {
      expect.kij = kij;
      expect.nij = nij;
      std::vector<std::int64_t> columns;
      for (int c = 0; c < 8; ++c) {
        columns.push_back(l.golden.psum.at(0, 0, kij, nij, c));
        saw_negative = saw_negative || columns.back() < 0;
      }
      board.check(expect, word_of(columns), 0);
    }
  }
  EXPECT_TRUE(saw_negative);
  EXPECT_EQ(board.psums_checked(), 9 * 36 * 8);
  EXPECT_EQ(board.mismatch_count(), 0);
}

TEST(Scoreboard, NamesTheFirstMismatchingPlace) {
  const Layer27 l;
  tb::Scoreboard board(l.golden, true, l.layer.layer.name());
  tb::Expectation expect;
  expect.kind = tb::Expectation::Kind::Psum;
  expect.ic_tiles = 1;
  expect.kij = 3;
  expect.nij = 14;
  expect.pmem_address = 3 * 36 + 14;
  std::vector<std::int64_t> columns;
  for (int c = 0; c < 8; ++c) columns.push_back(l.golden.psum.at(0, 0, 3, 14, c));
  const std::int64_t right = columns[2];
  columns[2] = right + 1;
  board.check(expect, word_of(columns), 345);
  ASSERT_EQ(board.mismatch_count(), 1);
  EXPECT_EQ(board.describe(board.mismatches()[0]),
            fmt::format("vgg16_sq8 features[27]: psum of oc_tile 0 ic_tile 0 kij 3 nij 14 col 2 "
                        "(pmem 122) at cycle 345: expected {}, got {}",
                        right, right + 1));
}

TEST(Scoreboard, OutputsAreComparedAfterReluAndRawWhenAsked) {
  const Layer27 l;
  // An output position and channel whose sum is negative: ReLU gives 0, the raw sum stays.
  int oc = -1;
  int o_nij = -1;
  for (int c = 0; c < 8 && oc < 0; ++c) {
    for (int o = 0; o < 16; ++o) {
      if (l.golden.sum.at(c, o) < 0) {
        oc = c;
        o_nij = o;
        break;
      }
    }
  }
  ASSERT_GE(oc, 0) << "layer 27 seed 1 has no negative sum";
  tb::Expectation expect;
  expect.kind = tb::Expectation::Kind::Output;
  expect.o_nij = o_nij;
  tb::Scoreboard relu(l.golden, true, "relu");
  tb::Scoreboard raw(l.golden, false, "raw");
  EXPECT_EQ(relu.expected_value(expect, oc), 0);
  EXPECT_EQ(raw.expected_value(expect, oc), l.golden.sum.at(oc, o_nij));
  EXPECT_LT(raw.expected_value(expect, oc), 0);
}

// A layer of three input-channel tiles and two output-channel tiles on an 8x8 array, and its
// psums computed straight from the tensors (no tiled model): what pmem must hold after ic
// tiles 0..k-1 have been accumulated, wrapped at psum_bw.
struct ThreeIcTiles {
  explicit ThreeIcTiles(int psum_bw)
      : array{8, 8, 4, psum_bw},
        activations(golden::generate_activations(shape, 4, 71)),
        weights(golden::generate_weights(shape, 4, 72)),
        golden(golden::run_ws_model(shape, array, activations, weights)) {}

  std::int64_t direct_psum(int oc, int ic_tiles, int kij, int nij) const {
    std::int64_t sum = 0;
    for (int ic = 0; ic < shape.in_ch && ic < ic_tiles * array.row; ++ic) {
      sum += static_cast<std::int64_t>(weights.padded(oc, ic, kij)) * activations.padded(ic, nij);
    }
    return golden::wrap_signed(sum, array.psum_bw);
  }
  // The sfp_out / pmem word of col direct psums of oc_tile.
  tb::SfpWord word(int oc_tile, int ic_tiles, int kij, int nij) const {
    tb::SfpWord word{};
    for (int c = 0; c < array.col; ++c) {
      tb::put_lane(word.data(), c, array.psum_bw,
                   static_cast<std::uint32_t>(golden::to_bits(
                       direct_psum(oc_tile * array.col + c, ic_tiles, kij, nij), array.psum_bw)));
    }
    return word;
  }
  static tb::Expectation psum(int oc_tile, int ic_tiles, int kij, int nij) {
    tb::Expectation expect;
    expect.kind = tb::Expectation::Kind::Psum;
    expect.source = tb::Expectation::Source::PmemWrite;
    expect.oc_tile = oc_tile;
    expect.ic_tiles = ic_tiles;
    expect.kij = kij;
    expect.nij = nij;
    expect.pmem_address = kij * 36 + nij;
    return expect;
  }

  golden::LayerShape shape{24, 16, 4, 4};
  golden::ArrayShape array;
  golden::ActivationTensor activations;
  golden::WeightTensor weights;
  golden::WsResult golden;
};

// psum_bw 16 (the core's) and 6 (lanes straddle 32-bit words, and 24-channel sums wrap).
class RunningPsumSums : public ::testing::TestWithParam<int> {};

TEST_P(RunningPsumSums, EqualTheDirectConvolutionAfterEveryIcTileInDrainOrder) {
  const ThreeIcTiles l(GetParam());
  ASSERT_EQ(l.golden.tiling.ic_tiles, 3);
  ASSERT_EQ(l.golden.tiling.oc_tiles, 2);
  tb::Scoreboard board(l.golden, true, "three ic tiles");
  bool wrapped = false;
  long long checks = 0;
  // The sequencer's order: per oc tile, ic tile after ic tile, every kij and nij.
  for (int oc_tile = 0; oc_tile < 2; ++oc_tile) {
    for (int ic_tiles = 1; ic_tiles <= 3; ++ic_tiles) {
      for (int kij = 0; kij < 9; ++kij) {
        for (int nij = 0; nij < 36; ++nij) {
          const tb::Expectation expect = ThreeIcTiles::psum(oc_tile, ic_tiles, kij, nij);
          board.check(expect, l.word(oc_tile, ic_tiles, kij, nij), 100 + checks++);
          for (int c = 0; c < 8; ++c) {
            // The fresh computation (psum_over_ic_tiles) agrees with the direct one as well.
            const std::int64_t direct = l.direct_psum(oc_tile * 8 + c, ic_tiles, kij, nij);
            ASSERT_EQ(board.expected_value(expect, c), direct);
            std::int64_t exact = 0;
            for (int ic = 0; ic < ic_tiles * 8; ++ic) {
              exact += l.weights.padded(oc_tile * 8 + c, ic, kij) * l.activations.padded(ic, nij);
            }
            wrapped = wrapped || exact != direct;
          }
        }
      }
    }
  }
  EXPECT_EQ(board.psums_checked(), 2 * 3 * 9 * 36 * 8);
  EXPECT_EQ(board.mismatch_count(), 0)
      << (board.mismatches().empty() ? "" : board.describe(board.mismatches()[0]));
  EXPECT_EQ(wrapped, GetParam() < 16) << "the sums wrap at 6 bits and not at 16";
}

TEST_P(RunningPsumSums, AWrongPsumOnIcTileTwoIsNamedAtItsPlaceAndDoesNotLeakIntoTheNext) {
  const ThreeIcTiles l(GetParam());
  tb::Scoreboard board(l.golden, true, "three ic tiles");
  const int bad_oc_tile = 1;
  int bad_kij = 4, bad_nij = 17, bad_col = 5;
  // Where the sum wraps, if it does anywhere: the reported expected value must be the wrapped one.
  for (int kij = 0; kij < 9; ++kij) {
    for (int nij = 0; nij < 36; ++nij) {
      for (int c = 1; c < 8; ++c) {
        std::int64_t exact = 0;
        for (int ic = 0; ic < 24; ++ic) {
          exact += l.weights.padded(8 + c, ic, kij) * l.activations.padded(ic, nij);
        }
        if (exact != l.direct_psum(8 + c, 3, kij, nij) && bad_kij == 4 && bad_nij == 17) {
          bad_kij = kij;
          bad_nij = nij;
          bad_col = c;
        }
      }
    }
  }
  if (GetParam() < 16) {
    ASSERT_FALSE(bad_kij == 4 && bad_nij == 17) << "no wrapping sum found";
  }
  std::int64_t right = 0;
  std::int64_t wrong = 0;
  std::uint64_t bad_cycle = 0;
  std::uint64_t cycle = 0;
  for (int oc_tile = 0; oc_tile < 2; ++oc_tile) {
    for (int ic_tiles = 1; ic_tiles <= 3; ++ic_tiles) {
      for (int kij = 0; kij < 9; ++kij) {
        for (int nij = 0; nij < 36; ++nij) {
          tb::SfpWord word = l.word(oc_tile, ic_tiles, kij, nij);
          // ic tile 2 (the third, ic_tiles 0..2 summed) of one psum: one lane off by one.
          if (oc_tile == bad_oc_tile && ic_tiles == 3 && kij == bad_kij && nij == bad_nij) {
            right = tb::signed_lane(word.data(), bad_col, l.array.psum_bw);
            wrong = golden::wrap_signed(right + 1, l.array.psum_bw);
            tb::put_lane(word.data(), bad_col, l.array.psum_bw,
                         static_cast<std::uint32_t>(golden::to_bits(wrong, l.array.psum_bw)));
            bad_cycle = cycle;
          }
          // ic tile 1 of the same psum also wrong, in another lane: the running sum must come
          // from the golden model, never from what the core showed.
          if (oc_tile == bad_oc_tile && ic_tiles == 2 && kij == bad_kij && nij == bad_nij) {
            tb::put_lane(word.data(), 0, l.array.psum_bw,
                         ~tb::unsigned_lane(word.data(), 0, l.array.psum_bw));
          }
          board.check(ThreeIcTiles::psum(oc_tile, ic_tiles, kij, nij), word, cycle++);
        }
      }
    }
  }
  ASSERT_EQ(board.mismatch_count(), 2);
  EXPECT_EQ(board.psum_mismatch_count(), 2);
  const tb::Mismatch& first = board.mismatches()[0];
  EXPECT_EQ(first.place.ic_tiles, 2);
  EXPECT_EQ(first.column, 0);
  const tb::Mismatch& m = board.mismatches()[1];
  EXPECT_EQ(m.place.oc_tile, bad_oc_tile);
  EXPECT_EQ(m.place.ic_tiles, 3);
  EXPECT_EQ(m.place.kij, bad_kij);
  EXPECT_EQ(m.place.nij, bad_nij);
  EXPECT_EQ(m.column, bad_col);
  EXPECT_EQ(m.cycle, bad_cycle);
  EXPECT_EQ(m.expected, l.direct_psum(bad_oc_tile * 8 + bad_col, 3, bad_kij, bad_nij));
  EXPECT_EQ(m.got, wrong);
  EXPECT_EQ(board.describe(m),
            fmt::format("three ic tiles: psum of oc_tile 1 ic_tiles 0..2 summed kij {} nij {} "
                        "col {} (pmem {}) at cycle {}: expected {}, got {}",
                        bad_kij, bad_nij, bad_col, bad_kij * 36 + bad_nij, bad_cycle, right,
                        wrong));
}

TEST_P(RunningPsumSums, AreRightInAnyOrder) {
  // A second row band drains the same nij again from ic tile 0; a caller may also ask out of
  // order. Every answer must still be the direct sum.
  const ThreeIcTiles l(GetParam());
  tb::Scoreboard board(l.golden, true, "three ic tiles");
  const int order[] = {3, 1, 2, 2, 3, 1, 1, 3, 2};
  for (const int ic_tiles : order) {
    for (int nij = 0; nij < 36; nij += 5) {
      board.check(ThreeIcTiles::psum(0, ic_tiles, 7, nij), l.word(0, ic_tiles, 7, nij), 0);
    }
  }
  EXPECT_EQ(board.mismatch_count(), 0)
      << (board.mismatches().empty() ? "" : board.describe(board.mismatches()[0]));
  // And a word right for another ic-tile count is caught.
  board.check(ThreeIcTiles::psum(0, 2, 7, 10), l.word(0, 3, 7, 10), 0);
  EXPECT_GT(board.mismatch_count(), 0);
}

INSTANTIATE_TEST_SUITE_P(PsumBw, RunningPsumSums, ::testing::Values(16, 6),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "psum_bw" + std::to_string(info.param);
                         });

TEST(Scoreboard, PackedLanesMatchLaneByLanePacking) {
  // pack_lanes (the pass path) against put_lane (bit by bit) for widths that straddle words.
  for (const int width : {4, 10, 16, 17, 32}) {
    std::vector<std::int64_t> values;
    for (int i = 0; i < 12; ++i) values.push_back((i % 2 == 0 ? -1 : 1) * (i * 2654435761LL % 9973));
    tb::SfpWord packed{};
    tb::SfpWord by_lane{};
    tb::pack_lanes(values.data(), 12, width, packed.data());
    for (int i = 0; i < 12; ++i) {
      tb::put_lane(by_lane.data(), i, width,
                   static_cast<std::uint32_t>(golden::to_bits(values[static_cast<std::size_t>(i)], width)));
    }
    EXPECT_EQ(packed, by_lane) << "width " << width;
    for (int i = 0; i < 12; ++i) {
      EXPECT_EQ(tb::signed_lane(packed.data(), i, width),
                golden::wrap_signed(values[static_cast<std::size_t>(i)], width))
          << "width " << width << " lane " << i;
    }
  }
}

TEST(Scoreboard, WsOutputAgreeingWithATiledModelThatDisagreesWithTheDirectConvolutionFails) {
  // A tiled model and a core sharing a mistake: the golden sum of (oc 3, o_nij 5) is off by
  // one, the core shows that same wrong value; only the direct convolution catches it.
  Layer27 l;
  const golden::ExactOutputTensor direct =
      golden::direct_convolution(l.layer.activations, l.layer.weights);
  l.golden.sum.at(3, 5) += 1;
  tb::Scoreboard board(l.golden, false, l.layer.layer.name(), &direct);
  tb::Expectation expect;
  expect.kind = tb::Expectation::Kind::Output;
  for (int o_nij = 0; o_nij < 16; ++o_nij) {
    expect.o_nij = o_nij;
    std::vector<std::int64_t> columns;
    for (int c = 0; c < 8; ++c) columns.push_back(l.golden.sum.at(c, o_nij));
    board.check(expect, word_of(columns), 100 + static_cast<std::uint64_t>(o_nij));
  }
  EXPECT_EQ(board.outputs_checked(), 16 * 8);
  ASSERT_EQ(board.mismatch_count(), 1);
  const tb::Mismatch& first = board.mismatches()[0];
  EXPECT_TRUE(first.against_direct);
  EXPECT_EQ(first.column, 3);
  EXPECT_EQ(first.place.o_nij, 5);
  EXPECT_EQ(first.expected, direct.at(3, 5));
  EXPECT_NE(board.describe(first).find("(direct convolution)"), std::string::npos);
}

}  // namespace
