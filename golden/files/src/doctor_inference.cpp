// The vector-set doctor: a reading (roles, patterns, header lines, shape) inferred from the files themselves.
#include "doctor_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace golden::doctor_detail {

// Header line count per role as the files show it (the most common value over a role's
// files); roles whose files are missing keep the given value.
std::map<FileRole, int> detect_role_headers(const VectorSetMeta& meta, const TextSource& text_of) {
  std::map<FileRole, int> headers = meta.header_lines;
  for (FileRole role : kFileRoles) {
    std::map<int, int> votes;
    for (const std::string& name : role_files(meta, role)) {
      if (const std::string* text = text_of(name)) {
        const int lines = detect_header_lines(*text);
        if (lines >= 0) ++votes[lines];
      }
    }
    int best = -1;
    int best_votes = 0;
    for (const auto& [lines, count] : votes) {
      if (count > best_votes) {
        best = lines;
        best_votes = count;
      }
    }
    if (best >= 0) headers[role] = best;
  }
  return headers;
}

namespace {

using FileStats = std::pair<std::string, LineStats>;  // the file's name and its line statistics

// The file a role's pattern names for kij 0 and the given tiles, or "" when it cannot expand.
std::string tile_file(const VectorSetMeta& meta, FileRole role, int ic_tile, int oc_tile) {
  try {
    return fs::path(expand_pattern(meta.patterns.at(role), 0, ic_tile, oc_tile))
        .lexically_normal()
        .generic_string();
  } catch (const InputError&) {
    return {};
  }
}

std::optional<FileStats> tile_stats(const VectorSetMeta& meta, const TextSource& text_of,
                                    FileRole role, int ic_tile, int oc_tile) {
  if (!meta.has(role)) return std::nullopt;
  const std::string name = tile_file(meta, role, ic_tile, oc_tile);
  if (name.empty()) return std::nullopt;
  const std::string* text = text_of(name);
  if (!text) return std::nullopt;
  LineStats stats = line_stats(*text);
  if (stats.header_lines < 0) return std::nullopt;
  return std::make_pair(name, stats);
}

// Tiles: how many files the role's tile placeholder finds.
int count_tile_files(const VectorSetMeta& meta, const TextSource& text_of, FileRole role,
                     bool ic) {
  const std::string& pattern = meta.patterns.at(role);
  if (pattern.find(ic ? "{ic_tile}" : "{oc_tile}") == std::string::npos) return 1;
  auto exists = [&](int tile) {
    const std::string name = tile_file(meta, role, ic ? tile : 0, ic ? 0 : tile);
    return !name.empty() && text_of(name) != nullptr;
  };
  int count = 0;
  while (count < 4096 && exists(count)) ++count;
  return std::max(count, 1);
}

// Rows from the activation line width, columns from the weight files (a line per column, or
// one line of every column's weight when transposed); false when the widths fit neither.
bool detect_array(const FileStats& activation, const FileStats& weight, VectorSetMeta& shape,
                  std::map<std::string, std::string>& reasons, bool& transposed_by_shape) {
  const int bw = shape.array.bw;
  const auto& [activation_name, a] = activation;
  const auto& [weight_name, w] = weight;
  if (a.record_length % bw != 0) return false;
  shape.array.row = a.record_length / bw;
  reasons["array.row"] = fmt::format("{} lines hold {} characters = {} rows of {} bits",
                                     activation_name, a.record_length, shape.array.row, bw);
  if (w.record_length == a.record_length) {
    shape.array.col = w.records;
    reasons["array.col"] =
        fmt::format("{} holds {} lines, one per array column", weight_name, w.records);
    return true;
  }
  if (w.records != shape.array.row || w.record_length % bw != 0) return false;
  shape.array.col = w.record_length / bw;
  transposed_by_shape = true;
  reasons["array.col"] =
      fmt::format("{} lines hold {} weights across the columns", weight_name, shape.array.col);
  return true;
}

// psum_bw from a psum line, or an out line (every oc tile side by side in a combined file);
// false when the width is not a whole number of lanes.
bool detect_psum_bw(const VectorSetMeta& meta, const TextSource& text_of, VectorSetMeta& shape,
                    std::map<std::string, std::string>& reasons) {
  if (const auto psum = tile_stats(meta, text_of, FileRole::Psum, 0, 0)) {
    if (psum->second.record_length % shape.array.col != 0) return false;
    shape.array.psum_bw = psum->second.record_length / shape.array.col;
    reasons["psum_bw"] =
        fmt::format("{} lines hold {} characters = {} columns of {} bits", psum->first,
                    psum->second.record_length, shape.array.col, shape.array.psum_bw);
  } else if (const auto out = tile_stats(meta, text_of, FileRole::Out, 0, 0)) {
    const bool combined = shape.tiles.oc_tiles > 1 &&
                          meta.patterns.at(FileRole::Out).find("{oc_tile}") == std::string::npos;
    const int lanes = shape.array.col * (combined ? shape.tiles.oc_tiles : 1);
    if (out->second.record_length % lanes != 0) return false;
    shape.array.psum_bw = out->second.record_length / lanes;
    reasons["psum_bw"] =
        fmt::format("{} lines hold {} characters = {} channels of {} bits", out->first,
                    out->second.record_length, lanes, shape.array.psum_bw);
  }
  return true;
}

// The padded map from the activation record count, and the channels from the tile counts when
// meta's do not fit them; false when the record count is not a square map.
bool detect_layer(const VectorSetMeta& meta, const FileStats& activation, VectorSetMeta& shape,
                  std::map<std::string, std::string>& reasons) {
  const auto& [activation_name, a] = activation;
  if (meta.layer.nij_count() != a.records) {
    const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(a.records))));
    if (side * side != a.records || side < 3) return false;
    shape.layer.height = side - 2;
    shape.layer.width = side - 2;
    reasons["layer.height"] = reasons["layer.width"] = fmt::format(
        "{} holds {} records = a {}x{} padded map", activation_name, a.records, side, side);
  }
  const int row = shape.array.row;
  const int col = shape.array.col;
  if ((meta.layer.in_ch + row - 1) / row != shape.tiles.ic_tiles) {
    shape.layer.in_ch = row * shape.tiles.ic_tiles;
    reasons["layer.in_ch"] = fmt::format("{} ic tile(s) of {} rows", shape.tiles.ic_tiles, row);
  }
  if ((meta.layer.out_ch + col - 1) / col != shape.tiles.oc_tiles) {
    shape.layer.out_ch = col * shape.tiles.oc_tiles;
    reasons["layer.out_ch"] = fmt::format("{} oc tile(s) of {} columns", shape.tiles.oc_tiles, col);
  }
  return true;
}

}  // namespace

// Array, map and channels as the files' widths and record counts show them, read with the
// given patterns and header lines. reasons: field -> why, for the messages.
std::optional<VectorSetMeta> detect_shape(const VectorSetMeta& meta, const TextSource& text_of,
                                          std::map<std::string, std::string>& reasons,
                                          bool& transposed_by_shape) {
  transposed_by_shape = false;
  if (meta.dataflow != Dataflow::WeightStationary) return std::nullopt;
  VectorSetMeta shape = meta;
  const auto activation = tile_stats(meta, text_of, FileRole::Activation, 0, 0);
  const auto weight = tile_stats(meta, text_of, FileRole::Weight, 0, 0);
  if (!activation || !weight) return std::nullopt;
  if (!detect_array(*activation, *weight, shape, reasons, transposed_by_shape)) {
    return std::nullopt;
  }
  shape.tiles.ic_tiles = count_tile_files(meta, text_of, FileRole::Activation, true);
  shape.tiles.oc_tiles = count_tile_files(meta, text_of, FileRole::Weight, false);
  if (!detect_psum_bw(meta, text_of, shape, reasons)) return std::nullopt;
  if (!detect_layer(meta, *activation, shape, reasons)) return std::nullopt;
  shape.tiles = Tiling::of(shape.layer, shape.array);
  try {
    validate(shape.array);
    validate(shape.layer);
  } catch (const InputError&) {
    return std::nullopt;
  }
  return shape;
}

}  // namespace golden::doctor_detail

namespace golden {

using namespace doctor_detail;
using ordered_json = nlohmann::ordered_json;

namespace {

using RoleNames = std::map<FileRole, std::vector<std::string>>;

// The files by the role their names suggest; an output-stationary name, or no activation or
// weight file, is refused (the doctor infers weight-stationary sets only).
RoleNames names_by_role(const std::map<std::string, std::string>& files) {
  RoleNames names;
  for (const auto& [name, text] : files) {
    const std::string file = lower(fs::path(name).filename().string());
    if (file.find("_os") != std::string::npos) {
      throw InputError(name,
                       "looks like an output-stationary file; the doctor infers "
                       "weight-stationary sets only: write a meta.json (dataflow \"os\")");
    }
    if (const std::optional<FileRole> role = role_of_name(name)) names[*role].push_back(name);
  }
  if (names[FileRole::Activation].empty()) {
    throw InputError(
        "no meta.json and no activation file (a name containing \"act\"): cannot "
        "tell how to read this folder");
  }
  if (names[FileRole::Weight].empty()) {
    throw InputError(
        "no meta.json and no weight files (names containing \"weight\" or "
        "starting with \"w_\"): cannot tell how to read this folder");
  }
  return names;
}

// Each role's file pattern from its names into meta.patterns; returns the weight guess (its
// tile dimensions are counted next).
PatternGuess guess_patterns(RoleNames& names, VectorSetMeta& meta,
                            std::vector<std::string>& assumptions) {
  const std::optional<PatternGuess> activation =
      guess_single_pattern(names[FileRole::Activation], "{ic_tile}", assumptions, "activation");
  const int ic_tiles = activation->dimensions.empty() ? 1 : activation->dimensions[0].size;
  const std::optional<PatternGuess> weight = guess_kij_pattern(names[FileRole::Weight], ic_tiles);
  if (!weight) {
    throw InputError(names[FileRole::Weight].front(),
                     "no meta.json, and the weight files are not 9 files numbered 0..8 (per "
                     "tile): cannot tell their kij");
  }
  meta.patterns[FileRole::Activation] = activation->pattern;
  meta.patterns[FileRole::Weight] = weight->pattern;
  if (!names[FileRole::Psum].empty()) {
    if (const std::optional<PatternGuess> psum = guess_kij_pattern(names[FileRole::Psum], ic_tiles))
      meta.patterns[FileRole::Psum] = psum->pattern;
    else
      assumptions.push_back(fmt::format("psum files ignored: {} are not 9 files numbered 0..8",
                                        files_phrase(names[FileRole::Psum])));
  }
  if (!names[FileRole::Out].empty()) {
    meta.patterns[FileRole::Out] =
        guess_single_pattern(names[FileRole::Out], "{oc_tile}", assumptions, "out")->pattern;
  }
  return *weight;
}

// Tiles as far as the names tell (the shape detection counts them again from the files);
// refuses weight names with another ic tile count than the activation files.
void count_named_tiles(const std::map<std::string, std::string>& files,
                       const PatternGuess& weight, VectorSetMeta& meta) {
  meta.tiles.ic_tiles =
      std::max(1, count_expansions(meta.patterns[FileRole::Activation], files, "ic"));
  const std::string& weight_pattern = meta.patterns[FileRole::Weight];
  meta.tiles.oc_tiles = 1;
  if (weight_pattern.find("{oc_tile}") != std::string::npos) {
    for (std::size_t d = 0; d < weight.placeholders.size(); ++d)
      if (weight.placeholders[d] == "{oc_tile}") meta.tiles.oc_tiles = weight.dimensions[d].size;
  }
  if (weight_pattern.find("{ic_tile}") != std::string::npos) {
    for (std::size_t d = 0; d < weight.placeholders.size(); ++d)
      if (weight.placeholders[d] == "{ic_tile}" &&
          weight.dimensions[d].size != meta.tiles.ic_tiles) {
        throw InputError(
            fmt::format("{}: {} ic tiles in the weight names but {} activation "
                        "file(s)",
                        weight_pattern, weight.dimensions[d].size, meta.tiles.ic_tiles));
      }
  }
}

// Header lines, array, map and channels from the files' contents into meta.
void apply_detected_shape(const std::map<std::string, std::string>& files, VectorSetMeta& meta) {
  const TextSource text_of = [&](const std::string& name) -> const std::string* {
    auto it = files.find(name);
    return it == files.end() ? nullptr : &it->second;
  };
  meta.header_lines = detect_role_headers(meta, text_of);
  std::map<std::string, std::string> reasons;
  bool transposed = false;
  const std::optional<VectorSetMeta> shape = detect_shape(meta, text_of, reasons, transposed);
  if (!shape) {
    throw InputError(meta.patterns[FileRole::Activation],
                     fmt::format("no meta.json, and the line widths and record counts of {} and "
                                 "{} do not give an array and a square map",
                                 meta.patterns[FileRole::Activation],
                                 meta.patterns[FileRole::Weight]));
  }
  meta.array = shape->array;
  meta.layer = shape->layer;
  // Without meta.json nothing says some lanes are zero padding: every lane is a channel.
  meta.layer.in_ch = shape->array.row * shape->tiles.ic_tiles;
  meta.layer.out_ch = shape->array.col * shape->tiles.oc_tiles;
  meta.tiles = Tiling::of(meta.layer, meta.array);
  meta.weights_transposed = transposed;
}

// What the inference assumed, in the words the doctor prints.
void describe_inference(const VectorSetMeta& meta, std::vector<std::string>& assumptions) {
  assumptions.push_back(fmt::format(
      "files: activation {}, weight {}{}{}", meta.patterns.at(FileRole::Activation),
      meta.patterns.at(FileRole::Weight),
      meta.has(FileRole::Psum) ? ", psum " + meta.patterns.at(FileRole::Psum) : "",
      meta.has(FileRole::Out) ? ", out " + meta.patterns.at(FileRole::Out) : ""));
  assumptions.push_back(fmt::format("header lines {} from the files' first 0/1 lines",
                                    ordered_json(meta)["header_lines"].dump()));
  assumptions.push_back(
      fmt::format("array {}x{}, bw {}, psum_bw {} from the line widths; layer "
                  "{}->{} channels, {}x{} output map from the record counts",
                  meta.array.row, meta.array.col, meta.array.bw, meta.array.psum_bw,
                  meta.layer.in_ch, meta.layer.out_ch, meta.layer.height, meta.layer.width));
}

}  // namespace

VectorSetMeta infer_meta_from_files(const std::map<std::string, std::string>& files,
                                    std::vector<std::string>& assumptions) {
  RoleNames names = names_by_role(files);
  VectorSetMeta meta;
  meta.dataflow = Dataflow::WeightStationary;
  const PatternGuess weight = guess_patterns(names, meta, assumptions);
  count_named_tiles(files, weight, meta);
  meta.array = ArrayShape{};
  meta.layer =
      LayerShape{meta.array.row * meta.tiles.ic_tiles, meta.array.col * meta.tiles.oc_tiles, 1, 1};
  apply_detected_shape(files, meta);
  meta.out_relu = true;
  meta.element_order = ElementOrder::HighFirst;
  describe_inference(meta, assumptions);
  return meta;
}

void require_same_layer(const VectorSetMeta& meta, const ConvLayer& layer,
                        const std::string& described_by) {
  const LayerShape& set = meta.layer;
  if (set == layer.shape) return;
  throw InputError(
      described_by,
      fmt::format("the set is a {}->{} channel layer at {}x{}, but {} is {}->{} at {}x{}",
                  set.in_ch, set.out_ch, set.height, set.width, layer.name(), layer.shape.in_ch,
                  layer.shape.out_ch, layer.shape.height, layer.shape.width));
}

}  // namespace golden
