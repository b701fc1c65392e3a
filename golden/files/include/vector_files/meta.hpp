// meta.json, what a vector set's files hold (schema: ../shared/vectors/README.md): one struct, one reader, one writer.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/dataflow.hpp"
#include "vector_files/vector_file.hpp"

namespace golden {

enum class FileRole { Activation, Weight, Psum, Out };
inline constexpr FileRole kFileRoles[] = {FileRole::Activation, FileRole::Weight, FileRole::Psum,
                                          FileRole::Out};
std::string_view to_string(FileRole role);  // "activation", "weight", "psum", "out"

// One "file:line:element: what" entry of known_defects.
struct KnownDefect {
  std::string file;
  int line = 0;     // 1-based physical line
  int element = 0;  // column / channel index (0 = col0)
  std::string what;
};
std::string to_string(const KnownDefect& defect);  // the known_defects entry

// Everything meta.json says (or the notebook defaults when there is none). A new field is a
// member here plus one line in each of meta_from_json and to_json (meta.cpp); when it changes
// how the files are read, also one entry in reading_fields, so the doctor can name it.
struct VectorSetMeta {
  std::string source;
  Dataflow dataflow = Dataflow::WeightStationary;
  ArrayShape array;
  LayerShape layer;
  Tiling tiles;
  std::map<FileRole, int> header_lines;        // per role
  std::map<FileRole, std::string> patterns;   // psum and out may be absent
  bool out_relu = true;
  ElementOrder element_order = ElementOrder::HighFirst;
  bool weights_transposed = false;
  bool expect_defects = false;  // "expect": "defects"
  std::vector<KnownDefect> known_defects;
  std::string notes;
  std::vector<std::string> warnings;  // fields outside the schema that were ignored

  int header_lines_for(FileRole role) const;
  std::vector<FileRole> roles() const;  // the roles that have files, in kFileRoles order
  bool has(FileRole role) const { return patterns.count(role) != 0; }
};

// The reader: every field checked; throws InputError naming `name`, the field and what was
// expected ("meta.json: field \"array.row\": expected an integer in 1..64, found 65").
VectorSetMeta meta_from_json(const nlohmann::json& root, const std::string& name);
// The writer: every field in the README's order (header_lines one number when every role
// agrees, notes only when there are some).
void to_json(nlohmann::ordered_json& root, const VectorSetMeta& meta);
// nlohmann's hook (json.get<VectorSetMeta>()): meta_from_json with the name "meta.json".
void from_json(const nlohmann::json& root, VectorSetMeta& meta);

// Parses meta.json text (name used in messages). Throws InputError for invalid JSON (with line
// and column), a missing or mistyped field, or an unknown value.
VectorSetMeta parse_meta(const std::string& text, const std::string& name);
// meta.json text of a reading, 2-space indented, ending in a newline.
std::string to_meta_json(const VectorSetMeta& meta);

// The fields that decide how the files are read, as (dotted name, value as JSON text), in the
// README's order; a role without files is "null". Two readings differ where these differ.
std::vector<std::pair<std::string, std::string>> reading_fields(const VectorSetMeta& meta);

// Expands a pattern's {kij}, {ic_tile}, {oc_tile}, {ic}; a placeholder left in the result is
// an InputError.
std::string expand_pattern(const std::string& pattern, int kij, int ic_tile, int oc_tile,
                           int ic = 0);

}  // namespace golden
