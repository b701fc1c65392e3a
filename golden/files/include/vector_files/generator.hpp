// Vector-set generator: complete folders (notebook files + meta.json) for generated layer inputs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/dataflow.hpp"
#include "golden/layer_inputs.hpp"
#include "golden/tensor.hpp"

namespace golden {

// What `make vectors` writes: a generated layer's inputs, and which dataflow's files.
struct VectorSetOptions {
  GeneratorOptions inputs;
  Dataflow dataflow = Dataflow::WeightStationary;
};

// Generates the layer's inputs and writes its set into dir (write_vector_set or
// write_os_vector_set per dataflow). Returns the files written (meta.json last).
std::vector<std::string> write_generated_set(const std::filesystem::path& dir,
                                             const VectorSetOptions& options);

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
