// Vector-set generator: writes a generated layer's notebook files and the meta.json that describes them.
#include "vector_files/generator.hpp"

#include <fmt/format.h>

#include <fstream>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/meta.hpp"

namespace golden {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  if (!stream) throw InputError(path.string(), "cannot create file");
  stream << text;
  if (!stream) throw InputError(path.string(), "write failed");
}

// The meta.json fields every generated set shares: its shape, 3 notebook header lines, the
// notebook's element order, no defects.
VectorSetMeta layer_meta(const LayerShape& shape, const ArrayShape& array, Dataflow dataflow) {
  VectorSetMeta meta;
  meta.dataflow = dataflow;
  meta.array = array;
  meta.layer = shape;
  meta.tiles = Tiling::of(shape, array);
  for (FileRole role : kFileRoles) meta.header_lines[role] = 3;
  return meta;
}

}  // namespace

std::vector<std::string> write_vector_set(const std::filesystem::path& dir,
                                          const LayerShape& shape, const ArrayShape& array,
                                          const ActivationTensor& activations,
                                          const WeightTensor& weights, const std::string& source,
                                          const std::string& notes) {
  const WsResult result = run_ws_model(shape, array, activations, weights);
  std::vector<std::string> written = write_ws_layer_files(dir, activations, weights, result, true);

  const bool single = result.tiling.single();
  VectorSetMeta meta = layer_meta(shape, array, Dataflow::WeightStationary);
  meta.source = source;
  meta.patterns = {
      {FileRole::Activation, single ? "activation.txt" : "activation_tile{ic_tile}.txt"},
      {FileRole::Weight,
       single ? "weight_kij{kij}.txt" : "weight_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt"},
      {FileRole::Psum,
       single ? "psum_kij{kij}.txt" : "psum_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt"},
      {FileRole::Out, single ? "out.txt" : "out_otile{oc_tile}.txt"}};
  std::string all_notes = notes;
  if (!result.overflow.outputs.empty()) {
    all_notes += fmt::format("{}{} outputs wrap at psum_bw = {} (the files hold the wrapped, "
                             "hardware values).",
                             all_notes.empty() ? "" : " ", result.overflow.outputs.size(),
                             array.psum_bw);
  }
  meta.notes = all_notes;
  write_text(dir / "meta.json", to_meta_json(meta));
  written.push_back("meta.json");
  return written;
}

std::vector<std::string> write_vector_set(const std::filesystem::path& dir,
                                          const GeneratedLayer& generated) {
  const ConvLayer& layer = generated.layer;
  const bool stress = generated.stimulus == Stimulus::Stress;
  const std::string source =
      fmt::format("corelet-cosim generator: {}, array {}x{}, seed {}{}", layer.name(),
                  generated.array.row, generated.array.col, generated.seed,
                  stress ? ", stress" : "");
  const Tiling tiling = layer.tiling(generated.array);
  const std::string notes = fmt::format(
      "{}: {}->{} channels, {}x{} map, {} ic tile(s) x {} oc tile(s). {}; psums and outputs "
      "from the golden model.",
      layer.name(), layer.shape.in_ch, layer.shape.out_ch, layer.shape.height, layer.shape.width,
      tiling.ic_tiles, tiling.oc_tiles,
      stress ? fmt::format("Stress inputs: weights at the {}-bit format's corners (min, max, 0) "
                           "and activations at 0 or {} in whole channels, map rows and columns",
                           generated.array.bw, activation_max(generated.array.bw))
             : fmt::format("Activations are post-ReLU {}-bit codes, weights bell-shaped signed "
                           "{}-bit", generated.array.bw, generated.array.bw));
  return write_vector_set(dir, layer.shape, generated.array, generated.activations,
                          generated.weights, source, notes);
}

std::vector<std::string> write_os_vector_set(const std::filesystem::path& dir,
                                             const GeneratedLayer& generated) {
  const ConvLayer& layer = generated.layer;
  const LayerShape& shape = layer.shape;
  const ArrayShape& array = generated.array;
  const OsResult first = run_os_model(shape, array, generated.activations, generated.weights, 0, 0);
  std::vector<std::string> written = write_os_layer_files(dir, first);
  const std::vector<std::string> whole = write_os_whole_layer_files(
      dir, shape, array, generated.activations, generated.weights);
  written.insert(written.end(), whole.begin(), whole.end());

  const int groups = os_group_count(shape, array);
  const Tiling tiling = layer.tiling(array);
  VectorSetMeta meta = layer_meta(shape, array, Dataflow::OutputStationary);
  meta.source = fmt::format("corelet-cosim generator: {}, array {}x{}, seed {}{}", layer.name(),
                            array.row, array.col, generated.seed,
                            generated.stimulus == Stimulus::Stress ? ", stress" : "");
  meta.patterns = {{FileRole::Activation, "activation_os_ic{ic}.txt"},
                   {FileRole::Weight, "weight_os_ic{ic}.txt"},
                   {FileRole::Out, kOutOsFileName}};
  meta.out_relu = false;
  meta.notes = fmt::format(
      "{}: {}->{} channels, {}x{} map, output-stationary on a {}x{} array. The files named in "
      "'files' are seed 001's: pixel group 0 (o_nij 0..{}) and oc tile 0, raw sums. The whole "
      "layer is in the same layout: activation_os_group{{g}}_ic{{ic}}.txt (g 0..{}), "
      "weight_os_otile{{o}}_ic{{ic}}.txt (o 0..{}) and out_os_group{{g}}_otile{{o}}.txt; pixel "
      "group g covers o_nij g*{}..g*{}+{}, oc tile o the output channels o*{}..o*{}+{}.",
      layer.name(), shape.in_ch, shape.out_ch, shape.height, shape.width, array.row, array.col,
      array.row - 1, groups - 1, tiling.oc_tiles - 1, array.row, array.row, array.row - 1,
      array.col, array.col, array.col - 1);
  write_text(dir / "meta.json", to_meta_json(meta));
  written.push_back("meta.json");
  return written;
}

std::vector<std::string> write_generated_set(const std::filesystem::path& dir,
                                             const VectorSetOptions& options) {
  const GeneratedLayer generated = generate_layer(options.inputs);
  return options.dataflow == Dataflow::OutputStationary ? write_os_vector_set(dir, generated)
                                                        : write_vector_set(dir, generated);
}

}  // namespace golden
