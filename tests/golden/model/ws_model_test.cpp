// Weight-stationary tiled model against the direct convolution, hand-worked wrap-around
// cases and DESIGN.md's SFP address mapping.
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "golden/arithmetic.hpp"
#include "golden/catalog.hpp"
#include "golden/conv.hpp"
#include "golden/error.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/ws_model.hpp"

namespace golden {
namespace {

// A_pad by explicit bounds (not ActivationTensor::padded), for spot checks of single psums.
std::int64_t padded_input(const ActivationTensor& a, int ic, int nij) {
  if (ic >= a.channels()) return 0;
  const int y = nij / (a.width() + 2) - 1;
  const int x = nij % (a.width() + 2) - 1;
  if (y < 0 || y >= a.height() || x < 0 || x >= a.width()) return 0;
  return a.at(ic, y, x);
}

// Everything the tiled model produces, checked against computations that do not share its code.
void expect_matches_direct(const LayerShape& shape, const ArrayShape& array,
                           const ActivationTensor& activations, const WeightTensor& weights) {
  const WsResult result = run_ws_model(shape, array, activations, weights);
  const ExactOutputTensor direct = direct_convolution(activations, weights);
  ASSERT_EQ(result.sum.channels(), shape.out_ch);
  ASSERT_EQ(result.sum.o_nij_count(), shape.o_nij_count());

  int mismatches = 0;
  for (int oc = 0; oc < shape.out_ch && mismatches < 5; ++oc) {
    for (int o_nij = 0; o_nij < shape.o_nij_count() && mismatches < 5; ++o_nij) {
      const std::int64_t exact = direct.at(oc, o_nij);
      const auto wrapped = static_cast<std::int32_t>(wrap_signed(exact, array.psum_bw));
      if (result.exact.at(oc, o_nij) != exact || result.sum.at(oc, o_nij) != wrapped ||
          result.relu.at(oc, o_nij) != (wrapped < 0 ? 0 : wrapped)) {
        ++mismatches;
        ADD_FAILURE() << "oc " << oc << " o_nij " << o_nij << ": direct " << exact << " (wrapped "
                      << wrapped << "), tiled sum " << result.sum.at(oc, o_nij) << " exact "
                      << result.exact.at(oc, o_nij) << " relu " << result.relu.at(oc, o_nij);
      }
    }
  }

  // Overflow report: exactly the outputs whose direct sum does not fit psum_bw.
  std::size_t overflowing = 0;
  for (int oc = 0; oc < shape.out_ch; ++oc)
    for (int o_nij = 0; o_nij < shape.o_nij_count(); ++o_nij)
      if (wrap_signed(direct.at(oc, o_nij), array.psum_bw) != direct.at(oc, o_nij)) ++overflowing;
  EXPECT_EQ(result.overflow.outputs.size(), overflowing);

  // Spot checks of single psums, [ic_tile][oc_tile][kij][nij][col], by their definition.
  const Tiling tiling = Tiling::of(shape, array);
  std::uint64_t state = 12345;
  for (int sample = 0; sample < 200; ++sample) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const int ic_tile = static_cast<int>((state >> 10) % tiling.ic_tiles);
    const int oc_tile = static_cast<int>((state >> 20) % tiling.oc_tiles);
    const int kij = static_cast<int>((state >> 30) % 9);
    const int nij = static_cast<int>((state >> 34) % shape.nij_count());
    const int column = static_cast<int>((state >> 50) % array.col);
    std::int64_t psum = 0;
    for (int r = 0; r < array.row; ++r) {
      const int ic = ic_tile * array.row + r;
      const int oc = oc_tile * array.col + column;
      if (ic < shape.in_ch && oc < shape.out_ch)
        psum += weights.at(oc, ic, kij) * padded_input(activations, ic, nij);
    }
    ASSERT_EQ(result.psum.at(ic_tile, oc_tile, kij, nij, column), wrap_signed(psum, array.psum_bw))
        << "ic_tile " << ic_tile << " oc_tile " << oc_tile << " kij " << kij << " nij " << nij
        << " col " << column;
  }

  // The hardware's path: pmem accumulates the ic tiles in place, the SFP adds the 9 kij.
  for (int oc = 0; oc < shape.out_ch; oc += std::max(1, shape.out_ch / 7)) {
    for (int o_nij = 0; o_nij < shape.o_nij_count(); o_nij += std::max(1, shape.o_nij_count() / 9)) {
      std::int64_t sum = 0;
      for (int kij = 0; kij < 9; ++kij)
        sum += result.psum_over_ic_tiles(oc / array.col, kij, nij_for(shape, o_nij, kij),
                                         oc % array.col);
      ASSERT_EQ(wrap_signed(sum, array.psum_bw), wrap_signed(direct.at(oc, o_nij), array.psum_bw))
          << "oc " << oc << " o_nij " << o_nij;
    }
  }
}

struct CatalogCase {
  ConvLayer layer;
  int array_size;
};

std::vector<CatalogCase> catalog_cases() {
  std::vector<CatalogCase> cases;
  for (const std::string& model : model_names())
    for (const ConvLayer& layer : conv_layers(model))
      for (int size : {8, 16}) cases.push_back({layer, size});
  return cases;
}

void PrintTo(const CatalogCase& param, std::ostream* os) {
  *os << param.layer.name() << " on a " << param.array_size << "x" << param.array_size << " array";
}

class TiledModelMatchesDirectConvolution : public ::testing::TestWithParam<CatalogCase> {};

TEST_P(TiledModelMatchesDirectConvolution, EveryOutputPsumAndOverflow) {
  const CatalogCase& param = GetParam();
  const ArrayShape array = ArrayShape::square(param.array_size);
  const GeneratedLayer generated = generate_layer(param.layer.model, param.layer.index, array, 7);
  expect_matches_direct(param.layer.shape, array, generated.activations, generated.weights);
}

INSTANTIATE_TEST_SUITE_P(Catalog, TiledModelMatchesDirectConvolution,
                         ::testing::ValuesIn(catalog_cases()),
                         [](const ::testing::TestParamInfo<CatalogCase>& info) {
                           return info.param.layer.model + "_" +
                                  std::to_string(info.param.layer.index) + "_array" +
                                  std::to_string(info.param.array_size);
                         });

struct OddCase {
  std::string name;
  LayerShape shape;
  ArrayShape array;
};

void PrintTo(const OddCase& param, std::ostream* os) { *os << param.name; }

class TiledModelMatchesDirectConvolutionOnOddShapes : public ::testing::TestWithParam<OddCase> {};

TEST_P(TiledModelMatchesDirectConvolutionOnOddShapes, EveryOutputPsumAndOverflow) {
  const OddCase& param = GetParam();
  const ActivationTensor activations = generate_activations(param.shape, param.array.bw, 99);
  const WeightTensor weights = generate_weights(param.shape, param.array.bw, 99);
  expect_matches_direct(param.shape, param.array, activations, weights);
}

INSTANTIATE_TEST_SUITE_P(
    OddShapes, TiledModelMatchesDirectConvolutionOnOddShapes,
    ::testing::Values(OddCase{"three_input_channels", {3, 5, 5, 7}, {8, 8, 4, 16}},
                      OddCase{"one_by_one_map", {20, 9, 1, 1}, {8, 8, 4, 16}},
                      OddCase{"channels_not_multiple_of_array", {13, 11, 3, 3}, {8, 8, 4, 16}},
                      OddCase{"channels_not_multiple_of_array16", {21, 35, 2, 5}, {16, 16, 4, 16}},
                      OddCase{"array_16x8", {16, 8, 4, 4}, {16, 8, 4, 16}},
                      OddCase{"array_4x8", {9, 17, 3, 2}, {4, 8, 4, 16}},
                      OddCase{"psum_bw_12_wraps", {64, 10, 6, 6}, {8, 8, 4, 12}},
                      OddCase{"bw_2_psum_bw_8", {24, 8, 4, 4}, {8, 8, 2, 8}},
                      OddCase{"one_channel_one_pixel", {1, 1, 1, 1}, {8, 8, 4, 16}}),
    [](const ::testing::TestParamInfo<OddCase>& info) { return info.param.name; });

TEST(ChannelPadding, ZeroChannelsUpToTheArrayChangeNoOutput) {
  const LayerShape shape{3, 5, 4, 6};
  const ActivationTensor activations = generate_activations(shape, 4, 17);
  const WeightTensor weights = generate_weights(shape, 4, 17);
  const ActivationTensor padded_activations = pad_channels(activations, 8);
  const WeightTensor padded_weights = pad_channels(weights, 8, 8);
  ASSERT_EQ(padded_activations.channels(), 8);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x) {
      EXPECT_EQ(padded_activations.at(2, y, x), activations.at(2, y, x));
      EXPECT_EQ(padded_activations.at(5, y, x), 0);
    }
  EXPECT_EQ(padded_weights.at(6, 1, 4), 0);
  EXPECT_EQ(padded_weights.at(4, 2, 8), weights.at(4, 2, 8));
  const WsResult tiled = run_ws_model(shape, ArrayShape{}, activations, weights);
  const ExactOutputTensor direct = direct_convolution(padded_activations, padded_weights);
  for (int oc = 0; oc < 8; ++oc)
    for (int o_nij = 0; o_nij < shape.o_nij_count(); ++o_nij)
      EXPECT_EQ(direct.at(oc, o_nij), oc < 5 ? tiled.exact.at(oc, o_nij) : 0);
}

TEST(SfpAddressMapping, NijForMatchesHandWorkedPositions) {
  const LayerShape layer27{8, 8, 4, 4};  // Wp = 6
  EXPECT_EQ(nij_for(layer27, 0, 0), 0);
  EXPECT_EQ(nij_for(layer27, 0, 8), 14);   // (0+2)*6 + 0+2
  EXPECT_EQ(nij_for(layer27, 5, 4), 14);   // o_nij 5 = (1,1); kij 4 = (1,1): (2,2) -> 14
  EXPECT_EQ(nij_for(layer27, 3, 2), 5);    // (0,3) + (0,2) -> (0,5)
  EXPECT_EQ(nij_for(layer27, 4, 3), 12);   // (1,0) + (1,0) -> (2,0)
  EXPECT_EQ(nij_for(layer27, 15, 8), 35);  // last output, last offset: last padded nij
  const LayerShape wide{1, 1, 2, 5};       // Wp = 7
  EXPECT_EQ(nij_for(wide, 9, 7), 7 * 3 + 4 + 1);  // (1,4) + (2,1) -> (3,5)
}

TEST(WrapAround, TwosComplementWrapMatchesHandValues) {
  EXPECT_EQ(wrap_signed(32767, 16), 32767);
  EXPECT_EQ(wrap_signed(32768, 16), -32768);
  EXPECT_EQ(wrap_signed(65535, 16), -1);
  EXPECT_EQ(wrap_signed(-32769, 16), 32767);
  EXPECT_EQ(wrap_signed(60480, 16), -5056);
  EXPECT_EQ(wrap_signed(-69120, 16), -3584);
  EXPECT_EQ(wrap_signed(840, 8), 72);
  EXPECT_EQ(wrap_signed(-8, 4), -8);
  EXPECT_EQ(wrap_signed(8, 4), -8);
  EXPECT_EQ(to_bits(-1, 16), 0xffffU);
  EXPECT_EQ(to_bits(-32768, 16), 0x8000U);
}

// 64 input channels, every activation 15 and every weight w, on a 3x3 map: an output sees
// 9 (centre), 6 (edges) or 4 (corners) in-map kernel offsets, so its exact sum is
// 64 * k * 15 * w.
WsResult run_constant_layer(int weight, const ArrayShape& array) {
  const LayerShape shape{64, 8, 3, 3};
  ActivationTensor activations(64, 3, 3);
  for (auto& value : activations.data()) value = 15;
  WeightTensor weights(8, 64);
  for (auto& value : weights.data()) value = static_cast<std::int8_t>(weight);
  return run_ws_model(shape, array, activations, weights);
}

TEST(WrapAround, Sum16BitOverflowMatchesHardwareAndIsReported) {
  const WsResult result = run_constant_layer(7, ArrayShape::square(8));
  for (int oc = 0; oc < 8; ++oc) {
    EXPECT_EQ(result.sum.at(oc, 4), -5056);   // centre: 60480 = 0xEC40 -> -5056
    EXPECT_EQ(result.relu.at(oc, 4), 0);      // the wrapped sum is negative: ReLU gives 0
    EXPECT_EQ(result.exact.at(oc, 4), 60480);
    EXPECT_EQ(result.sum.at(oc, 1), -25216);  // edge: 40320 -> 40320 - 65536
    EXPECT_EQ(result.sum.at(oc, 0), 26880);   // corner: 26880 fits
    EXPECT_EQ(result.relu.at(oc, 0), 26880);
  }
  // Reported: the centre and the 4 edges of each of the 8 channels, never the corners.
  ASSERT_EQ(result.overflow.outputs.size(), 8U * 5U);
  for (const OverflowEntry& entry : result.overflow.outputs) {
    EXPECT_TRUE(entry.o_nij == 1 || entry.o_nij == 3 || entry.o_nij == 4 || entry.o_nij == 5 ||
                entry.o_nij == 7)
        << entry.o_nij;
    EXPECT_EQ(entry.wrapped, wrap_signed(entry.exact, 16));
  }
  EXPECT_EQ(result.overflow.outputs.front().oc, 0);
  EXPECT_EQ(result.overflow.outputs.front().o_nij, 1);
  EXPECT_EQ(result.overflow.outputs.front().exact, 40320);
  EXPECT_EQ(result.overflow.wrapped_psums, 0);  // one pass: 8 * 15 * 7 = 840 fits
}

TEST(WrapAround, NegativeOverflowWrapsUpward) {
  const WsResult result = run_constant_layer(-8, ArrayShape::square(8));
  EXPECT_EQ(result.exact.at(0, 4), -69120);
  EXPECT_EQ(result.sum.at(0, 4), -3584);  // -69120 + 65536
  EXPECT_EQ(result.sum.at(0, 1), 19456);  // -46080 + 65536: a negative sum that reads positive
  EXPECT_EQ(result.relu.at(0, 1), 19456);
  EXPECT_TRUE(result.overflow.any());
}

TEST(WrapAround, SinglePsumWrapsAtNarrowPsumWidth) {
  const WsResult result = run_constant_layer(7, ArrayShape{8, 8, 4, 8});
  // One pass of 8 rows: 8 * 15 * 7 = 840 = 0x348 -> 0x48 = 72 in 8 bits.
  const int centre_nij = 2 * 5 + 2;  // padded (2,2) of the 5x5 map
  EXPECT_EQ(result.psum.at(0, 0, 4, centre_nij, 0), 72);
  EXPECT_EQ(result.psum.at(7, 0, 4, centre_nij, 7), 72);
  EXPECT_GT(result.overflow.wrapped_psums, 0);
}

TEST(WsModel, RejectsTensorsThatDoNotMatchTheLayer) {
  const LayerShape shape{8, 8, 4, 4};
  EXPECT_THROW(run_ws_model(shape, ArrayShape{}, ActivationTensor(8, 4, 5), WeightTensor(8, 8)),
               InputError);
  EXPECT_THROW(run_ws_model(shape, ArrayShape{}, ActivationTensor(8, 4, 4), WeightTensor(8, 7)),
               InputError);
}

TEST(WsModel, RejectsValuesOutsideTheBitWidths) {
  const LayerShape shape{1, 1, 1, 1};
  ActivationTensor activations(1, 1, 1);
  WeightTensor weights(1, 1);
  activations.at(0, 0, 0) = 16;
  EXPECT_THROW(run_ws_model(shape, ArrayShape{}, activations, weights), InputError);
  activations.at(0, 0, 0) = 15;
  weights.at(0, 0, 4) = 8;
  EXPECT_THROW(run_ws_model(shape, ArrayShape{}, activations, weights), InputError);
  weights.at(0, 0, 4) = -8;  // the format allows -8..7
  EXPECT_EQ(run_ws_model(shape, ArrayShape{}, activations, weights).sum.at(0, 0), -120);
}

TEST(WsModel, KeepPsumsOffGivesTheSameOutputs) {
  const GeneratedLayer generated = generate_layer("vgg16_sq8", 27, ArrayShape{}, 3);
  WsOptions options;
  options.keep_psums = false;
  const WsResult lean = run_ws_model(generated.layer.shape, ArrayShape{}, generated.activations,
                                     generated.weights, options);
  const ExactOutputTensor direct = direct_convolution(generated.activations, generated.weights);
  EXPECT_TRUE(lean.psum.data().empty());
  for (int oc = 0; oc < 8; ++oc)
    for (int o_nij = 0; o_nij < 16; ++o_nij) EXPECT_EQ(lean.exact.at(oc, o_nij), direct.at(oc, o_nij));
}

}  // namespace
}  // namespace golden
