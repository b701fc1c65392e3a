// Output-stationary model against the direct convolution and the WS model, in seed 001's layout.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "golden/arithmetic.hpp"
#include "golden/catalog.hpp"
#include "golden/conv.hpp"
#include "golden/error.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"

namespace golden {
namespace {

struct OsCase {
  std::string name;
  LayerShape shape;
  ArrayShape array;
  std::vector<int> groups;    // empty: every group
  std::vector<int> oc_tiles;  // empty: every oc tile
};

void PrintTo(const OsCase& param, std::ostream* os) { *os << param.name; }

class OsModelMatchesDirectConvolution : public ::testing::TestWithParam<OsCase> {};

TEST_P(OsModelMatchesDirectConvolution, EveryPeSum) {
  const OsCase& param = GetParam();
  const ActivationTensor activations = generate_activations(param.shape, param.array.bw, 5);
  const WeightTensor weights = generate_weights(param.shape, param.array.bw, 5);
  const ExactOutputTensor direct = direct_convolution(activations, weights);

  std::vector<int> groups = param.groups;
  if (groups.empty())
    for (int g = 0; g < os_group_count(param.shape, param.array); ++g) groups.push_back(g);
  std::vector<int> oc_tiles = param.oc_tiles;
  if (oc_tiles.empty())
    for (int t = 0; t < Tiling::of(param.shape, param.array).oc_tiles; ++t) oc_tiles.push_back(t);

  for (int group : groups) {
    for (int oc_tile : oc_tiles) {
      const OsResult os = run_os_model(param.shape, param.array, activations, weights, group, oc_tile);
      for (int r = 0; r < param.array.row; ++r) {
        const int o_nij = group * param.array.row + r;
        for (int c = 0; c < param.array.col; ++c) {
          const int oc = oc_tile * param.array.col + c;
          std::int64_t expected = 0;
          if (o_nij < param.shape.o_nij_count() && oc < param.shape.out_ch)
            expected = direct.at(oc, o_nij);
          ASSERT_EQ(os.exact[static_cast<std::size_t>(r) * param.array.col + c], expected)
              << "group " << group << " oc_tile " << oc_tile << " pixel " << r << " col " << c;
          ASSERT_EQ(os.out(r, c), wrap_signed(expected, param.array.psum_bw))
              << "group " << group << " oc_tile " << oc_tile << " pixel " << r << " col " << c;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layers, OsModelMatchesDirectConvolution,
    ::testing::Values(
        OsCase{"vgg16_sq8_27_array8", {8, 8, 4, 4}, ArrayShape::square(8), {}, {}},
        OsCase{"vgg16_sq8_27_array16", {8, 8, 4, 4}, ArrayShape::square(16), {}, {}},
        OsCase{"vgg16_sq8_0_array8_some_groups", {3, 64, 32, 32}, ArrayShape::square(8),
               {0, 1, 37, 127}, {0, 7}},
        OsCase{"vgg16_24_array8_some_groups", {256, 512, 4, 4}, ArrayShape::square(8), {0, 1},
               {0, 63}},
        OsCase{"partial_last_group", {5, 11, 3, 3}, ArrayShape::square(8), {}, {}},
        OsCase{"psum_bw_10_wraps", {64, 8, 4, 4}, ArrayShape{8, 8, 4, 10}, {}, {}}),
    [](const ::testing::TestParamInfo<OsCase>& info) { return info.param.name; });

// Every conv layer of the default model on the 8x8 array: the OS sums of every pixel group and
// oc tile equal the WS model's accumulated (wrapped, pre-ReLU) outputs bit for bit.
class OsMatchesWeightStationary : public ::testing::TestWithParam<int> {};

std::vector<int> default_model_layers() {
  std::vector<int> indices;
  for (const ConvLayer& layer : conv_layers(kDefaultModel)) indices.push_back(layer.index);
  return indices;
}

TEST_P(OsMatchesWeightStationary, EveryPixelGroupAndOcTile) {
  const ArrayShape array = ArrayShape::square(8);
  const GeneratedLayer generated = generate_layer(kDefaultModel, GetParam(), array, 1);
  const LayerShape& shape = generated.layer.shape;
  WsOptions options;
  options.keep_psums = false;
  const WsResult ws = run_ws_model(shape, array, generated.activations, generated.weights, options);
  const int oc_tiles = Tiling::of(shape, array).oc_tiles;
  long long compared = 0;
  for (int group = 0; group < os_group_count(shape, array); ++group) {
    for (int oc_tile = 0; oc_tile < oc_tiles; ++oc_tile) {
      const OsResult os =
          run_os_model(shape, array, generated.activations, generated.weights, group, oc_tile);
      for (int r = 0; r < array.row; ++r) {
        const int o_nij = os.o_nij(r);
        if (o_nij < 0) continue;
        for (int c = 0; c < array.col; ++c) {
          const int oc = oc_tile * array.col + c;
          if (oc >= shape.out_ch) continue;
          ASSERT_EQ(os.out(r, c), ws.sum.at(oc, o_nij))
              << generated.layer.name() << " group " << group << " oc_tile " << oc_tile
              << " pixel " << r << " col " << c;
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, static_cast<long long>(shape.o_nij_count()) * shape.out_ch);
}

INSTANTIATE_TEST_SUITE_P(
    DefaultModel8x8, OsMatchesWeightStationary, ::testing::ValuesIn(default_model_layers()),
    [](const ::testing::TestParamInfo<int>& info) {
      return "features_" + std::to_string(info.param);
    });

TEST(OsModel, FilesFollowSeed001Layout) {
  // Seed 001 writes, for layer 0 (32x32, Wp = 34), line j*3+i of activation_os_ic{ic}.txt with
  // element p = a_pad[ic, p + i + 34*j] and line kij of weight_os_ic{ic}.txt with element
  // c = w_int[c, ic, kij].
  const LayerShape shape{3, 64, 32, 32};
  const ArrayShape array = ArrayShape::square(8);
  const ActivationTensor activations = generate_activations(shape, 4, 11);
  const WeightTensor weights = generate_weights(shape, 4, 11);
  const OsResult os = run_os_model(shape, array, activations, weights, 0, 0);
  auto a_pad = [&](int ic, int index) -> int {
    const int y = index / 34 - 1;
    const int x = index % 34 - 1;
    return (y < 0 || y >= 32 || x < 0 || x >= 32) ? 0 : activations.at(ic, y, x);
  };
  for (int ic = 0; ic < 3; ++ic) {
    for (int j = 0; j < 3; ++j) {
      for (int i = 0; i < 3; ++i) {
        for (int p = 0; p < 8; ++p)
          ASSERT_EQ(os.activation(ic, j * 3 + i, p), a_pad(ic, p + i + 34 * j))
              << "ic " << ic << " line " << j * 3 + i << " element " << p;
        for (int c = 0; c < 8; ++c)
          ASSERT_EQ(os.weight(ic, j * 3 + i, c), weights.at(c, ic, j * 3 + i));
      }
    }
  }
}

TEST(OsModel, PixelsPastTheMapSeeZeros) {
  const LayerShape shape{2, 3, 3, 3};  // 9 pixels: group 1 holds pixel 8 only
  ActivationTensor activations(2, 3, 3);
  for (auto& value : activations.data()) value = 15;
  WeightTensor weights(3, 2);
  for (auto& value : weights.data()) value = 1;
  const OsResult os = run_os_model(shape, ArrayShape::square(8), activations, weights, 1, 0);
  EXPECT_EQ(os.o_nij(0), 8);
  EXPECT_EQ(os.o_nij(1), -1);
  EXPECT_EQ(os.out(0, 0), 2 * 4 * 15);  // bottom-right corner: 4 in-map offsets, 2 channels
  EXPECT_EQ(os.out(1, 0), 0);
  EXPECT_EQ(os.out(0, 3), 0);           // no output channel 3
}

TEST(OsModel, RejectsGroupAndTileOutOfRange) {
  const LayerShape shape{8, 8, 4, 4};
  const ActivationTensor activations(8, 4, 4);
  const WeightTensor weights(8, 8);
  EXPECT_THROW(run_os_model(shape, ArrayShape{}, activations, weights, 2, 0), InputError);
  EXPECT_THROW(run_os_model(shape, ArrayShape{}, activations, weights, 0, 1), InputError);
}

}  // namespace
}  // namespace golden
