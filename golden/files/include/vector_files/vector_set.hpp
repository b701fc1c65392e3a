// Vector-set folders described by meta.json (../shared/vectors/README.md): loading them into
// tensors and checking their psum/out files against the golden model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/dataflow.hpp"
#include "golden/tensor.hpp"
#include "vector_files/meta.hpp"
#include "vector_files/vector_file.hpp"

namespace golden {

// Where one value of a set came from.
struct ValueOrigin {
  std::string file;  // relative to the set folder, as in known_defects
  int line = 0;      // 1-based physical line
  int element = 0;   // column / channel index (0 = col0)
};

struct VectorSet {
  std::filesystem::path dir;
  VectorSetMeta meta;
  bool from_meta_json = true;
  std::vector<std::string> assumptions;  // what was inferred when there was no meta.json

  LayerShape shape;
  ArrayShape array;
  Tiling tiling;
  Dataflow dataflow = Dataflow::WeightStationary;

  ActivationTensor activations;  // A[ic][y][x], shape.in_ch channels
  WeightTensor weights;          // W[oc][ic][kij]; OS sets: the col channels of the files

  // WS psum files, [ic_tile][oc_tile][kij][nij][col], when the set has them.
  std::optional<PsumTensor> psums;
  // out file values [oc][o_nij] (ReLU outputs when meta.out_relu, raw sums otherwise). WS:
  // every lane of the files, oc_tiles*col channels (lanes past out_ch should hold 0) by
  // o_nij. OS: col channels by every record of the file; records 0..row-1 are pixel group 0,
  // the only ones the OS files produce and the check compares.
  std::optional<OutputTensor> outputs;
  int out_records = 0;  // data lines of the out file(s) per oc tile

  // OS sets: the per-step inputs exactly as the files hold them.
  // os_activation[ic][kij][r], os_weight[ic][kij][c].
  std::vector<std::uint8_t> os_activation;
  std::vector<std::int8_t> os_weight;

  ValueOrigin psum_origin(int ic_tile, int oc_tile, int kij, int nij, int column) const;
  ValueOrigin out_origin(int oc, int o_nij) const;

  // Files actually read, in order.
  std::vector<std::string> files_read;

  // Internal bookkeeping for origins: per file, its name and first record line.
  struct FileInfo {
    std::string name;
    int first_record_line = 1;
  };
  std::vector<FileInfo> psum_files;  // [ic_tile][oc_tile][kij]
  std::vector<FileInfo> out_files;   // [oc_tile], or one file holding every oc tile
  bool out_holds_every_tile = false;
};

// Loads a set folder. With meta.json, everything it allows; without, the notebook defaults
// (DESIGN.md names, 3 header lines, high-first, row/col from the line widths, a square map
// from the record count) recorded in VectorSet::assumptions. Throws InputError for any
// missing or malformed file, naming file, line and what was expected.
VectorSet load_vector_set(const std::filesystem::path& dir);

// Reads a set folder as `meta` says, whatever meta.json holds (alternative readings of one
// set: the vector-set doctor re-reads a set this way). Same errors as above.
VectorSet load_vector_set(const std::filesystem::path& dir, const VectorSetMeta& meta,
                          bool from_meta_json = true, std::vector<std::string> assumptions = {});

// One element where a set's own psum/out file differs from what its inputs give.
struct Disagreement {
  FileRole role = FileRole::Psum;
  ValueOrigin origin;
  std::int64_t file_value = 0;
  std::int64_t golden_value = 0;
  bool known_defect = false;  // listed in meta.json known_defects

  // "psum_kij3.txt line 14 col 2: file has -32768, its inputs give 0"
  std::string message() const;
};

struct CheckReport {
  int psums_checked = 0;
  int outputs_checked = 0;
  std::vector<Disagreement> disagreements;     // in file order
  std::vector<KnownDefect> missing_defects;    // declared but the file agrees there

  int unexpected_count() const;  // disagreements that are not known defects
  // The set behaves as meta.json says: every disagreement is a declared known defect and
  // every declared defect was found.
  bool as_declared() const { return unexpected_count() == 0 && missing_defects.empty(); }
};

// Computes the golden model from the set's own activations and weights (WS or OS per its
// dataflow) and compares every psum and out value the set provides.
CheckReport check_vector_set(const VectorSet& set);

}  // namespace golden
