// Vector generator: determinism, realistic value distributions, file naming of the sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/ws_model.hpp"
#include "test_support.hpp"
#include "vector_files/generator.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using golden_test::read_text;
using golden_test::TempDir;

std::map<std::string, std::string> folder_contents(const fs::path& dir) {
  std::map<std::string, std::string> contents;
  for (const auto& entry : fs::directory_iterator(dir))
    contents[entry.path().filename().string()] = read_text(entry.path());
  return contents;
}

TEST(Generator, SameSeedSameBytes) {
  TempDir first;
  TempDir second;
  write_vector_set(first.path() / "set", generate_layer("vgg16_sq8", 27, ArrayShape{}, 5));
  write_vector_set(second.path() / "set", generate_layer("vgg16_sq8", 27, ArrayShape{}, 5));
  const auto a = folder_contents(first.path() / "set");
  const auto b = folder_contents(second.path() / "set");
  EXPECT_EQ(a.size(), 1U + 9U + 9U + 1U + 1U);
  EXPECT_TRUE(a == b);
}

TEST(Generator, DifferentSeedsAndLayersGiveDifferentTensors) {
  const GeneratedLayer one = generate_layer("vgg16_sq8", 27, ArrayShape{}, 1);
  const GeneratedLayer two = generate_layer("vgg16_sq8", 27, ArrayShape{}, 2);
  EXPECT_FALSE(one.activations == two.activations);
  EXPECT_FALSE(one.weights == two.weights);
  const GeneratedLayer other_model = generate_layer("vgg16", 24, ArrayShape{}, 1);
  const GeneratedLayer same_shape = generate_layer("vgg16", 27, ArrayShape{}, 1);
  EXPECT_FALSE(other_model.activations.data() ==
               std::vector<std::uint8_t>(same_shape.activations.data().begin(),
                                         same_shape.activations.data().begin() +
                                             static_cast<long>(other_model.activations.data().size())));
}

TEST(Generator, TensorsDoNotDependOnTheArraySize) {
  const GeneratedLayer small = generate_layer("vgg16", 10, ArrayShape::square(8), 3);
  const GeneratedLayer large = generate_layer("vgg16", 10, ArrayShape::square(16), 3);
  EXPECT_TRUE(small.activations == large.activations);
  EXPECT_TRUE(small.weights == large.weights);
}

TEST(Generator, ActivationsLookPostReluAndSkewedSmall) {
  const GeneratedLayer layer = generate_layer("vgg16", 3, ArrayShape{}, 1);  // 64 x 32 x 32
  std::array<int, 16> histogram{};
  for (std::uint8_t value : layer.activations.data()) {
    ASSERT_LE(value, 15);
    ++histogram[value];
  }
  const double total = static_cast<double>(layer.activations.data().size());
  EXPECT_GT(histogram[0] / total, 0.4);
  EXPECT_LT(histogram[0] / total, 0.6);
  EXPECT_GT(histogram[1], histogram[3]);
  EXPECT_GT(histogram[3], histogram[6]);
  EXPECT_GT(histogram[6], histogram[12]);
  EXPECT_GT(histogram[15], 0);  // the full range occurs
}

TEST(Generator, WeightsAreBellShapedWithinSevenBits) {
  const GeneratedLayer layer = generate_layer("vgg16", 3, ArrayShape{}, 1);  // 64 x 64 x 9
  std::map<int, int> histogram;
  long sum = 0;
  for (std::int8_t value : layer.weights.data()) {
    ASSERT_GE(value, -7);
    ASSERT_LE(value, 7);
    ++histogram[value];
    sum += value;
  }
  const double mean = static_cast<double>(sum) / static_cast<double>(layer.weights.data().size());
  EXPECT_NEAR(mean, 0.0, 0.1);
  EXPECT_GT(histogram[0], histogram[2]);
  EXPECT_GT(histogram[-2], histogram[-4]);
  EXPECT_GT(histogram[4], histogram[6]);
  EXPECT_GT(histogram[-5] + histogram[5], 0);
  EXPECT_GT(histogram[-1], 0);
}

TEST(Generator, SingleTileLayerUsesNotebookNames) {
  TempDir dir;
  const auto files = write_vector_set(dir.path(), generate_layer("vgg16_sq8", 27, ArrayShape{}, 1));
  EXPECT_EQ(files.front(), "activation.txt");
  EXPECT_EQ(files.back(), "meta.json");
  for (const char* name : {"weight_kij0.txt", "weight_kij8.txt", "psum_kij4.txt", "out.txt"})
    EXPECT_TRUE(fs::exists(dir.path() / name)) << name;
}

TEST(Generator, TiledLayerUsesTiledNamesAndItsMetaReadsBack) {
  TempDir dir;
  const GeneratedLayer generated = generate_layer("vgg16_sq8", 24, ArrayShape::square(16), 1);
  const auto files = write_vector_set(dir.path(), generated);  // 256 -> 8: 16 ic tiles, 1 oc tile
  EXPECT_EQ(files.size(), 16U + 16U * 9U + 16U * 9U + 1U + 1U);
  for (const char* name : {"activation_tile0.txt", "activation_tile15.txt",
                           "weight_itile15_otile0_kij8.txt", "psum_itile3_otile0_kij0.txt",
                           "out_otile0.txt"})
    EXPECT_TRUE(fs::exists(dir.path() / name)) << name;
  EXPECT_FALSE(fs::exists(dir.path() / "activation.txt"));
  const VectorSet set = load_vector_set(dir.path());
  EXPECT_EQ(set.tiling, (Tiling{16, 1}));
  EXPECT_TRUE(set.activations == generated.activations);
  EXPECT_TRUE(set.weights == generated.weights);
  const CheckReport report = check_vector_set(set);
  EXPECT_TRUE(report.disagreements.empty());
  EXPECT_EQ(report.outputs_checked, 16 * 16);
}

TEST(Generator, NonConvLayerIsRejected) {
  EXPECT_THROW(generate_layer("vgg16_sq8", 28, ArrayShape{}, 1), InputError);
}

}  // namespace
TEST(GeneratorStress, ReachesTheCornersOfBothFormats) {
  const GeneratedLayer layer =
      generate_layer("vgg16_sq8", 27, ArrayShape::square(8), 1, Stimulus::Stress);
  const auto& weights = layer.weights.data();
  const auto& activations = layer.activations.data();
  EXPECT_NE(std::count(weights.begin(), weights.end(), -8), 0);
  EXPECT_NE(std::count(weights.begin(), weights.end(), 7), 0);
  EXPECT_NE(std::count(activations.begin(), activations.end(), 15), 0);
  // Whole output channels at -8, at 7 and at 0; whole input channels at 15 and at 0.
  const auto channel_is = [&](int oc, int value) {
    for (int ic = 0; ic < 8; ++ic)
      for (int kij = 0; kij < 9; ++kij)
        if (layer.weights.at(oc, ic, kij) != value) return false;
    return true;
  };
  const auto plane_is = [&](int ic, int value) {
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x)
        if (layer.activations.at(ic, y, x) != value) return false;
    return true;
  };
  for (int value : {-8, 7, 0}) {
    bool found = false;
    for (int oc = 0; oc < 8; ++oc) found = found || channel_is(oc, value);
    EXPECT_TRUE(found) << "no output channel all " << value;
  }
  for (int value : {15, 0}) {
    bool found = false;
    for (int ic = 0; ic < 8; ++ic) found = found || plane_is(ic, value);
    EXPECT_TRUE(found) << "no input channel all " << value;
  }
}

TEST(GeneratorStress, SumsWrapOnAWideLayerAndTheSeedDecides) {
  const ArrayShape array = ArrayShape::square(8);
  const GeneratedLayer one = generate_layer("vgg16_sq8", 24, array, 1, Stimulus::Stress);
  const GeneratedLayer again = generate_layer("vgg16_sq8", 24, array, 1, Stimulus::Stress);
  const GeneratedLayer other = generate_layer("vgg16_sq8", 24, array, 2, Stimulus::Stress);
  EXPECT_TRUE(one.activations == again.activations);
  EXPECT_TRUE(one.weights == again.weights);
  EXPECT_FALSE(one.activations == other.activations && one.weights == other.weights);
  const WsResult result = run_ws_model(one.layer.shape, array, one.activations, one.weights);
  EXPECT_FALSE(result.overflow.outputs.empty()) << "256 channels at the corners must wrap";
  const GeneratedLayer realistic = generate_layer("vgg16_sq8", 24, array, 1);
  EXPECT_FALSE(realistic.weights == one.weights);
}

}  // namespace golden
