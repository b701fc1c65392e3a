// Deterministic inputs of a layer from a seed: realistic (post-ReLU activations, bell-shaped weights) or at the formats' corners.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"

namespace golden {

// Realistic: post-ReLU activations and bell-shaped weights, like a trained quantized layer.
// Stress: the corners of the formats (weights -8 and 7, activations 15, all-zero and all-max
// input channels, output channels, map rows and columns), so sums reach the extremes and, on
// layers with enough input channels, wrap at psum_bw.
enum class Stimulus { Realistic, Stress };

// Everything that decides the generated values: a new kind of values (a stress mode) is one
// more field here and one more branch in generate_layer.
struct GeneratorOptions {
  std::string model{kDefaultModel};
  int layer = 27;
  ArrayShape array;
  std::uint64_t seed = 1;
  Stimulus stimulus = Stimulus::Realistic;
};

struct GeneratedLayer {
  ConvLayer layer;
  ArrayShape array;
  std::uint64_t seed = 0;
  Stimulus stimulus = Stimulus::Realistic;
  ActivationTensor activations;  // realistic: post-ReLU bw-bit, many zeros, skewed small
  WeightTensor weights;          // realistic: -7..7 (bw = 4), roughly bell-shaped
};

// Same options -> same tensors on every machine.
GeneratedLayer generate_layer(const GeneratorOptions& options);
GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed, Stimulus stimulus = Stimulus::Realistic);

// The same for any shape (odd shapes in tests).
ActivationTensor generate_activations(const LayerShape& shape, int bw, std::uint64_t seed);
WeightTensor generate_weights(const LayerShape& shape, int bw, std::uint64_t seed);
// Stress inputs (see Stimulus::Stress), deterministic by seed.
ActivationTensor generate_stress_activations(const LayerShape& shape, int bw, std::uint64_t seed);
WeightTensor generate_stress_weights(const LayerShape& shape, int bw, std::uint64_t seed);

}  // namespace golden
