// The scoreboard on output-stationary words: raw sums and ReLU readbacks against the OS model and the direct convolution.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/conv.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/os_model.hpp"
#include "tb/scoreboard.hpp"

namespace {

using namespace tb;

struct OsLayer {
  golden::ArrayShape array = golden::ArrayShape::square(8);
  golden::LayerShape shape{8, 8, 4, 4};
  golden::ActivationTensor activations = golden::generate_activations(shape, 4, 51);
  golden::WeightTensor weights = golden::generate_weights(shape, 4, 52);
  std::vector<golden::OsResult> passes{
      golden::run_os_model(shape, array, activations, weights, 0, 0),
      golden::run_os_model(shape, array, activations, weights, 1, 0)};
  golden::ExactOutputTensor direct = golden::direct_convolution(activations, weights);
};

Expectation os_expectation(int pass, int pixel, bool relu) {
  Expectation expect;
  expect.kind = Expectation::Kind::OsOutput;
  expect.pass = pass;
  expect.group = pass;
  expect.pixel = pixel;
  expect.o_nij = pass * 8 + pixel;
  expect.relu = relu;
  return expect;
}

// What sfp_out shows for values[c] in column c, psum_bw-bit two's complement.
SfpWord sfp_word(const std::vector<std::int64_t>& values) {
  SfpWord word{};
  for (std::size_t c = 0; c < values.size(); ++c)
    put_lane(word.data(), static_cast<int>(c), 16, static_cast<std::uint32_t>(values[c]) & 0xFFFFU);
  return word;
}

TEST(OsScoreboard, RawSumsAndReluReadbacksOfTheWholeLayerPass) {
  const OsLayer layer;
  Scoreboard board(layer.array, layer.passes, true, "layer", &layer.direct);
  int negatives = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (int pixel = 0; pixel < 8; ++pixel) {
      std::vector<std::int64_t> raw, relu;
      for (int c = 0; c < 8; ++c) {
        // From the direct convolution, not from the OS model the scoreboard holds.
        const std::int64_t sum = layer.direct.at(c, pass * 8 + pixel);
        raw.push_back(sum);
        relu.push_back(sum < 0 ? 0 : sum);
        negatives += sum < 0 ? 1 : 0;
      }
      board.check(os_expectation(pass, pixel, false), sfp_word(raw), 1);
      board.check(os_expectation(pass, pixel, true), sfp_word(relu), 2);
    }
  }
  EXPECT_GT(negatives, 0) << "the layer should exercise ReLU";
  EXPECT_EQ(board.psums_checked(), 128);
  EXPECT_EQ(board.outputs_checked(), 128);
  EXPECT_EQ(board.mismatch_count(), 0);
}

TEST(OsScoreboard, ReluReadbackShowingANegativeSumIsAMismatch) {
  const OsLayer layer;
  Scoreboard board(layer.array, layer.passes, true, "layer", &layer.direct);
  for (int pixel = 0; pixel < 8; ++pixel) {
    std::vector<std::int64_t> raw;
    for (int c = 0; c < 8; ++c) raw.push_back(layer.direct.at(c, pixel));
    board.check(os_expectation(0, pixel, true), sfp_word(raw), 7);
  }
  long long negatives = 0;
  for (int pixel = 0; pixel < 8; ++pixel)
    for (int c = 0; c < 8; ++c) negatives += layer.direct.at(c, pixel) < 0 ? 1 : 0;
  ASSERT_GT(negatives, 0);
  EXPECT_EQ(board.mismatch_count(), negatives);
  EXPECT_NE(board.describe(board.mismatches().front()).find("output-stationary ReLU output"),
            std::string::npos);
}

// A word that agrees with the OS model but not with the direct convolution (the model and the
// core sharing a mistake) is still a mismatch, named as such.
TEST(OsScoreboard, AgreeingWithTheOsModelAloneIsAMismatch) {
  const OsLayer layer;
  golden::ExactOutputTensor direct = layer.direct;
  direct.at(3, 5) += 1;  // oc 3, o_nij 5: pass 0, pixel 5, col 3
  Scoreboard board(layer.array, layer.passes, false, "layer", &direct);
  for (int pixel = 0; pixel < 8; ++pixel) {
    std::vector<std::int64_t> model;
    for (int c = 0; c < 8; ++c) model.push_back(layer.passes[0].out(pixel, c));
    board.check(os_expectation(0, pixel, false), sfp_word(model), 9);
  }
  ASSERT_EQ(board.mismatch_count(), 1);
  const Mismatch& mismatch = board.mismatches().front();
  EXPECT_TRUE(mismatch.against_direct);
  EXPECT_EQ(mismatch.column, 3);
  EXPECT_EQ(mismatch.place.pixel, 5);
  EXPECT_EQ(mismatch.expected, layer.direct.at(3, 5) + 1);
  EXPECT_NE(board.describe(mismatch).find("(direct convolution), got"), std::string::npos)
      << board.describe(mismatch);
}

}  // namespace
