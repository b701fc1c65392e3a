// Deterministic generator of realistic layer inputs and of complete vector-set folders.
#include "golden/generator.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/layer_files.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"

namespace golden {
namespace {

// splitmix64: a fixed, portable sequence (std:: distributions differ between libraries,
// and "same seed, same bytes" must hold everywhere).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  Random random(a ^ (b * 0x9e3779b97f4a7c15ULL));
  return random.next();
}

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char ch : name) {
    hash ^= static_cast<unsigned char>(ch);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  if (!stream) throw InputError(path.string(), "cannot create file");
  stream << text;
  if (!stream) throw InputError(path.string(), "write failed");
}

}  // namespace

ActivationTensor generate_activations(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  Random random(mix(seed, 0xac71));
  const int max = activation_max(bw);
  // Post-ReLU quantized values: about half are zero, the rest fall off geometrically
  // (each step up with probability 5/8), so small codes dominate and max is rare.
  for (std::uint8_t& value : activations.data()) {
    std::uint64_t bits = random.next();
    if ((bits & 1U) == 0) {
      value = 0;
      continue;
    }
    bits >>= 1;
    int level = 1;
    while (level < max && (bits & 7U) < 5U) {
      ++level;
      bits >>= 3;
      if (bits == 0) bits = random.next();
    }
    value = static_cast<std::uint8_t>(level);
  }
  return activations;
}

WeightTensor generate_weights(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  WeightTensor weights(shape.out_ch, shape.in_ch);
  Random random(mix(seed, 0x3e16));
  const int max = weight_max(bw);
  // Binomial(2*max, 1/2) - max: bell-shaped over -max..max, like trained quantized weights.
  for (std::int8_t& value : weights.data()) {
    const std::uint64_t bits = random.next();
    int ones = 0;
    for (int b = 0; b < 2 * max; ++b) ones += static_cast<int>((bits >> b) & 1U);
    value = static_cast<std::int8_t>(ones - max);
  }
  return weights;
}

ActivationTensor generate_stress_activations(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  ActivationTensor activations(shape.in_ch, shape.height, shape.width);
  Random random(mix(seed, 0x57a1));
  const int max = activation_max(bw);
  // Each input channel (an array row) gets one of six patterns, rotated by the seed so every
  // pattern lands on every array row over a few seeds: all max, all zero, max with zero map
  // rows and columns, zero with max map rows and columns, 0-or-max noise, uniform noise.
  const int rotation = static_cast<int>(random.next() % 6);
  const int stride = 2 + static_cast<int>(random.next() % 3);  // map rows/columns picked
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    const int pattern = (ic + rotation) % 6;
    for (int y = 0; y < shape.height; ++y) {
      for (int x = 0; x < shape.width; ++x) {
        const std::uint64_t bits = random.next();
        const bool picked_line = y % stride == 0 || x % (stride + 1) == 1;
        int value = 0;
        switch (pattern) {
          case 0: value = max; break;
          case 1: value = 0; break;
          case 2: value = picked_line ? 0 : max; break;
          case 3: value = picked_line ? max : 0; break;
          case 4: value = (bits & 1U) != 0 ? max : 0; break;
          default: value = static_cast<int>(bits % static_cast<std::uint64_t>(max + 1)); break;
        }
        activations.at(ic, y, x) = static_cast<std::uint8_t>(value);
      }
    }
  }
  return activations;
}

WeightTensor generate_stress_weights(const LayerShape& shape, int bw, std::uint64_t seed) {
  validate(shape);
  WeightTensor weights(shape.out_ch, shape.in_ch);
  Random random(mix(seed, 0x57e2));
  const int min = weight_min(bw);
  const int max = weight_max(bw);
  // Each output channel (an array column) gets one of six patterns: all min (-8: the sign bit
  // alone), all max (7), all zero, min-or-max noise, a min/max checkerboard over (ic, kij), and
  // uniform over the whole format. Every third input channel of the noise patterns is all min,
  // so a zero or max activation row meets -8 too.
  const int rotation = static_cast<int>(random.next() % 6);
  for (int oc = 0; oc < shape.out_ch; ++oc) {
    const int pattern = (oc + rotation) % 6;
    for (int ic = 0; ic < shape.in_ch; ++ic) {
      for (int kij = 0; kij < 9; ++kij) {
        const std::uint64_t bits = random.next();
        int value = 0;
        switch (pattern) {
          case 0: value = min; break;
          case 1: value = max; break;
          case 2: value = 0; break;
          case 3: value = ic % 3 == 2 ? min : ((bits & 1U) != 0 ? max : min); break;
          case 4: value = (ic + kij) % 2 == 0 ? min : max; break;
          default:
            value = ic % 3 == 2 ? min
                                : min + static_cast<int>(bits % static_cast<std::uint64_t>(max - min + 1));
            break;
        }
        weights.at(oc, ic, kij) = static_cast<std::int8_t>(value);
      }
    }
  }
  return weights;
}

GeneratedLayer generate_layer(std::string_view model, int layer, const ArrayShape& array,
                              std::uint64_t seed, Stimulus stimulus) {
  validate(array);
  GeneratedLayer generated;
  generated.layer = find_layer(model, layer);
  generated.array = array;
  generated.seed = seed;
  generated.stimulus = stimulus;
  // The tensors depend on (model, layer, seed), not on the array: the same layer tiled for
  // 8x8 and 16x16 computes the same outputs.
  const std::uint64_t layer_seed = mix(mix(seed, hash_name(model)), static_cast<std::uint64_t>(layer));
  if (stimulus == Stimulus::Stress) {
    generated.activations = generate_stress_activations(generated.layer.shape, array.bw, layer_seed);
    generated.weights = generate_stress_weights(generated.layer.shape, array.bw, layer_seed);
  } else {
    generated.activations = generate_activations(generated.layer.shape, array.bw, layer_seed);
    generated.weights = generate_weights(generated.layer.shape, array.bw, layer_seed);
  }
  return generated;
}

std::vector<std::string> write_vector_set(const std::filesystem::path& dir,
                                          const LayerShape& shape, const ArrayShape& array,
                                          const ActivationTensor& activations,
                                          const WeightTensor& weights, const std::string& source,
                                          const std::string& notes) {
  const WsResult result = run_ws_model(shape, array, activations, weights);
  std::vector<std::string> written = write_ws_layer_files(dir, activations, weights, result, true);

  const Tiling& tiling = result.tiling;
  const bool single = tiling.single();
  nlohmann::ordered_json meta;
  meta["source"] = source;
  meta["dataflow"] = "ws";
  meta["array"] = {{"row", array.row}, {"col", array.col}};
  meta["layer"] = {{"in_ch", shape.in_ch},
                   {"out_ch", shape.out_ch},
                   {"height", shape.height},
                   {"width", shape.width}};
  meta["tiles"] = {{"ic", tiling.ic_tiles}, {"oc", tiling.oc_tiles}};
  meta["bw"] = array.bw;
  meta["psum_bw"] = array.psum_bw;
  meta["header_lines"] = 3;
  meta["files"] = {
      {"activation", single ? "activation.txt" : "activation_tile{ic_tile}.txt"},
      {"weight", single ? "weight_kij{kij}.txt" : "weight_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt"},
      {"psum", single ? "psum_kij{kij}.txt" : "psum_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt"},
      {"out", single ? "out.txt" : "out_otile{oc_tile}.txt"}};
  meta["out_relu"] = true;
  meta["element_order"] = "high_first";
  meta["weights_transposed"] = false;
  meta["expect"] = "pass";
  meta["known_defects"] = nlohmann::ordered_json::array();
  std::string all_notes = notes;
  if (!result.overflow.outputs.empty()) {
    all_notes += fmt::format("{}{} outputs wrap at psum_bw = {} (the files hold the wrapped, "
                             "hardware values).",
                             all_notes.empty() ? "" : " ", result.overflow.outputs.size(),
                             array.psum_bw);
  }
  if (!all_notes.empty()) meta["notes"] = all_notes;
  write_text(dir / "meta.json", meta.dump(2) + "\n");
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
  nlohmann::ordered_json meta;
  meta["source"] = fmt::format("corelet-cosim generator: {}, array {}x{}, seed {}{}",
                               layer.name(), array.row, array.col, generated.seed,
                               generated.stimulus == Stimulus::Stress ? ", stress" : "");
  meta["dataflow"] = "os";
  meta["array"] = {{"row", array.row}, {"col", array.col}};
  meta["layer"] = {{"in_ch", shape.in_ch},
                   {"out_ch", shape.out_ch},
                   {"height", shape.height},
                   {"width", shape.width}};
  meta["tiles"] = {{"ic", tiling.ic_tiles}, {"oc", tiling.oc_tiles}};
  meta["bw"] = array.bw;
  meta["psum_bw"] = array.psum_bw;
  meta["header_lines"] = 3;
  meta["files"] = {{"activation", "activation_os_ic{ic}.txt"},
                   {"weight", "weight_os_ic{ic}.txt"},
                   {"out", kOutOsFileName}};
  meta["out_relu"] = false;
  meta["element_order"] = "high_first";
  meta["weights_transposed"] = false;
  meta["expect"] = "pass";
  meta["known_defects"] = nlohmann::ordered_json::array();
  meta["notes"] = fmt::format(
      "{}: {}->{} channels, {}x{} map, output-stationary on a {}x{} array. The files named in "
      "'files' are seed 001's: pixel group 0 (o_nij 0..{}) and oc tile 0, raw sums. The whole "
      "layer is in the same layout: activation_os_group{{g}}_ic{{ic}}.txt (g 0..{}), "
      "weight_os_otile{{o}}_ic{{ic}}.txt (o 0..{}) and out_os_group{{g}}_otile{{o}}.txt; pixel "
      "group g covers o_nij g*{}..g*{}+{}, oc tile o the output channels o*{}..o*{}+{}.",
      layer.name(), shape.in_ch, shape.out_ch, shape.height, shape.width, array.row, array.col,
      array.row - 1, groups - 1, tiling.oc_tiles - 1, array.row, array.row, array.row - 1,
      array.col, array.col, array.col - 1);
  write_text(dir / "meta.json", meta.dump(2) + "\n");
  written.push_back("meta.json");
  return written;
}

}  // namespace golden
