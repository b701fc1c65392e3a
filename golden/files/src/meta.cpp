// meta.json: the one reader (meta_from_json) and the one writer (to_json) of its schema.
#include "vector_files/meta.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "golden/error.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kDefaultHeaderLines = 3;

class MetaReader {
 public:
  MetaReader(const json& root, std::string name) : root_(root), name_(std::move(name)) {}

  const json* find(const json& object, const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  [[noreturn]] void fail(const std::string& field, const std::string& expected,
                         const json* found) const {
    throw InputError(name_, fmt::format("field \"{}\": expected {}, found {}", field, expected,
                                        found ? found->dump() : std::string("nothing")));
  }

  const json& object(const json& parent, const std::string& key, const std::string& field) const {
    const json* value = find(parent, key);
    if (!value || !value->is_object()) fail(field, "an object", value);
    return *value;
  }

  int integer(const json& parent, const std::string& key, const std::string& field, int low,
              int high) const {
    const json* value = find(parent, key);
    if (!value || !value->is_number_integer()) fail(field, "an integer", value);
    const auto number = value->get<std::int64_t>();
    if (number < low || number > high)
      fail(field, fmt::format("an integer in {}..{}", low, high), value);
    return static_cast<int>(number);
  }

  int integer_or(const json& parent, const std::string& key, const std::string& field, int low,
                 int high, int fallback) const {
    return find(parent, key) ? integer(parent, key, field, low, high) : fallback;
  }

  std::string string(const json& parent, const std::string& key, const std::string& field) const {
    const json* value = find(parent, key);
    if (!value || !value->is_string()) fail(field, "a string", value);
    return value->get<std::string>();
  }

  std::string string_or(const json& parent, const std::string& key, const std::string& field,
                        const std::string& fallback) const {
    return find(parent, key) ? string(parent, key, field) : fallback;
  }

  bool boolean_or(const json& parent, const std::string& key, const std::string& field,
                  bool fallback) const {
    const json* value = find(parent, key);
    if (!value) return fallback;
    if (!value->is_boolean()) fail(field, "true or false", value);
    return value->get<bool>();
  }

  std::string choice(const json& parent, const std::string& key, const std::string& field,
                     const std::vector<std::string>& allowed, const std::string& fallback) const {
    const json* value = find(parent, key);
    if (!value) return fallback;
    if (value->is_string()) {
      for (const std::string& option : allowed)
        if (value->get<std::string>() == option) return option;
    }
    fail(field, fmt::format("one of \"{}\"", fmt::join(allowed, "\", \"")), value);
  }

  // Fields the schema does not know are kept as warnings (other producers add their own,
  // e.g. a date or a description), except a near miss of a known name ("header_line"),
  // which is almost certainly a typo that would otherwise fall back to a default silently.
  void only_keys(const json& object, const std::string& where,
                 const std::set<std::string>& allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (allowed.count(it.key())) continue;
      for (const std::string& known : allowed) {
        if (edit_distance(it.key(), known) <= 2) {
          throw InputError(name_, fmt::format("unknown field \"{}{}\" (did you mean \"{}{}\"?); "
                                              "allowed: {}",
                                              where, it.key(), where, known,
                                              fmt::join(allowed, ", ")));
        }
      }
      warnings_.push_back(fmt::format("{}: field \"{}{}\" is not part of the schema; ignored",
                                      name_, where, it.key()));
    }
  }

  const std::vector<std::string>& warnings() const { return warnings_; }

  const json& root() const { return root_; }
  const std::string& name() const { return name_; }

 private:
  static std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      current[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
      }
      std::swap(previous, current);
    }
    return previous[b.size()];
  }

  const json& root_;
  std::string name_;
  mutable std::vector<std::string> warnings_;
};

// "file:line:element: what" (blanks allowed before the file and after the third colon; what
// on one line).
KnownDefect parse_known_defect(const std::string& text, const std::string& name) {
  const auto fail = [&](const char* why) {
    return InputError(name, fmt::format("known_defects entry \"{}\": {}", text, why));
  };
  const auto is_blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  constexpr const char* kExpected = "expected \"file:line:element: what\"";
  std::size_t at = 0;
  while (at < text.size() && is_blank(text[at])) ++at;
  const std::size_t file_end = text.find(':', at);
  if (file_end == std::string::npos || file_end == at) throw fail(kExpected);
  // The line and element numbers: digits, each ended by a colon.
  std::string numbers[2];
  std::size_t cursor = file_end + 1;
  for (std::string& number : numbers) {
    while (cursor < text.size() && is_digit(text[cursor])) number += text[cursor++];
    if (number.empty() || cursor >= text.size() || text[cursor] != ':') throw fail(kExpected);
    ++cursor;
  }
  while (cursor < text.size() && is_blank(text[cursor])) ++cursor;
  const std::string what = text.substr(cursor);
  if (what.find_first_of("\r\n") != std::string::npos) throw fail(kExpected);
  // std::stoi would throw std::out_of_range past INT_MAX; no file has that many lines.
  if (numbers[0].size() > 9 || numbers[1].size() > 9) {
    throw fail("line or element number too large");
  }
  KnownDefect defect;
  defect.file = fs::path(text.substr(at, file_end - at)).lexically_normal().generic_string();
  defect.line = std::stoi(numbers[0]);
  defect.element = std::stoi(numbers[1]);
  defect.what = what;
  return defect;
}

std::pair<int, int> line_and_column(const std::string& text, std::size_t byte) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// ---- the reader, one part of the schema at a time ---------------------------------------------

json parse_json_text(const std::string& text, const std::string& name) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    std::string what = error.what();
    const std::size_t colon = what.rfind(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(name, line, column, fmt::format("invalid JSON: {}", what));
  } catch (const json::exception& error) {
    // A number too large for any C++ type ("1E555"): nlohmann reports the token, not where
    // it is, so the first occurrence of the token gives the line and column.
    std::string what = error.what();
    const std::size_t bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    const std::size_t open = what.find('\'');
    const std::size_t close = what.rfind('\'');
    std::size_t byte = std::string::npos;
    if (open != std::string::npos && close > open + 1)
      byte = text.find(what.substr(open + 1, close - open - 1));
    if (byte == std::string::npos) throw InputError(name, fmt::format("invalid JSON: {}", what));
    const auto [line, column] = line_and_column(text, byte);
    throw InputError(name, line, column, fmt::format("invalid JSON: {}", what));
  }
}

// dataflow, array, bw, psum_bw, layer and tiles.
void read_shape(const MetaReader& reader, VectorSetMeta& meta) {
  const json& root = reader.root();
  meta.dataflow = reader.choice(root, "dataflow", "dataflow", {"ws", "os"}, "ws") == "os"
                      ? Dataflow::OutputStationary
                      : Dataflow::WeightStationary;

  const json& array = reader.object(root, "array", "array");
  reader.only_keys(array, "array.", {"row", "col"});
  meta.array.row = reader.integer(array, "row", "array.row", 1, 64);
  meta.array.col = reader.integer(array, "col", "array.col", 1, 64);
  meta.array.bw = reader.integer_or(root, "bw", "bw", 1, 8, 4);
  meta.array.psum_bw = reader.integer_or(root, "psum_bw", "psum_bw", 2, 32, 16);

  const json& layer = reader.object(root, "layer", "layer");
  reader.only_keys(layer, "layer.", {"in_ch", "out_ch", "height", "width"});
  meta.layer.in_ch = reader.integer(layer, "in_ch", "layer.in_ch", 1, 1 << 16);
  meta.layer.out_ch = reader.integer(layer, "out_ch", "layer.out_ch", 1, 1 << 16);
  meta.layer.height = reader.integer(layer, "height", "layer.height", 1, 4096);
  meta.layer.width = reader.integer(layer, "width", "layer.width", 1, 4096);

  const Tiling tiling = Tiling::of(meta.layer, meta.array);
  meta.tiles = tiling;
  if (!reader.find(root, "tiles")) return;
  const json& tiles = reader.object(root, "tiles", "tiles");
  reader.only_keys(tiles, "tiles.", {"ic", "oc"});
  meta.tiles.ic_tiles = reader.integer(tiles, "ic", "tiles.ic", 1, 1 << 16);
  meta.tiles.oc_tiles = reader.integer(tiles, "oc", "tiles.oc", 1, 1 << 16);
  if (meta.dataflow == Dataflow::WeightStationary && meta.tiles != tiling) {
    throw InputError(reader.name(),
                     fmt::format("field \"tiles\": {} ic x {} oc tiles, but {}->{} "
                                 "channels on a {}x{} array need {} x {}",
                                 meta.tiles.ic_tiles, meta.tiles.oc_tiles, meta.layer.in_ch,
                                 meta.layer.out_ch, meta.array.row, meta.array.col,
                                 tiling.ic_tiles, tiling.oc_tiles));
  }
}

// header_lines (one number, or per role) and files.
void read_files(const MetaReader& reader, VectorSetMeta& meta) {
  const json& root = reader.root();
  for (FileRole role : kFileRoles) meta.header_lines[role] = kDefaultHeaderLines;
  if (const json* header = reader.find(root, "header_lines")) {
    if (header->is_object()) {
      reader.only_keys(*header, "header_lines.", {"activation", "weight", "psum", "out"});
      for (FileRole role : kFileRoles) {
        const std::string key(to_string(role));
        meta.header_lines[role] = reader.integer_or(*header, key, "header_lines." + key, 0, 1000,
                                                    kDefaultHeaderLines);
      }
    } else {
      const int lines = reader.integer(root, "header_lines", "header_lines", 0, 1000);
      for (FileRole role : kFileRoles) meta.header_lines[role] = lines;
    }
  }

  const json& files = reader.object(root, "files", "files");
  reader.only_keys(files, "files.", {"activation", "weight", "psum", "out"});
  for (FileRole role : kFileRoles) {
    const std::string key(to_string(role));
    const bool required = role == FileRole::Activation || role == FileRole::Weight;
    if (required || reader.find(files, key)) {
      const std::string pattern = reader.string(files, key, "files." + key);
      if (pattern.empty()) reader.fail("files." + key, "a file name pattern", &files.at(key));
      meta.patterns[role] = pattern;
    }
  }
  if (meta.dataflow == Dataflow::OutputStationary && meta.has(FileRole::Psum)) {
    throw InputError(reader.name(),
                     "field \"files.psum\": an output-stationary set has no psum files");
  }
}

// out_relu, element_order, weights_transposed, expect, known_defects and notes.
void read_values(const MetaReader& reader, VectorSetMeta& meta) {
  const json& root = reader.root();
  meta.out_relu = reader.boolean_or(root, "out_relu", "out_relu", true);
  meta.element_order =
      reader.choice(root, "element_order", "element_order", {"high_first", "low_first"},
                    "high_first") == "low_first"
          ? ElementOrder::LowFirst
          : ElementOrder::HighFirst;
  meta.weights_transposed =
      reader.boolean_or(root, "weights_transposed", "weights_transposed", false);
  meta.expect_defects =
      reader.choice(root, "expect", "expect", {"pass", "defects"}, "pass") == "defects";
  if (const json* defects = reader.find(root, "known_defects")) {
    if (!defects->is_array()) reader.fail("known_defects", "an array of strings", defects);
    for (const json& entry : *defects) {
      if (!entry.is_string()) reader.fail("known_defects[]", "a string", &entry);
      meta.known_defects.push_back(parse_known_defect(entry.get<std::string>(), reader.name()));
    }
  }
  if (!meta.expect_defects && !meta.known_defects.empty()) {
    throw InputError(reader.name(),
                     "field \"known_defects\" lists defects but \"expect\" is \"pass\"");
  }
  meta.notes = reader.string_or(root, "notes", "notes", "");
}

// ---- the writer ------------------------------------------------------------------------------

ordered_json header_lines_json(const VectorSetMeta& meta) {
  const std::vector<FileRole> roles = meta.roles();
  bool same = true;
  for (FileRole role : roles)
    same = same && meta.header_lines_for(role) == meta.header_lines_for(roles.front());
  if (same && !roles.empty()) return meta.header_lines_for(roles.front());
  ordered_json object = ordered_json::object();
  for (FileRole role : roles) object[std::string(to_string(role))] = meta.header_lines_for(role);
  return object;
}

}  // namespace

std::string_view to_string(FileRole role) {
  switch (role) {
    case FileRole::Activation: return "activation";
    case FileRole::Weight: return "weight";
    case FileRole::Psum: return "psum";
    case FileRole::Out: return "out";
  }
  return "?";
}

std::string to_string(const KnownDefect& defect) {
  return fmt::format("{}:{}:{}: {}", defect.file, defect.line, defect.element, defect.what);
}

int VectorSetMeta::header_lines_for(FileRole role) const {
  auto it = header_lines.find(role);
  return it == header_lines.end() ? kDefaultHeaderLines : it->second;
}

std::vector<FileRole> VectorSetMeta::roles() const {
  std::vector<FileRole> present;
  for (FileRole role : kFileRoles)
    if (has(role)) present.push_back(role);
  return present;
}

VectorSetMeta meta_from_json(const json& root, const std::string& name) {
  if (!root.is_object()) throw InputError(name, "expected a JSON object at the top level");
  const MetaReader reader(root, name);
  reader.only_keys(root, "",
                   {"source", "dataflow", "array", "layer", "tiles", "bw", "psum_bw",
                    "header_lines", "files", "out_relu", "element_order", "weights_transposed",
                    "expect", "known_defects", "notes"});
  VectorSetMeta meta;
  meta.source = reader.string_or(root, "source", "source", "");
  read_shape(reader, meta);
  read_files(reader, meta);
  read_values(reader, meta);
  meta.warnings = reader.warnings();
  return meta;
}

void from_json(const json& root, VectorSetMeta& meta) { meta = meta_from_json(root, "meta.json"); }

void to_json(ordered_json& root, const VectorSetMeta& meta) {
  root = ordered_json::object();
  root["source"] = meta.source;
  root["dataflow"] = meta.dataflow == Dataflow::OutputStationary ? "os" : "ws";
  root["array"] = {{"row", meta.array.row}, {"col", meta.array.col}};
  root["layer"] = {{"in_ch", meta.layer.in_ch},
                   {"out_ch", meta.layer.out_ch},
                   {"height", meta.layer.height},
                   {"width", meta.layer.width}};
  root["tiles"] = {{"ic", meta.tiles.ic_tiles}, {"oc", meta.tiles.oc_tiles}};
  root["bw"] = meta.array.bw;
  root["psum_bw"] = meta.array.psum_bw;
  root["header_lines"] = header_lines_json(meta);
  ordered_json files = ordered_json::object();
  for (FileRole role : meta.roles()) files[std::string(to_string(role))] = meta.patterns.at(role);
  root["files"] = files;
  root["out_relu"] = meta.out_relu;
  root["element_order"] = meta.element_order == ElementOrder::LowFirst ? "low_first" : "high_first";
  root["weights_transposed"] = meta.weights_transposed;
  root["expect"] = meta.expect_defects ? "defects" : "pass";
  ordered_json defects = ordered_json::array();
  for (const KnownDefect& defect : meta.known_defects) defects.push_back(to_string(defect));
  root["known_defects"] = defects;
  if (!meta.notes.empty()) root["notes"] = meta.notes;
}

VectorSetMeta parse_meta(const std::string& text, const std::string& name) {
  return meta_from_json(parse_json_text(text, name), name);
}

std::string to_meta_json(const VectorSetMeta& meta) {
  const ordered_json root = meta;
  // Names from the file system need not be UTF-8; JSON must be, so stray bytes become U+FFFD.
  return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::vector<std::pair<std::string, std::string>> reading_fields(const VectorSetMeta& meta) {
  // Everything to_json writes except what describes the set rather than how to read it.
  static const std::set<std::string> kNotReading{"source", "expect", "known_defects", "notes"};
  const ordered_json root = meta;
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [key, value] : root.items()) {
    if (kNotReading.count(key)) continue;
    if (key == "files") {
      for (FileRole role : kFileRoles) {
        const std::string name(to_string(role));
        fields.emplace_back("files." + name, value.contains(name) ? value[name].dump() : "null");
      }
    } else if (value.is_object() && key != "header_lines") {
      for (const auto& [member, number] : value.items())
        fields.emplace_back(key + "." + member, number.dump());
    } else {
      fields.emplace_back(key, value.dump());
    }
  }
  return fields;
}

std::string expand_pattern(const std::string& pattern, int kij, int ic_tile, int oc_tile, int ic) {
  std::string result;
  std::size_t position = 0;
  while (position < pattern.size()) {
    const std::size_t open = pattern.find('{', position);
    if (open == std::string::npos) {
      result.append(pattern, position, std::string::npos);
      break;
    }
    result.append(pattern, position, open - position);
    const std::size_t close = pattern.find('}', open);
    if (close == std::string::npos) {
      throw InputError("meta.json", fmt::format("pattern \"{}\": unclosed '{{'", pattern));
    }
    const std::string key = pattern.substr(open + 1, close - open - 1);
    if (key == "kij") {
      result += std::to_string(kij);
    } else if (key == "ic_tile") {
      result += std::to_string(ic_tile);
    } else if (key == "oc_tile") {
      result += std::to_string(oc_tile);
    } else if (key == "ic") {
      result += std::to_string(ic);
    } else {
      throw InputError("meta.json",
                       fmt::format("pattern \"{}\": unknown placeholder {{{}}}; expected {{kij}}, "
                                   "{{ic_tile}}, {{oc_tile}} or {{ic}}",
                                   pattern, key));
    }
    position = close + 1;
  }
  return result;
}

}  // namespace golden
