// Vector-set folders: meta.json (or the notebook defaults), the files it names, and the check of a set's own psum/out files against the golden model.
#include "vector_files/vector_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "vector_files/layer_files.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;

constexpr int kDefaultHeaderLines = 3;

std::string read_text(const fs::path& path, const std::string& name) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw InputError(name, "cannot open file");
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

// ---- reading the files of a set ---------------------------------------------------------

bool has_placeholder(const std::string& pattern, const std::string& placeholder) {
  return pattern.find(placeholder) != std::string::npos;
}

std::string display_name(const std::string& relative) {
  return fs::path(relative).lexically_normal().generic_string();
}

RecordFile read_role_file(const VectorSet& set, FileRole role, const std::string& relative,
                          const RecordFormat& format, int expected) {
  ReadOptions options;
  options.header_lines = set.meta.header_lines_for(role);
  options.order = set.meta.element_order;
  options.display_name = display_name(relative);
  return read_record_file(set.dir / relative, format, expected, options);
}

void require_placeholder(const VectorSetMeta& meta, FileRole role, const std::string& placeholder,
                         int count, const std::string& what) {
  const std::string& pattern = meta.patterns.at(role);
  if (count > 1 && !has_placeholder(pattern, placeholder)) {
    throw InputError("meta.json", fmt::format("files.{} \"{}\" has no {} but the set has {} {}",
                                              to_string(role), pattern, placeholder, count, what));
  }
}

void require_ws_placeholders(const VectorSetMeta& meta, const Tiling& tiling) {
  require_placeholder(meta, FileRole::Activation, "{ic_tile}", tiling.ic_tiles, "ic tiles");
  require_placeholder(meta, FileRole::Weight, "{ic_tile}", tiling.ic_tiles, "ic tiles");
  require_placeholder(meta, FileRole::Weight, "{oc_tile}", tiling.oc_tiles, "oc tiles");
  if (!has_placeholder(meta.patterns.at(FileRole::Weight), "{kij}")) {
    throw InputError("meta.json", fmt::format("files.weight \"{}\" has no {{kij}}",
                                              meta.patterns.at(FileRole::Weight)));
  }
}

void load_ws_activations(VectorSet& set) {
  const LayerShape& shape = set.shape;
  set.activations = ActivationTensor(shape.in_ch, shape.height, shape.width);
  for (int ic_tile = 0; ic_tile < set.tiling.ic_tiles; ++ic_tile) {
    const std::string relative =
        expand_pattern(set.meta.patterns.at(FileRole::Activation), 0, ic_tile, 0);
    const RecordFile file =
        read_role_file(set, FileRole::Activation, relative,
                       RecordFormat::of(FileKind::Activation, set.array), shape.nij_count());
    store_activation_records(file, set.array, ic_tile, set.activations);
    set.files_read.push_back(file.name);
  }
}

void load_ws_weights(VectorSet& set) {
  const VectorSetMeta& meta = set.meta;
  const ArrayShape& array = set.array;
  set.weights = WeightTensor(set.shape.out_ch, set.shape.in_ch);
  const RecordFormat weight_format = meta.weights_transposed
                                         ? RecordFormat{array.col, array.bw, true}
                                         : RecordFormat{array.row, array.bw, true};
  const int weight_lines = meta.weights_transposed ? array.row : array.col;
  for (int ic_tile = 0; ic_tile < set.tiling.ic_tiles; ++ic_tile) {
    for (int oc_tile = 0; oc_tile < set.tiling.oc_tiles; ++oc_tile) {
      for (int kij = 0; kij < kKijCount; ++kij) {
        const std::string relative =
            expand_pattern(meta.patterns.at(FileRole::Weight), kij, ic_tile, oc_tile);
        const RecordFile file =
            read_role_file(set, FileRole::Weight, relative, weight_format, weight_lines);
        store_weight_records(file, array, ic_tile, oc_tile, kij, meta.weights_transposed,
                             set.weights);
        set.files_read.push_back(file.name);
      }
    }
  }
}

void load_ws_psums(VectorSet& set) {
  const VectorSetMeta& meta = set.meta;
  const ArrayShape& array = set.array;
  const LayerShape& shape = set.shape;
  const Tiling& tiling = set.tiling;
  require_placeholder(meta, FileRole::Psum, "{ic_tile}", tiling.ic_tiles, "ic tiles");
  require_placeholder(meta, FileRole::Psum, "{oc_tile}", tiling.oc_tiles, "oc tiles");
  if (!has_placeholder(meta.patterns.at(FileRole::Psum), "{kij}")) {
    throw InputError("meta.json", fmt::format("files.psum \"{}\" has no {{kij}}",
                                              meta.patterns.at(FileRole::Psum)));
  }
  PsumTensor psums(tiling, shape.nij_count(), array.col);
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      for (int kij = 0; kij < kKijCount; ++kij) {
        const std::string relative =
            expand_pattern(meta.patterns.at(FileRole::Psum), kij, ic_tile, oc_tile);
        const RecordFile file =
            read_role_file(set, FileRole::Psum, relative,
                           RecordFormat::of(FileKind::Psum, array), shape.nij_count());
        for (int nij = 0; nij < shape.nij_count(); ++nij)
          for (int c = 0; c < array.col; ++c)
            psums.at(ic_tile, oc_tile, kij, nij, c) = static_cast<std::int32_t>(file.at(nij, c));
        set.psum_files.push_back({file.name, file.first_record_line});
        set.files_read.push_back(file.name);
      }
    }
  }
  set.psums = std::move(psums);
}

void load_ws_outputs(VectorSet& set) {
  const ArrayShape& array = set.array;
  const LayerShape& shape = set.shape;
  const Tiling& tiling = set.tiling;
  const std::string& pattern = set.meta.patterns.at(FileRole::Out);
  const int lanes = tiling.oc_tiles * array.col;
  OutputTensor outputs(lanes, shape.o_nij_count());
  set.out_holds_every_tile = tiling.oc_tiles > 1 && !has_placeholder(pattern, "{oc_tile}");
  if (set.out_holds_every_tile) {
    // One line per o_nij holding every oc tile side by side, the highest channel first.
    const RecordFile file = read_role_file(set, FileRole::Out, expand_pattern(pattern, 0, 0, 0),
                                           RecordFormat{lanes, array.psum_bw, true},
                                           shape.o_nij_count());
    for (int o_nij = 0; o_nij < shape.o_nij_count(); ++o_nij)
      for (int oc = 0; oc < lanes; ++oc)
        outputs.at(oc, o_nij) = static_cast<std::int32_t>(file.at(o_nij, oc));
    set.out_files.push_back({file.name, file.first_record_line});
    set.files_read.push_back(file.name);
  } else {
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      const RecordFile file =
          read_role_file(set, FileRole::Out, expand_pattern(pattern, 0, 0, oc_tile),
                         RecordFormat::of(FileKind::Out, array), shape.o_nij_count());
      for (int o_nij = 0; o_nij < shape.o_nij_count(); ++o_nij)
        for (int c = 0; c < array.col; ++c)
          outputs.at(oc_tile * array.col + c, o_nij) = static_cast<std::int32_t>(file.at(o_nij, c));
      set.out_files.push_back({file.name, file.first_record_line});
      set.files_read.push_back(file.name);
    }
  }
  set.out_records = shape.o_nij_count();
  set.outputs = std::move(outputs);
}

void load_ws_files(VectorSet& set) {
  require_ws_placeholders(set.meta, set.tiling);
  load_ws_activations(set);
  load_ws_weights(set);
  if (set.meta.has(FileRole::Psum)) load_ws_psums(set);
  if (set.meta.has(FileRole::Out)) load_ws_outputs(set);
}

// OS files hold, per input channel, 9 lines in kij order: one file per channel with {ic} in
// the pattern, or every channel stacked in one file.
std::vector<RecordFile> read_os_role(VectorSet& set, FileRole role, const RecordFormat& format) {
  const std::string& pattern = set.meta.patterns.at(role);
  std::vector<RecordFile> files;
  if (has_placeholder(pattern, "{ic}")) {
    for (int ic = 0; ic < set.shape.in_ch; ++ic) {
      files.push_back(
          read_role_file(set, role, expand_pattern(pattern, 0, 0, 0, ic), format, kKijCount));
      set.files_read.push_back(files.back().name);
    }
  } else {
    files.push_back(read_role_file(set, role, expand_pattern(pattern, 0, 0, 0), format,
                                   set.shape.in_ch * kKijCount));
    set.files_read.push_back(files.back().name);
  }
  return files;
}

// The record of channel ic at kij: one file per channel, or every channel stacked in one.
std::pair<const RecordFile*, int> os_record(const std::vector<RecordFile>& files, int ic, int kij) {
  if (files.size() == 1) return {&files[0], ic * kKijCount + kij};
  return {&files[static_cast<std::size_t>(ic)], kij};
}

// Rebuilds the streamed map from what each pixel sees; a position seen twice must agree.
void load_os_activations(VectorSet& set, const std::vector<RecordFile>& activation_files) {
  const LayerShape& shape = set.shape;
  const int row = set.array.row;
  set.os_activation.assign(static_cast<std::size_t>(shape.in_ch) * kKijCount * row, 0);
  set.activations = ActivationTensor(shape.in_ch, shape.height, shape.width);
  const int padded_width = shape.padded_width();
  std::vector<int> seen_line(static_cast<std::size_t>(shape.in_ch) * shape.nij_count(), 0);
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    for (int kij = 0; kij < kKijCount; ++kij) {
      const auto [file, record] = os_record(activation_files, ic, kij);
      const std::size_t step = static_cast<std::size_t>(ic) * kKijCount + kij;
      for (int r = 0; r < row; ++r) {
        const std::int64_t value = file->at(record, r);
        set.os_activation[step * row + r] = static_cast<std::uint8_t>(value);
        const int o_nij = r;  // the files hold pixel group 0
        if (o_nij >= shape.o_nij_count()) {
          if (value != 0) {
            throw InputError(file->name, file->line_of(record),
                             fmt::format("element {} is {} but pixel {} is past the {}-pixel map; "
                                         "expected 0",
                                         r, value, r, shape.o_nij_count()));
          }
          continue;
        }
        const int nij = nij_for(shape, o_nij, kij);
        const bool border = ActivationTensor::is_border(shape.height, shape.width, nij);
        const std::uint8_t known = set.activations.padded(ic, nij);
        int& line = seen_line[static_cast<std::size_t>(ic) * shape.nij_count() + nij];
        if (line != 0 && known != value) {
          throw InputError(file->name, file->line_of(record),
                           fmt::format("element {} is {} but line {} gives {} for the same input "
                                       "(channel {}, padded row {}, column {})",
                                       r, value, line, known, ic, nij / padded_width,
                                       nij % padded_width));
        }
        if (border) {
          set.activations.set_border(ic, nij, static_cast<std::uint8_t>(value));
        } else {
          set.activations.at(ic, nij / padded_width - 1, nij % padded_width - 1) =
              static_cast<std::uint8_t>(value);
        }
        line = file->line_of(record);
      }
    }
  }
}

void load_os_weights(VectorSet& set, const std::vector<RecordFile>& weight_files) {
  const LayerShape& shape = set.shape;
  const int col = set.array.col;
  set.os_weight.assign(static_cast<std::size_t>(shape.in_ch) * kKijCount * col, 0);
  set.weights = WeightTensor(std::min(shape.out_ch, col), shape.in_ch);
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    for (int kij = 0; kij < kKijCount; ++kij) {
      const auto [file, record] = os_record(weight_files, ic, kij);
      const std::size_t step = static_cast<std::size_t>(ic) * kKijCount + kij;
      for (int c = 0; c < col; ++c) {
        const std::int64_t value = file->at(record, c);
        set.os_weight[step * col + c] = static_cast<std::int8_t>(value);
        if (c < set.weights.out_channels()) {
          set.weights.at(c, ic, kij) = static_cast<std::int8_t>(value);
        } else if (value != 0) {
          throw InputError(file->name, file->line_of(record),
                           fmt::format("element {} is {} but the layer has only {} output "
                                       "channels; expected 0",
                                       c, value, shape.out_ch));
        }
      }
    }
  }
}

void load_os_outputs(VectorSet& set) {
  const int row = set.array.row;
  const int col = set.array.col;
  const std::string relative = expand_pattern(set.meta.patterns.at(FileRole::Out), 0, 0, 0);
  const RecordFile file = read_role_file(set, FileRole::Out, relative,
                                         RecordFormat::of(FileKind::OutOs, set.array), -1);
  if (file.records < row) {
    throw InputError(file.name, file.line_of(file.records),
                     fmt::format("file ends after {} records, expected at least {} (one per "
                                 "pixel of the group)",
                                 file.records, row));
  }
  OutputTensor outputs(col, file.records);
  for (int record = 0; record < file.records; ++record)
    for (int c = 0; c < col; ++c)
      outputs.at(c, record) = static_cast<std::int32_t>(file.at(record, c));
  set.out_files.push_back({file.name, file.first_record_line});
  set.out_records = file.records;
  set.outputs = std::move(outputs);
  set.files_read.push_back(file.name);
}

void load_os_files(VectorSet& set) {
  const std::vector<RecordFile> activation_files = read_os_role(
      set, FileRole::Activation, RecordFormat::of(FileKind::ActivationOs, set.array));
  const std::vector<RecordFile> weight_files =
      read_os_role(set, FileRole::Weight, RecordFormat::of(FileKind::WeightOs, set.array));
  load_os_activations(set, activation_files);
  load_os_weights(set, weight_files);
  if (set.meta.has(FileRole::Out)) load_os_outputs(set);
}

// ---- no meta.json: the notebook defaults ------------------------------------------------

// Length of the first record line after the header (0 when there is none).
int first_record_length(const fs::path& path, const std::string& name, int header_lines) {
  const std::string text = read_text(path, name);
  std::istringstream stream(text);
  std::string line;
  for (int i = 0; i < header_lines && std::getline(stream, line); ++i) {
  }
  while (std::getline(stream, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    if (!line.empty()) return static_cast<int>(line.size());
  }
  return 0;
}

int count_existing(const fs::path& dir, const std::function<std::string(int)>& name_of) {
  int count = 0;
  while (fs::exists(dir / name_of(count))) ++count;
  return count;
}

// Tiles from the notebook file names; true when the set is tiled (activation_tile0.txt).
bool infer_notebook_tiles(const fs::path& dir, VectorSetMeta& meta) {
  if (fs::exists(dir / "activation.txt")) {
    meta.tiles = Tiling{1, 1};
    return false;
  }
  if (!fs::exists(dir / "activation_tile0.txt")) {
    throw InputError(dir.string(), "no meta.json, activation.txt or activation_tile0.txt: "
                                   "cannot tell how to read this folder");
  }
  meta.tiles.ic_tiles = count_existing(dir, [](int i) { return activation_file_name({2, 2}, i); });
  meta.tiles.oc_tiles =
      count_existing(dir, [](int o) { return weight_file_name({2, 2}, 0, o, 0); });
  if (meta.tiles.oc_tiles == 0) {
    throw InputError((dir / weight_file_name({2, 2}, 0, 0, 0)).string(),
                     "cannot open file (tiled activation files need tiled weight files)");
  }
  return true;
}

void set_notebook_patterns(const fs::path& dir, bool tiled, const Tiling& names,
                           VectorSetMeta& meta) {
  meta.patterns[FileRole::Activation] = tiled ? "activation_tile{ic_tile}.txt" : "activation.txt";
  meta.patterns[FileRole::Weight] =
      tiled ? "weight_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt" : "weight_kij{kij}.txt";
  if (fs::exists(dir / psum_file_name(names, 0, 0, 0)))
    meta.patterns[FileRole::Psum] =
        tiled ? "psum_itile{ic_tile}_otile{oc_tile}_kij{kij}.txt" : "psum_kij{kij}.txt";
  if (fs::exists(dir / out_file_name(names, 0)))
    meta.patterns[FileRole::Out] = tiled ? "out_otile{oc_tile}.txt" : "out.txt";
}

// Array size from the line widths (8x8 when they agree with it), psum_bw likewise.
void infer_notebook_array(const fs::path& dir, const Tiling& names, VectorSetMeta& meta) {
  const std::string activation_name = activation_file_name(names, 0);
  const std::string weight_name = weight_file_name(names, 0, 0, 0);
  meta.array = ArrayShape{};
  const int activation_width = first_record_length(dir / activation_name, activation_name, 3);
  if (activation_width <= 0 || activation_width % meta.array.bw != 0) {
    throw InputError(activation_name, 4,
                     fmt::format("first record has {} characters; expected a multiple of bw = {}",
                                 activation_width, meta.array.bw));
  }
  meta.array.row = activation_width / meta.array.bw;
  ReadOptions options;
  options.display_name = weight_name;
  const RecordFile weights = read_record_file(
      dir / weight_name, RecordFormat{meta.array.row, meta.array.bw, true}, -1, options);
  meta.array.col = weights.records;
  if (meta.has(FileRole::Psum) || meta.has(FileRole::Out)) {
    const std::string name = meta.has(FileRole::Psum) ? psum_file_name(names, 0, 0, 0)
                                                      : out_file_name(names, 0);
    const int width = first_record_length(dir / name, name, 3);
    if (width <= 0 || width % meta.array.col != 0) {
      throw InputError(name, 4,
                       fmt::format("first record has {} characters; expected a multiple of "
                                   "col = {}",
                                   width, meta.array.col));
    }
    meta.array.psum_bw = width / meta.array.col;
  }
}

// The output map from the activation record count (a square padded map), channels from the tiles.
void infer_notebook_layer(const fs::path& dir, const Tiling& names, VectorSetMeta& meta) {
  const std::string activation_name = activation_file_name(names, 0);
  ReadOptions options;
  options.display_name = activation_name;
  const RecordFile activations = read_record_file(
      dir / activation_name, RecordFormat{meta.array.row, meta.array.bw, false}, -1, options);
  const int padded = static_cast<int>(std::lround(std::sqrt(activations.records)));
  if (padded * padded != activations.records || padded < 3) {
    throw InputError(activation_name, activations.line_of(activations.records - 1),
                     fmt::format("{} records is not the padded nij count of a square map "
                                 "((H+2)*(W+2) with H = W >= 1)",
                                 activations.records));
  }
  meta.layer = LayerShape{meta.array.row * meta.tiles.ic_tiles,
                          meta.array.col * meta.tiles.oc_tiles, padded - 2, padded - 2};
}

VectorSetMeta infer_meta(const fs::path& dir, std::vector<std::string>& assumptions) {
  VectorSetMeta meta;
  meta.source = dir.string();
  for (FileRole role : kFileRoles) meta.header_lines[role] = kDefaultHeaderLines;
  assumptions.push_back("no meta.json: reading the notebook defaults (DESIGN.md file names, "
                        "3 header lines, high-first elements, bw 4, ReLU outputs in out files)");
  const bool tiled = infer_notebook_tiles(dir, meta);
  assumptions.push_back(fmt::format("{} ic tile(s), {} oc tile(s) from the file names",
                                    meta.tiles.ic_tiles, meta.tiles.oc_tiles));
  const Tiling names{tiled ? 2 : 1, tiled ? 2 : 1};
  set_notebook_patterns(dir, tiled, names, meta);
  infer_notebook_array(dir, names, meta);
  assumptions.push_back(fmt::format("array {}x{}, bw {}, psum_bw {} from the line widths",
                                    meta.array.row, meta.array.col, meta.array.bw,
                                    meta.array.psum_bw));
  infer_notebook_layer(dir, names, meta);
  assumptions.push_back(fmt::format("layer {}->{} channels, {}x{} output map from the record "
                                    "counts",
                                    meta.layer.in_ch, meta.layer.out_ch, meta.layer.height,
                                    meta.layer.width));
  return meta;
}

bool same_file(const std::string& declared, const std::string& file) {
  if (declared == file) return true;
  return declared.find('/') == std::string::npos &&
         fs::path(file).filename().generic_string() == declared;
}

}  // namespace

ValueOrigin VectorSet::psum_origin(int ic_tile, int oc_tile, int kij, int nij, int column) const {
  const std::size_t index =
      (static_cast<std::size_t>(ic_tile) * tiling.oc_tiles + oc_tile) * kKijCount + kij;
  const FileInfo& file = psum_files.at(index);
  return ValueOrigin{file.name, file.first_record_line + nij, column};
}

ValueOrigin VectorSet::out_origin(int oc, int o_nij) const {
  if (out_holds_every_tile || out_files.size() == 1) {
    const FileInfo& file = out_files.at(0);
    return ValueOrigin{file.name, file.first_record_line + o_nij, oc};
  }
  const FileInfo& file = out_files.at(static_cast<std::size_t>(oc / array.col));
  return ValueOrigin{file.name, file.first_record_line + o_nij, oc % array.col};
}

VectorSet load_vector_set(const std::filesystem::path& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir.string(), "no such folder");
  VectorSet set;
  set.dir = dir;
  const fs::path meta_path = dir / "meta.json";
  if (fs::exists(meta_path)) {
    set.meta = parse_meta(read_text(meta_path, "meta.json"), "meta.json");
    set.from_meta_json = true;
  } else {
    set.meta = infer_meta(dir, set.assumptions);
    set.from_meta_json = false;
  }
  return load_vector_set(dir, set.meta, set.from_meta_json, std::move(set.assumptions));
}

VectorSet load_vector_set(const std::filesystem::path& dir, const VectorSetMeta& meta,
                          bool from_meta_json, std::vector<std::string> assumptions) {
  if (!fs::is_directory(dir)) throw InputError(dir.string(), "no such folder");
  VectorSet set;
  set.dir = dir;
  set.meta = meta;
  set.from_meta_json = from_meta_json;
  set.assumptions = std::move(assumptions);
  set.array = set.meta.array;
  set.shape = set.meta.layer;
  set.tiling = set.meta.tiles;
  set.dataflow = set.meta.dataflow;
  try {
    validate(set.array);
    validate(set.shape);
  } catch (const InputError& error) {
    throw InputError(from_meta_json ? "meta.json" : dir.string(), error.message());
  }
  if (set.dataflow == Dataflow::WeightStationary)
    load_ws_files(set);
  else
    load_os_files(set);
  return set;
}

std::string Disagreement::message() const {
  return fmt::format("{} line {} col {}: file has {}, its inputs give {}{}", origin.file,
                     origin.line, origin.element, file_value, golden_value,
                     known_defect ? " (known defect)" : "");
}

int CheckReport::unexpected_count() const {
  int count = 0;
  for (const Disagreement& disagreement : disagreements)
    if (!disagreement.known_defect) ++count;
  return count;
}

CheckReport check_vector_set(const VectorSet& set) {
  CheckReport report;
  auto record = [&](FileRole role, ValueOrigin origin, std::int64_t file_value,
                    std::int64_t golden_value) {
    if (file_value == golden_value) return;
    Disagreement disagreement;
    disagreement.role = role;
    disagreement.origin = std::move(origin);
    disagreement.file_value = file_value;
    disagreement.golden_value = golden_value;
    report.disagreements.push_back(std::move(disagreement));
  };

  if (set.dataflow == Dataflow::WeightStationary) {
    const WsResult golden = run_ws_model(set.shape, set.array, set.activations, set.weights);
    if (set.psums) {
      for (int ic_tile = 0; ic_tile < set.tiling.ic_tiles; ++ic_tile)
        for (int oc_tile = 0; oc_tile < set.tiling.oc_tiles; ++oc_tile)
          for (int kij = 0; kij < kKijCount; ++kij)
            for (int nij = 0; nij < set.shape.nij_count(); ++nij)
              for (int c = 0; c < set.array.col; ++c) {
                ++report.psums_checked;
                record(FileRole::Psum, set.psum_origin(ic_tile, oc_tile, kij, nij, c),
                       set.psums->at(ic_tile, oc_tile, kij, nij, c),
                       golden.psum.at(ic_tile, oc_tile, kij, nij, c));
              }
    }
    if (set.outputs) {
      const int lanes = set.outputs->channels();
      // File order: oc tile files one after the other, or one file with every channel.
      const int tiles = set.out_holds_every_tile ? 1 : set.tiling.oc_tiles;
      const int per_file = set.out_holds_every_tile ? lanes : set.array.col;
      for (int tile = 0; tile < tiles; ++tile)
        for (int o_nij = 0; o_nij < set.shape.o_nij_count(); ++o_nij)
          for (int lane = 0; lane < per_file; ++lane) {
            const int oc = tile * set.array.col + lane;
            if (oc >= lanes) continue;
            std::int64_t expected = 0;
            if (oc < set.shape.out_ch)
              expected = set.meta.out_relu ? golden.relu.at(oc, o_nij) : golden.sum.at(oc, o_nij);
            ++report.outputs_checked;
            record(FileRole::Out, set.out_origin(oc, o_nij), set.outputs->at(oc, o_nij), expected);
          }
    }
  } else {
    // The files carry the weights of the first col output channels only.
    LayerShape shape = set.shape;
    shape.out_ch = set.weights.out_channels();
    const OsResult golden = run_os_model(shape, set.array, set.activations, set.weights, 0, 0);
    if (set.outputs) {
      for (int r = 0; r < set.array.row; ++r) {
        for (int c = 0; c < set.array.col; ++c) {
          std::int64_t expected = c < set.weights.out_channels() ? golden.out(r, c) : 0;
          if (set.meta.out_relu) expected = relu(static_cast<std::int32_t>(expected));
          ++report.outputs_checked;
          record(FileRole::Out, set.out_origin(c, r), set.outputs->at(c, r), expected);
        }
      }
    }
  }

  std::vector<bool> found(set.meta.known_defects.size(), false);
  for (Disagreement& disagreement : report.disagreements) {
    for (std::size_t i = 0; i < set.meta.known_defects.size(); ++i) {
      const KnownDefect& defect = set.meta.known_defects[i];
      if (defect.line == disagreement.origin.line &&
          defect.element == disagreement.origin.element &&
          same_file(defect.file, disagreement.origin.file)) {
        disagreement.known_defect = true;
        found[i] = true;
      }
    }
  }
  for (std::size_t i = 0; i < found.size(); ++i)
    if (!found[i]) report.missing_defects.push_back(set.meta.known_defects[i]);
  return report;
}

}  // namespace golden
