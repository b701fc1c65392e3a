// Layer catalog of DESIGN.md section 5: shapes, padding and tiling of every conv layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace golden {

// The systolic array and its arithmetic widths.
struct ArrayShape {
  int row = 8;       // array rows = input channels per pass (activation lanes)
  int col = 8;       // array columns = output channels per pass (psum lanes)
  int bw = 4;        // activation / weight width
  int psum_bw = 16;  // psum / output width (two's complement, wraps)

  static ArrayShape square(int size) { return ArrayShape{size, size, 4, 16}; }
  bool operator==(const ArrayShape& other) const {
    return row == other.row && col == other.col && bw == other.bw && psum_bw == other.psum_bw;
  }
  bool operator!=(const ArrayShape& other) const { return !(*this == other); }
};

// One 3x3, stride-1, padding-1 convolution. height/width are the unpadded (= output) size.
struct LayerShape {
  int in_ch = 0;
  int out_ch = 0;
  int height = 0;
  int width = 0;

  int padded_height() const { return height + 2; }
  int padded_width() const { return width + 2; }
  int nij_count() const { return padded_height() * padded_width(); }  // padded positions
  int o_nij_count() const { return height * width; }                  // output positions
  bool operator==(const LayerShape& other) const {
    return in_ch == other.in_ch && out_ch == other.out_ch && height == other.height &&
           width == other.width;
  }
  bool operator!=(const LayerShape& other) const { return !(*this == other); }
};

// Channel tiles: ceil(in_ch / row) input tiles, ceil(out_ch / col) output tiles.
struct Tiling {
  int ic_tiles = 1;
  int oc_tiles = 1;

  static Tiling of(const LayerShape& shape, const ArrayShape& array);
  bool single() const { return ic_tiles == 1 && oc_tiles == 1; }
  bool operator==(const Tiling& other) const {
    return ic_tiles == other.ic_tiles && oc_tiles == other.oc_tiles;
  }
  bool operator!=(const Tiling& other) const { return !(*this == other); }
};

// Checks widths and sizes a model can run with; throws InputError naming the bad field.
void validate(const ArrayShape& array);
void validate(const LayerShape& shape);

// What a features[i] entry of a model is.
enum class FeatureKind { Conv, BatchNorm, Relu, MaxPool, AvgPool };
std::string_view to_string(FeatureKind kind);  // "QuantConv2d", "BatchNorm2d", "ReLU", ...

// One conv layer of a model.
struct ConvLayer {
  std::string model;  // "vgg16" or "vgg16_sq8"
  int index = 0;      // features[index]
  LayerShape shape;
  bool pool_after = false;  // a MaxPool2d follows this layer's ReLU

  Tiling tiling(const ArrayShape& array) const { return Tiling::of(shape, array); }
  std::string name() const;  // "vgg16_sq8 features[27]"
};

inline constexpr std::string_view kDefaultModel = "vgg16_sq8";

const std::vector<std::string>& model_names();  // {"vgg16", "vgg16_sq8"}

// Every conv layer of a model in features order. Throws InputError for an unknown model.
const std::vector<ConvLayer>& conv_layers(std::string_view model);

// Every features[i] entry of a model. Throws InputError for an unknown model.
const std::vector<FeatureKind>& features(std::string_view model);

// The conv layer at features[index]. Throws InputError for an unknown model, an index
// out of range, or an index that is not a conv layer ("vgg16_sq8 features[28] is ReLU,
// not a conv layer; conv layers are 0, 3, 7, ...").
const ConvLayer& find_layer(std::string_view model, int index);

}  // namespace golden
