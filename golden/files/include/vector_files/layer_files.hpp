// Tensors <-> file records for one layer: which element of which line holds which value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/os_model.hpp"
#include "golden/tensor.hpp"
#include "golden/ws_model.hpp"
#include "vector_files/vector_file.hpp"

namespace golden {

// Records (values[record][element]) of each WS file for one tile.
// activation: nij x row, element r = A_pad[ic_tile*row + r][nij].
std::vector<std::int64_t> activation_records(const ActivationTensor& activations,
                                             const ArrayShape& array, int ic_tile);
// weight: col x row, line c (array column = output channel oc_tile*col + c), element r
// (input channel ic_tile*row + r). transposed: row x col, line r, element c.
std::vector<std::int64_t> weight_records(const WeightTensor& weights, const ArrayShape& array,
                                         int ic_tile, int oc_tile, int kij,
                                         bool transposed = false);
// psum: nij x col.
std::vector<std::int64_t> psum_records(const PsumTensor& psum, int ic_tile, int oc_tile, int kij);
// out: o_nij x col, element c = channel oc_tile*col + c (0 past the map's channels).
std::vector<std::int64_t> out_records(const OutputTensor& out, const ArrayShape& array,
                                      int oc_tile);
// OS files of one pixel group and oc tile: 9 x row, 9 x col, row x col.
std::vector<std::int64_t> activation_os_records(const OsResult& os, int ic);
std::vector<std::int64_t> weight_os_records(const OsResult& os, int ic);
std::vector<std::int64_t> out_os_records(const OsResult& os);

// The inverse: place one file's records into tensors (a non-zero border of the streamed map
// goes to ActivationTensor::set_border). Throw InputError (file, line, element) for a non-zero
// value in a channel the layer does not have.
void store_activation_records(const RecordFile& file, const ArrayShape& array, int ic_tile,
                              ActivationTensor& activations);
void store_weight_records(const RecordFile& file, const ArrayShape& array, int ic_tile,
                          int oc_tile, int kij, bool transposed, WeightTensor& weights);

// Writes every WS file of a layer into dir with DESIGN.md names (tiled names when the layer
// needs more than one tile), the notebook headers and high-first order. out files hold
// ReLU outputs (relu = true, the notebook's out.txt) or raw sums. Returns the file names.
std::vector<std::string> write_ws_layer_files(const std::filesystem::path& dir,
                                              const ActivationTensor& activations,
                                              const WeightTensor& weights,
                                              const WsResult& result, bool relu = true);

// Writes activation_os_ic{ic}.txt, weight_os_ic{ic}.txt for every ic and out_os.txt.
std::vector<std::string> write_os_layer_files(const std::filesystem::path& dir,
                                              const OsResult& result);

// The whole layer in the same layout, pixel group and oc tile indices in the names.
std::string activation_os_group_file_name(int group, int ic);  // activation_os_group{g}_ic{ic}.txt
std::string weight_os_otile_file_name(int oc_tile, int ic);    // weight_os_otile{o}_ic{ic}.txt
std::string out_os_group_file_name(int group, int oc_tile);    // out_os_group{g}_otile{o}.txt

// Writes those files for every pixel group and oc tile of the layer (activations per group,
// weights per oc tile, raw sums per group and oc tile). Returns the file names.
std::vector<std::string> write_os_whole_layer_files(const std::filesystem::path& dir,
                                                    const LayerShape& shape,
                                                    const ArrayShape& array,
                                                    const ActivationTensor& activations,
                                                    const WeightTensor& weights);

}  // namespace golden
