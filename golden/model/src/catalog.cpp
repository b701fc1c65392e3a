// The VGG16 and VGG16-squeeze layer catalogs, transcribed from the two seed notebooks.
#include "golden/catalog.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <map>

#include "golden/error.hpp"

namespace golden {
namespace {

// A conv layer as the notebooks print it: channels, map size, what follows it.
struct ConvSpec {
  int in_ch;
  int out_ch;
  int size;
  bool batch_norm;  // QuantConv2d -> BatchNorm2d -> ReLU, or QuantConv2d -> ReLU
  bool pool_after;
};

struct Model {
  std::vector<FeatureKind> features;
  std::vector<ConvLayer> convs;
};

Model build(const std::string& name, const std::vector<ConvSpec>& specs) {
  Model model;
  for (const ConvSpec& spec : specs) {
    ConvLayer layer;
    layer.model = name;
    layer.index = static_cast<int>(model.features.size());
    layer.shape = LayerShape{spec.in_ch, spec.out_ch, spec.size, spec.size};
    layer.pool_after = spec.pool_after;
    model.convs.push_back(layer);
    model.features.push_back(FeatureKind::Conv);
    if (spec.batch_norm) model.features.push_back(FeatureKind::BatchNorm);
    model.features.push_back(FeatureKind::Relu);
    if (spec.pool_after) model.features.push_back(FeatureKind::MaxPool);
  }
  model.features.push_back(FeatureKind::AvgPool);
  return model;
}

const std::map<std::string, Model, std::less<>>& models() {
  // Seed 000 (VGG16_quant) and seed 001 (the 8-channel squeeze variant); features[]
  // indices follow from the module order printed in each notebook.
  static const std::map<std::string, Model, std::less<>> all = {
      {"vgg16", build("vgg16", {{3, 64, 32, true, false},
                                {64, 64, 32, true, true},
                                {64, 128, 16, true, false},
                                {128, 128, 16, true, true},
                                {128, 256, 8, true, false},
                                {256, 256, 8, true, false},
                                {256, 256, 8, true, true},
                                {256, 512, 4, true, false},
                                {512, 512, 4, true, false},
                                {512, 512, 4, true, true},
                                {512, 512, 2, true, false},
                                {512, 512, 2, true, false},
                                {512, 512, 2, true, true}})},
      {"vgg16_sq8", build("vgg16_sq8", {{3, 64, 32, true, false},
                                        {64, 64, 32, true, true},
                                        {64, 128, 16, true, false},
                                        {128, 128, 16, true, true},
                                        {128, 256, 8, true, false},
                                        {256, 256, 8, true, false},
                                        {256, 256, 8, true, true},
                                        {256, 8, 4, true, false},
                                        {8, 8, 4, false, false},
                                        {8, 512, 4, true, true},
                                        {512, 512, 2, true, false},
                                        {512, 512, 2, true, false},
                                        {512, 512, 2, true, true}})},
  };
  return all;
}

const Model& find_model(std::string_view name) {
  const auto& all = models();
  auto it = all.find(name);
  if (it == all.end()) {
    throw InputError(fmt::format("unknown model '{}'; models are {}", name,
                                 fmt::join(model_names(), ", ")));
  }
  return it->second;
}

std::string conv_index_list(const Model& model) {
  std::vector<int> indices;
  for (const ConvLayer& layer : model.convs) indices.push_back(layer.index);
  return fmt::format("{}", fmt::join(indices, ", "));
}

}  // namespace

Tiling Tiling::of(const LayerShape& shape, const ArrayShape& array) {
  return Tiling{(shape.in_ch + array.row - 1) / array.row,
                (shape.out_ch + array.col - 1) / array.col};
}

void validate(const ArrayShape& array) {
  if (array.row < 1 || array.row > 64)
    throw InputError(fmt::format("array row {} out of range 1..64", array.row));
  if (array.col < 1 || array.col > 64)
    throw InputError(fmt::format("array col {} out of range 1..64", array.col));
  if (array.bw < 1 || array.bw > 8)
    throw InputError(fmt::format("bw {} out of range 1..8", array.bw));
  if (array.psum_bw < 2 || array.psum_bw > 32)
    throw InputError(fmt::format("psum_bw {} out of range 2..32", array.psum_bw));
}

void validate(const LayerShape& shape) {
  if (shape.in_ch < 1) throw InputError(fmt::format("in_ch {} must be at least 1", shape.in_ch));
  if (shape.out_ch < 1)
    throw InputError(fmt::format("out_ch {} must be at least 1", shape.out_ch));
  if (shape.height < 1 || shape.height > 4096)
    throw InputError(fmt::format("height {} out of range 1..4096", shape.height));
  if (shape.width < 1 || shape.width > 4096)
    throw InputError(fmt::format("width {} out of range 1..4096", shape.width));
  // Tensors are allocated from these numbers before any file is read, so an absurd meta.json
  // must be refused here rather than end in an allocation failure. The catalog's largest
  // tensors (512x512x9 weights, 64x34x34 activations) are far below the limit.
  constexpr std::int64_t kMaxValues = std::int64_t{1} << 27;
  const std::int64_t activations = std::int64_t{shape.in_ch} * shape.height * shape.width;
  const std::int64_t outputs = std::int64_t{shape.out_ch} * shape.height * shape.width;
  const std::int64_t weights = std::int64_t{shape.out_ch} * shape.in_ch * 9;
  if (activations > kMaxValues || outputs > kMaxValues || weights > kMaxValues) {
    throw InputError(fmt::format("layer {}->{} channels at {}x{} is too large: {} activations, "
                                 "{} weights, {} outputs; at most {} values each",
                                 shape.in_ch, shape.out_ch, shape.height, shape.width,
                                 activations, weights, outputs, kMaxValues));
  }
}

std::string_view to_string(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::Conv: return "QuantConv2d";
    case FeatureKind::BatchNorm: return "BatchNorm2d";
    case FeatureKind::Relu: return "ReLU";
    case FeatureKind::MaxPool: return "MaxPool2d";
    case FeatureKind::AvgPool: return "AvgPool2d";
  }
  return "?";
}

std::string ConvLayer::name() const { return fmt::format("{} features[{}]", model, index); }

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& entry : models()) result.push_back(entry.first);
    return result;
  }();
  return names;
}

const std::vector<ConvLayer>& conv_layers(std::string_view model) {
  return find_model(model).convs;
}

const std::vector<FeatureKind>& features(std::string_view model) {
  return find_model(model).features;
}

const ConvLayer& find_layer(std::string_view model_name, int index) {
  const Model& model = find_model(model_name);
  if (index < 0 || index >= static_cast<int>(model.features.size())) {
    throw InputError(fmt::format("{} has no features[{}] (0..{}); conv layers are {}",
                                 model_name, index, model.features.size() - 1,
                                 conv_index_list(model)));
  }
  for (const ConvLayer& layer : model.convs) {
    if (layer.index == index) return layer;
  }
  throw InputError(fmt::format("{} features[{}] is {}, not a conv layer; conv layers are {}",
                               model_name, index, to_string(model.features[index]),
                               conv_index_list(model)));
}

}  // namespace golden
