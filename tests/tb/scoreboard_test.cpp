// Tests of the scoreboard without the RTL: sign extension of sfp_out lanes, ReLU expectations, and how a mismatch is named.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "golden/arithmetic.hpp"
#include "golden/conv.hpp"
#include "golden/generator.hpp"
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
