// Deterministic vector generator: realistic activations/weights for a catalog layer, and
// complete vector-set folders (notebook files + meta.json).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"

namespace golden {

// Realistic: post-ReLU activations and bell-shaped weights, like a trained quantized layer.
// Stress: the corners of the formats (weights -8 and 7, activations 15, all-zero and all-max
// input channels, output channels, map rows and columns), so sums reach the extremes and, on
// layers with enough input channels, wrap at psum_bw.
enum class Stimulus { Realistic, Stress };

struct GeneratedLayer {
  ConvLayer layer;
  ArrayShape array;
  std::uint64_t seed = 0;
  Stimulus stimulus = Stimulus::Realistic;
  ActivationTensor activations;  // post-ReLU bw-bit: many zeros, skewed small
  WeightTensor weights;          // -7..7 (bw = 4), roughly bell-shaped
};

// Same (model, layer, array, seed) -> same tensors on every machine.
GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed, Stimulus stimulus = Stimulus::Realistic);

// The same for any shape (odd shapes in tests).
ActivationTensor generate_activations(const LayerShape& shape, int bw, std::uint64_t seed);
WeightTensor generate_weights(const LayerShape& shape, int bw, std::uint64_t seed);
// Stress inputs (see Stimulus::Stress), deterministic by seed.
ActivationTensor generate_stress_activations(const LayerShape& shape, int bw, std::uint64_t seed);
WeightTensor generate_stress_weights(const LayerShape& shape, int bw, std::uint64_t seed);

// Writes a WS set into dir (created if needed): activation, weight, psum and out (ReLU)
// files with DESIGN.md names and notebook headers, plus a meta.json in the schema of
// ../shared/vectors/README.md. Returns the files written (meta.json last).
std::vector<std::string> write_vector_set(const std::filesystem::path& dir,
                                          const GeneratedLayer& generated);

// Writes an output-stationary set into dir: seed 001's files for pixel group 0 and oc tile 0
// (activation_os_ic{ic}.txt, weight_os_ic{ic}.txt, out_os.txt: raw sums), the whole layer in
// the same layout (write_os_whole_layer_files) and a meta.json with "dataflow": "os" that
// describes the seed files. Returns the files written (meta.json last).
std::vector<std::string> write_os_vector_set(const std::filesystem::path& dir,
                                             const GeneratedLayer& generated);

// The same for any tensors; source is stored in meta.json "source".
std::vector<std::string> write_vector_set(const std::filesystem::path& dir,
                                          const LayerShape& shape, const ArrayShape& array,
                                          const ActivationTensor& activations,
                                          const WeightTensor& weights,
                                          const std::string& source,
                                          const std::string& notes = "");

}  // namespace golden
