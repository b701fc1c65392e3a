// Deterministic, realistic inputs of a layer: post-ReLU activations and bell-shaped weights from a seed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"

namespace golden {

// Everything that decides the generated values: a new kind of values (a stress mode) is one
// more field here and one more branch in generate_layer.
struct GeneratorOptions {
  std::string model{kDefaultModel};
  int layer = 27;
  ArrayShape array;
  std::uint64_t seed = 1;
};

struct GeneratedLayer {
  ConvLayer layer;
  ArrayShape array;
  std::uint64_t seed = 0;
  ActivationTensor activations;  // post-ReLU bw-bit: many zeros, skewed small
  WeightTensor weights;          // -7..7 (bw = 4), roughly bell-shaped
};

// Same options -> same tensors on every machine.
GeneratedLayer generate_layer(const GeneratorOptions& options);
GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed);

// The same for any shape (odd shapes in tests).
ActivationTensor generate_activations(const LayerShape& shape, int bw, std::uint64_t seed);
WeightTensor generate_weights(const LayerShape& shape, int bw, std::uint64_t seed);

}  // namespace golden
