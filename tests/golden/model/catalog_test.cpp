// Layer catalog: DESIGN.md section 5 transcribed by hand, tiling, and non-conv indices.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/error.hpp"

namespace golden {
namespace {

struct Expected {
  int index, in_ch, out_ch, size;
};

// DESIGN.md section 5, typed in from the text.
const std::vector<Expected> kVgg16 = {
    {0, 3, 64, 32},     {3, 64, 64, 32},    {7, 64, 128, 16},   {10, 128, 128, 16},
    {14, 128, 256, 8},  {17, 256, 256, 8},  {20, 256, 256, 8},  {24, 256, 512, 4},
    {27, 512, 512, 4},  {30, 512, 512, 4},  {34, 512, 512, 2},  {37, 512, 512, 2},
    {40, 512, 512, 2}};
const std::vector<Expected> kVgg16Sq8 = {
    {0, 3, 64, 32},    {3, 64, 64, 32},   {7, 64, 128, 16},  {10, 128, 128, 16},
    {14, 128, 256, 8}, {17, 256, 256, 8}, {20, 256, 256, 8}, {24, 256, 8, 4},
    {27, 8, 8, 4},     {29, 8, 512, 4},   {33, 512, 512, 2}, {36, 512, 512, 2},
    {39, 512, 512, 2}};

void expect_catalog(const std::string& model, const std::vector<Expected>& expected) {
  const auto& layers = conv_layers(model);
  ASSERT_EQ(layers.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(layers[i].name());
    EXPECT_EQ(layers[i].index, expected[i].index);
    EXPECT_EQ(layers[i].shape, (LayerShape{expected[i].in_ch, expected[i].out_ch,
                                           expected[i].size, expected[i].size}));
    EXPECT_EQ(&find_layer(model, expected[i].index), &layers[i]);
  }
}

TEST(Catalog, Vgg16ConvLayersMatchDesign) { expect_catalog("vgg16", kVgg16); }

TEST(Catalog, Vgg16Sq8ConvLayersMatchDesign) { expect_catalog("vgg16_sq8", kVgg16Sq8); }

TEST(Catalog, DefaultModelIsTheSqueezeVariant) { EXPECT_EQ(kDefaultModel, "vgg16_sq8"); }

TEST(Catalog, Layer27GeometryMatchesSeed001) {
  // Seed 001: H = W = 4, Wp = 6, 36 nij, 16 o_nij.
  const LayerShape& shape = find_layer("vgg16_sq8", 27).shape;
  EXPECT_EQ(shape.padded_width(), 6);
  EXPECT_EQ(shape.padded_height(), 6);
  EXPECT_EQ(shape.nij_count(), 36);
  EXPECT_EQ(shape.o_nij_count(), 16);
}

TEST(Catalog, TilingRoundsChannelsUpToTheArray) {
  // Seed 000: features[3], 64 -> 64 on a 16x16 array: 4 x 4 tiles.
  EXPECT_EQ(find_layer("vgg16", 3).tiling(ArrayShape::square(16)), (Tiling{4, 4}));
  EXPECT_EQ(find_layer("vgg16", 3).tiling(ArrayShape::square(8)), (Tiling{8, 8}));
  // 3 input channels are zero-padded into one tile.
  EXPECT_EQ(find_layer("vgg16", 0).tiling(ArrayShape::square(8)), (Tiling{1, 8}));
  EXPECT_EQ(find_layer("vgg16_sq8", 27).tiling(ArrayShape::square(8)), (Tiling{1, 1}));
  EXPECT_EQ(find_layer("vgg16_sq8", 27).tiling(ArrayShape::square(16)), (Tiling{1, 1}));
  EXPECT_EQ(find_layer("vgg16_sq8", 24).tiling(ArrayShape::square(16)), (Tiling{16, 1}));
  EXPECT_EQ(Tiling::of(LayerShape{13, 17, 3, 3}, ArrayShape{8, 16, 4, 16}), (Tiling{2, 2}));
}

TEST(Catalog, NonConvIndexNamesWhatItIsAndListsConvLayers) {
  try {
    find_layer("vgg16_sq8", 28);
    FAIL() << "features[28] accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "vgg16_sq8 features[28] is ReLU, not a conv layer; conv layers are 0, 3, 7, 10, 14, "
              "17, 20, 24, 27, 29, 33, 36, 39");
  }
  try {
    find_layer("vgg16", 6);
    FAIL() << "features[6] accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("vgg16 features[6] is MaxPool2d, not a conv layer"),
              std::string::npos)
        << error.what();
  }
  try {
    find_layer("vgg16", 1);
    FAIL() << "features[1] accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("is BatchNorm2d"), std::string::npos) << error.what();
  }
}

TEST(Catalog, IndexPastTheModelIsAnError) {
  EXPECT_THROW(find_layer("vgg16", 45), InputError);
  EXPECT_THROW(find_layer("vgg16_sq8", -1), InputError);
  EXPECT_EQ(features("vgg16").size(), 45U);      // features[0..43] + AvgPool2d at 44
  EXPECT_EQ(features("vgg16_sq8").size(), 44U);  // features[0..42] + AvgPool2d at 43
}

TEST(Catalog, UnknownModelIsAnError) {
  try {
    find_layer("resnet20", 0);
    FAIL() << "unknown model accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), "unknown model 'resnet20'; models are vgg16, vgg16_sq8");
  }
}

TEST(Catalog, ValidateRejectsWidthsTheModelCannotHold) {
  EXPECT_THROW(validate(ArrayShape{0, 8, 4, 16}), InputError);
  EXPECT_THROW(validate(ArrayShape{8, 8, 9, 16}), InputError);
  EXPECT_THROW(validate(ArrayShape{8, 8, 4, 33}), InputError);
  EXPECT_NO_THROW(validate(ArrayShape{16, 8, 4, 16}));
  EXPECT_THROW(validate(LayerShape{0, 8, 4, 4}), InputError);
}

}  // namespace
}  // namespace golden
