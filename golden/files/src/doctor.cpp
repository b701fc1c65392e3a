// The vector-set doctor: re-reads a set under alternative readings to find which one makes its
// files agree, and names the cause in plain words.
#include "vector_files/doctor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "golden/error.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 20;
constexpr int kListedDisagreements = 10;    // per kind; the rest are counted
constexpr std::size_t kMaxRoleFiles = 256;  // files per role looked at for header lines

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- files of a set -----------------------------------------------------------------------

std::string trim_line_end(const std::string& line) {
  std::size_t end = line.size();
  while (end > 0 && (line[end - 1] == '\r' || line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  return line.substr(0, end);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(trim_line_end(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

bool is_binary(const std::string& line) {
  return !line.empty() &&
         std::all_of(line.begin(), line.end(), [](char ch) { return ch == '0' || ch == '1'; });
}

// What the lines of one file look like.
struct LineStats {
  int header_lines = -1;  // -1: no 0/1 line at all
  int record_length = 0;  // the most common 0/1 line length
  int records = 0;        // non-blank lines from the first record on
};

LineStats line_stats(const std::string& text) {
  const std::vector<std::string> lines = split_lines(text);
  std::map<std::size_t, int> lengths;
  for (const std::string& line : lines)
    if (is_binary(line)) ++lengths[line.size()];
  LineStats stats;
  if (lengths.empty()) return stats;
  int best_count = 0;
  for (const auto& [length, count] : lengths) {
    if (count > best_count) {
      best_count = count;
      stats.record_length = static_cast<int>(length);
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_binary(lines[i]) && static_cast<int>(lines[i].size()) == stats.record_length) {
      stats.header_lines = static_cast<int>(i);
      break;
    }
  }
  for (std::size_t i = static_cast<std::size_t>(stats.header_lines); i < lines.size(); ++i)
    if (!lines[i].empty()) ++stats.records;
  return stats;
}

std::optional<FileRole> role_of_name(const std::string& relative);

// The files of a set folder: the ones whose names can be a role's listed up front (for
// inference), and any path a pattern names (../activation.txt) read on demand.
class Folder {
 public:
  explicit Folder(fs::path dir) : dir_(std::move(dir)) {
    std::error_code error;
    fs::recursive_directory_iterator it(dir_, error), end;
    for (; !error && it != end; it.increment(error)) {
      if (it.depth() > 2) {
        it.disable_recursion_pending();
        continue;
      }
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      // Only names that can be a role's file are read: a folder may hold much else.
      if (!it->is_regular_file() || !role_of_name(name)) continue;
      const std::string ext = it->path().extension().string();
      if (!(ext.empty() || ext == ".txt" || ext == ".dat" || ext == ".mem" || ext == ".bin"))
        continue;
      std::error_code size_error;
      const std::uintmax_t size = it->file_size(size_error);
      if (size_error || size > kMaxFileBytes) continue;
      const std::string relative = fs::relative(it->path(), dir_).generic_string();
      if (const std::string* text = read(relative)) listed_[relative] = *text;
    }
  }

  const std::map<std::string, std::string>& listed() const { return listed_; }

  // Text of a file relative to the folder; nullptr when it does not exist or cannot be read.
  const std::string* read(const std::string& relative) {
    auto cached = cache_.find(relative);
    if (cached != cache_.end()) return cached->second ? &*cached->second : nullptr;
    std::optional<std::string> text;
    const fs::path path = dir_ / relative;
    std::error_code error;
    if (fs::is_regular_file(path, error) && fs::file_size(path, error) <= kMaxFileBytes) {
      std::ifstream stream(path, std::ios::binary);
      if (stream) {
        std::ostringstream buffer;
        buffer << stream.rdbuf();
        text = buffer.str();
      }
    }
    auto [it, inserted] = cache_.emplace(relative, std::move(text));
    return it->second ? &*it->second : nullptr;
  }

 private:
  fs::path dir_;
  std::map<std::string, std::string> listed_;
  std::map<std::string, std::optional<std::string>> cache_;
};

// The files a role's pattern names under a reading, in load order (the first kMaxRoleFiles
// expansions: enough to see how the files look, bounded for absurd tile counts).
std::vector<std::string> role_files(const VectorSetMeta& meta, FileRole role) {
  std::vector<std::string> names;
  if (!meta.has(role)) return names;
  const std::string& pattern = meta.patterns.at(role);
  std::size_t expansions = 0;
  auto add = [&](int kij, int ic_tile, int oc_tile, int ic) {
    if (++expansions > kMaxRoleFiles * kKijCount) return;
    try {
      const std::string name = fs::path(expand_pattern(pattern, kij, ic_tile, oc_tile, ic))
                                   .lexically_normal()
                                   .generic_string();
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    } catch (const InputError&) {
    }
  };
  if (meta.dataflow == Dataflow::OutputStationary) {
    if (role == FileRole::Out || pattern.find("{ic}") == std::string::npos) {
      add(0, 0, 0, 0);
    } else {
      for (int ic = 0; ic < std::min(meta.layer.in_ch, 4096); ++ic) add(0, 0, 0, ic);
    }
    return names;
  }
  const int ic_tiles = std::min(meta.tiles.ic_tiles, 4096);
  const int oc_tiles = std::min(meta.tiles.oc_tiles, 4096);
  for (int ic_tile = 0; ic_tile < ic_tiles; ++ic_tile)
    for (int oc_tile = 0; oc_tile < oc_tiles; ++oc_tile)
      for (int kij = 0; kij < kKijCount; ++kij) add(kij, ic_tile, oc_tile, 0);
  return names;
}

// ---- file names -> patterns -----------------------------------------------------------------

// A name cut at its digit runs: literals[0] digits[0] literals[1] ... literals[n].
struct NameParts {
  std::vector<std::string> literals;
  std::vector<std::string> digits;
};

NameParts split_digits(const std::string& name) {
  NameParts parts;
  std::string literal;
  std::size_t i = 0;
  while (i < name.size()) {
    if (std::isdigit(static_cast<unsigned char>(name[i]))) {
      std::size_t end = i;
      while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
      parts.literals.push_back(literal);
      parts.digits.push_back(name.substr(i, end - i));
      literal.clear();
      i = end;
    } else {
      literal += name[i++];
    }
  }
  parts.literals.push_back(literal);
  return parts;
}

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::optional<FileRole> role_of_name(const std::string& relative) {
  const std::string name = lower(fs::path(relative).filename().string());
  if (name.find("psum") != std::string::npos) return FileRole::Psum;
  if (name.find("out") != std::string::npos) return FileRole::Out;
  if (name.find("act") != std::string::npos) return FileRole::Activation;
  if (name.find("weight") != std::string::npos || name.find("wgt") != std::string::npos ||
      (name.size() > 1 && name[0] == 'w' &&
       (name[1] == '_' || std::isdigit(static_cast<unsigned char>(name[1])))))
    return FileRole::Weight;
  return std::nullopt;
}

// One varying position of a group of names: a whole digit run, or one character of it.
struct Dimension {
  int slot = 0;
  int character = -1;  // -1: the whole run
  int size = 0;        // values 0..size-1
  std::string before;  // the literal text just before it (lower case), for i/o hints
};

// How a group of names with one skeleton maps onto placeholders.
struct NamePlan {
  int kij_slot = -1;
  std::vector<Dimension> dimensions;  // tile dimensions, in name order
  NameParts example;                  // for the constant parts
};

bool is_index_range(const std::set<int>& values, int& size) {
  if (values.empty() || *values.begin() != 0 ||
      *values.rbegin() != static_cast<int>(values.size()) - 1)
    return false;
  size = static_cast<int>(values.size());
  return true;
}

int to_small_int(const std::string& digits) {
  if (digits.size() > 6) return -1;
  return std::stoi(digits);
}

// Finds the kij slot (values exactly 0..8, when wanted) and the tile dimensions of a group.
std::optional<NamePlan> plan_names(const std::vector<NameParts>& group, bool with_kij) {
  NamePlan plan;
  plan.example = group.front();
  const std::size_t slots = plan.example.digits.size();
  std::vector<std::set<std::string>> values(slots);
  for (const NameParts& parts : group)
    for (std::size_t s = 0; s < slots; ++s) values[s].insert(parts.digits[s]);

  if (with_kij) {
    std::vector<int> candidates;
    for (std::size_t s = 0; s < slots; ++s) {
      std::set<int> numbers;
      for (const std::string& v : values[s]) numbers.insert(to_small_int(v));
      int size = 0;
      if (values[s].size() == numbers.size() && is_index_range(numbers, size) && size == kKijCount)
        candidates.push_back(static_cast<int>(s));
    }
    if (candidates.empty()) return std::nullopt;
    plan.kij_slot = candidates.back();
    for (int s : candidates) {
      const std::string before = lower(plan.example.literals[static_cast<std::size_t>(s)]);
      if (ends_with(before, "k") || ends_with(before, "kij")) plan.kij_slot = s;
    }
  }

  for (std::size_t s = 0; s < slots; ++s) {
    if (static_cast<int>(s) == plan.kij_slot || values[s].size() == 1) continue;
    const std::string before = lower(plan.example.literals[s]);
    std::set<int> numbers;
    for (const std::string& v : values[s]) numbers.insert(to_small_int(v));
    int size = 0;
    const std::size_t width = values[s].begin()->size();
    const bool same_width = std::all_of(values[s].begin(), values[s].end(),
                                        [&](const std::string& v) { return v.size() == width; });
    if (width > 1 && same_width) {
      // "_10": ic tile 1, oc tile 0 written side by side; each character its own index.
      std::size_t grid = 1;
      for (std::size_t c = 0; c < width; ++c) {
        std::set<int> chars;
        for (const std::string& v : values[s]) chars.insert(v[c] - '0');
        if (chars.size() == 1) continue;
        if (!is_index_range(chars, size)) return std::nullopt;
        plan.dimensions.push_back(Dimension{static_cast<int>(s), static_cast<int>(c), size,
                                            c == 0 ? before : std::string()});
        grid *= static_cast<std::size_t>(size);
      }
      if (grid != values[s].size()) return std::nullopt;
    } else if (values[s].size() == numbers.size() && is_index_range(numbers, size)) {
      plan.dimensions.push_back(Dimension{static_cast<int>(s), -1, size, before});
    } else {
      return std::nullopt;
    }
  }
  std::size_t expected = with_kij ? kKijCount : 1;
  for (const Dimension& dimension : plan.dimensions)
    expected *= static_cast<std::size_t>(dimension.size);
  if (expected != group.size()) return std::nullopt;
  return plan;
}

// The placeholder each tile dimension stands for, from the letters before it or the counts.
std::vector<std::string> tile_placeholders(const std::vector<Dimension>& dimensions, int ic_tiles) {
  auto hint = [](const std::string& before) -> char {
    std::string letters;
    for (char ch : before)
      if (std::isalpha(static_cast<unsigned char>(ch))) letters += ch;
    if (ends_with(letters, "itile") || ends_with(letters, "ic") || ends_with(letters, "i"))
      return 'i';
    if (ends_with(letters, "otile") || ends_with(letters, "oc") || ends_with(letters, "o"))
      return 'o';
    return '?';
  };
  std::vector<std::string> names;
  if (dimensions.size() == 1) {
    const char h = hint(dimensions[0].before);
    const bool ic = h == 'i' || (h == '?' && ic_tiles > 1 && dimensions[0].size == ic_tiles);
    names.push_back(ic ? "{ic_tile}" : "{oc_tile}");
  } else if (dimensions.size() == 2) {
    const char first = hint(dimensions[0].before);
    const char second = hint(dimensions[1].before);
    bool swapped = first == 'o' || second == 'i';
    // No letters: the dimension as long as the activation files are many is the ic tile.
    if (first == '?' && second == '?' && dimensions[0].size != dimensions[1].size)
      swapped = dimensions[1].size == ic_tiles;
    names.push_back(swapped ? "{oc_tile}" : "{ic_tile}");
    names.push_back(swapped ? "{ic_tile}" : "{oc_tile}");
  }
  return names;
}

std::string render(const NamePlan& plan, const std::vector<std::string>& placeholders) {
  std::string pattern;
  const NameParts& parts = plan.example;
  for (std::size_t s = 0; s < parts.digits.size(); ++s) {
    pattern += parts.literals[s];
    if (static_cast<int>(s) == plan.kij_slot) {
      pattern += "{kij}";
      continue;
    }
    std::string digits = parts.digits[s];
    std::string out;
    bool whole = false;
    for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
      const Dimension& dimension = plan.dimensions[d];
      if (dimension.slot != static_cast<int>(s)) continue;
      if (dimension.character < 0) {
        out = placeholders[d];
        whole = true;
      }
    }
    if (!whole) {
      for (std::size_t c = 0; c < digits.size(); ++c) {
        std::string piece(1, digits[c]);
        for (std::size_t d = 0; d < plan.dimensions.size(); ++d) {
          const Dimension& dimension = plan.dimensions[d];
          if (dimension.slot == static_cast<int>(s) && dimension.character == static_cast<int>(c))
            piece = placeholders[d];
        }
        out += piece;
      }
    }
    pattern += out;
  }
  pattern += parts.literals.back();
  return pattern;
}

// Names of one role grouped by skeleton (the name with its digit runs blanked out).
std::map<std::string, std::vector<std::string>> groups_of(const std::vector<std::string>& names) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const std::string& name : names) {
    const NameParts parts = split_digits(name);
    std::string skeleton;
    for (std::size_t i = 0; i < parts.literals.size(); ++i)
      skeleton += parts.literals[i] + (i + 1 < parts.literals.size() ? "#" : "");
    groups[skeleton].push_back(name);
  }
  return groups;
}

struct PatternGuess {
  std::string pattern;
  std::vector<Dimension> dimensions;
  std::vector<std::string> placeholders;
  int files = 0;
};

// The best {kij} pattern of a role (weight, psum) among its name groups.
std::optional<PatternGuess> guess_kij_pattern(const std::vector<std::string>& names, int ic_tiles) {
  std::optional<PatternGuess> best;
  for (const auto& [skeleton, members] : groups_of(names)) {
    std::vector<NameParts> group;
    for (const std::string& name : members) group.push_back(split_digits(name));
    const std::optional<NamePlan> plan = plan_names(group, true);
    if (!plan || plan->dimensions.size() > 2) continue;
    PatternGuess guess;
    guess.dimensions = plan->dimensions;
    guess.placeholders = tile_placeholders(plan->dimensions, ic_tiles);
    guess.pattern = render(*plan, guess.placeholders);
    guess.files = static_cast<int>(members.size());
    if (!best || guess.files > best->files) best = guess;
  }
  return best;
}

// One file, or a group numbered by one tile index, for activation and out.
std::optional<PatternGuess> guess_single_pattern(const std::vector<std::string>& names,
                                                 const std::string& placeholder,
                                                 std::vector<std::string>& assumptions,
                                                 const char* role) {
  if (names.empty()) return std::nullopt;
  std::optional<PatternGuess> best;
  for (const auto& [skeleton, members] : groups_of(names)) {
    if (members.size() < 2) continue;
    std::vector<NameParts> group;
    for (const std::string& name : members) group.push_back(split_digits(name));
    const std::optional<NamePlan> plan = plan_names(group, false);
    if (!plan || plan->dimensions.size() != 1) continue;
    PatternGuess guess;
    guess.dimensions = plan->dimensions;
    guess.placeholders = {placeholder};
    guess.pattern = render(*plan, guess.placeholders);
    guess.files = static_cast<int>(members.size());
    if (!best || guess.files > best->files) best = guess;
  }
  if (best) return best;
  // Several unrelated files: the shortest name, said out loud.
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  if (sorted.size() > 1) {
    assumptions.push_back(fmt::format("several {} files ({}); reading {}", role,
                                      fmt::join(sorted, ", "), sorted.front()));
  }
  PatternGuess guess;
  guess.pattern = sorted.front();
  guess.files = 1;
  return guess;
}

int count_expansions(const std::string& pattern, const std::map<std::string, std::string>& files,
                     const std::string& which) {
  if (pattern.find(which == "ic" ? "{ic_tile}" : "{oc_tile}") == std::string::npos)
    return files.count(pattern) ? 1 : 0;
  int count = 0;
  while (count < 4096) {
    std::string name;
    try {
      name = expand_pattern(pattern, 0, which == "ic" ? count : 0, which == "oc" ? count : 0);
    } catch (const InputError&) {
      return count;
    }
    if (!files.count(name)) break;
    ++count;
  }
  return count;
}

// ---- header lines and shape from the files --------------------------------------------------

using TextSource = std::function<const std::string*(const std::string&)>;

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

// Array, map and channels as the files' widths and record counts show them, read with the
// given patterns and header lines. reasons: field -> why, for the messages.
std::optional<VectorSetMeta> detect_shape(const VectorSetMeta& meta, const TextSource& text_of,
                                          std::map<std::string, std::string>& reasons,
                                          bool& transposed_by_shape) {
  transposed_by_shape = false;
  if (meta.dataflow != Dataflow::WeightStationary) return std::nullopt;
  auto stats_of = [&](FileRole role, int ic_tile,
                      int oc_tile) -> std::optional<std::pair<std::string, LineStats>> {
    if (!meta.has(role)) return std::nullopt;
    std::string name;
    try {
      name = fs::path(expand_pattern(meta.patterns.at(role), 0, ic_tile, oc_tile))
                 .lexically_normal()
                 .generic_string();
    } catch (const InputError&) {
      return std::nullopt;
    }
    const std::string* text = text_of(name);
    if (!text) return std::nullopt;
    LineStats stats = line_stats(*text);
    if (stats.header_lines < 0) return std::nullopt;
    return std::make_pair(name, stats);
  };
  auto exists = [&](FileRole role, int ic_tile, int oc_tile) {
    try {
      return text_of(fs::path(expand_pattern(meta.patterns.at(role), 0, ic_tile, oc_tile))
                         .lexically_normal()
                         .generic_string()) != nullptr;
    } catch (const InputError&) {
      return false;
    }
  };

  VectorSetMeta shape = meta;
  const auto activation = stats_of(FileRole::Activation, 0, 0);
  const auto weight = stats_of(FileRole::Weight, 0, 0);
  if (!activation || !weight) return std::nullopt;
  const int bw = meta.array.bw;
  const auto& [activation_name, a] = *activation;
  const auto& [weight_name, w] = *weight;
  if (a.record_length % bw != 0) return std::nullopt;
  shape.array.row = a.record_length / bw;
  reasons["array.row"] = fmt::format("{} lines hold {} characters = {} rows of {} bits",
                                     activation_name, a.record_length, shape.array.row, bw);
  if (w.record_length == a.record_length) {
    shape.array.col = w.records;
    reasons["array.col"] =
        fmt::format("{} holds {} lines, one per array column", weight_name, w.records);
  } else if (w.records == shape.array.row && w.record_length % bw == 0) {
    shape.array.col = w.record_length / bw;
    transposed_by_shape = true;
    reasons["array.col"] =
        fmt::format("{} lines hold {} weights across the columns", weight_name, shape.array.col);
  } else {
    return std::nullopt;
  }

  // Tiles: how many files each tile placeholder finds.
  auto count_tiles = [&](FileRole role, bool ic) {
    const std::string& pattern = meta.patterns.at(role);
    if (pattern.find(ic ? "{ic_tile}" : "{oc_tile}") == std::string::npos) return 1;
    int count = 0;
    while (count < 4096 && exists(role, ic ? count : 0, ic ? 0 : count)) ++count;
    return std::max(count, 1);
  };
  shape.tiles.ic_tiles = count_tiles(FileRole::Activation, true);
  shape.tiles.oc_tiles = count_tiles(FileRole::Weight, false);

  // psum_bw from a psum line, or an out line (every oc tile side by side in a combined file).
  const auto psum = stats_of(FileRole::Psum, 0, 0);
  const auto out = stats_of(FileRole::Out, 0, 0);
  if (psum) {
    if (psum->second.record_length % shape.array.col != 0) return std::nullopt;
    shape.array.psum_bw = psum->second.record_length / shape.array.col;
    reasons["psum_bw"] =
        fmt::format("{} lines hold {} characters = {} columns of {} bits", psum->first,
                    psum->second.record_length, shape.array.col, shape.array.psum_bw);
  } else if (out) {
    const bool combined = shape.tiles.oc_tiles > 1 &&
                          meta.patterns.at(FileRole::Out).find("{oc_tile}") == std::string::npos;
    const int lanes = shape.array.col * (combined ? shape.tiles.oc_tiles : 1);
    if (out->second.record_length % lanes != 0) return std::nullopt;
    shape.array.psum_bw = out->second.record_length / lanes;
    reasons["psum_bw"] =
        fmt::format("{} lines hold {} characters = {} channels of {} bits", out->first,
                    out->second.record_length, lanes, shape.array.psum_bw);
  }

  // The padded map from the activation record count.
  if (meta.layer.nij_count() != a.records) {
    const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(a.records))));
    if (side * side != a.records || side < 3) return std::nullopt;
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
  shape.tiles = Tiling::of(shape.layer, shape.array);
  try {
    validate(shape.array);
    validate(shape.layer);
  } catch (const InputError&) {
    return std::nullopt;
  }
  return shape;
}

// ---- readings and their checks -----------------------------------------------------------

struct Evaluation {
  bool readable = false;
  std::optional<InputError> error;
  std::optional<VectorSet> set;
  CheckReport check;
  int score = std::numeric_limits<int>::max();  // disagreements not declared + declared not found
};

Evaluation evaluate(const fs::path& dir, const VectorSetMeta& meta, bool from_meta_json) {
  Evaluation evaluation;
  try {
    VectorSet set = load_vector_set(dir, meta, from_meta_json);
    evaluation.check = check_vector_set(set);
    evaluation.set = std::move(set);
    evaluation.readable = true;
    evaluation.score = evaluation.check.unexpected_count() +
                       static_cast<int>(evaluation.check.missing_defects.size());
  } catch (const InputError& error) {
    evaluation.error = error;
  }
  return evaluation;
}

// The same set with the oc tiles of its combined out file taken in the other order.
Evaluation with_out_tiles_reversed(const Evaluation& base) {
  Evaluation evaluation;
  VectorSet set = *base.set;
  const int col = set.array.col;
  const int tiles = set.tiling.oc_tiles;
  OutputTensor reversed = *set.outputs;
  for (int tile = 0; tile < tiles; ++tile)
    for (int c = 0; c < col; ++c)
      for (int o_nij = 0; o_nij < reversed.o_nij_count(); ++o_nij)
        reversed.at(tile * col + c, o_nij) = set.outputs->at((tiles - 1 - tile) * col + c, o_nij);
  set.outputs = std::move(reversed);
  evaluation.check = check_vector_set(set);
  evaluation.set = std::move(set);
  evaluation.readable = true;
  evaluation.score = evaluation.check.unexpected_count() +
                     static_cast<int>(evaluation.check.missing_defects.size());
  return evaluation;
}

// ---- meta.json fields ----------------------------------------------------------------------

struct FieldChange {
  std::string field;
  std::string from;  // JSON
  std::string to;    // JSON
};

std::vector<FieldChange> changes_between(const VectorSetMeta& from, const VectorSetMeta& to) {
  const auto a = reading_fields(from);
  const auto b = reading_fields(to);
  std::vector<FieldChange> changes;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].second != b[i].second) changes.push_back({a[i].first, a[i].second, b[i].second});
  return changes;
}

// ---- the search ------------------------------------------------------------------------------

struct Candidate {
  VectorSetMeta meta;
  bool out_tiles_reversed = false;
  int changes = 0;
  Evaluation evaluation;
};

bool better(const Candidate& a, const Candidate& b) {
  if (a.evaluation.score != b.evaluation.score) return a.evaluation.score < b.evaluation.score;
  return a.changes < b.changes;
}

std::string first_name(const VectorSet& set, FileRole role) {
  const std::vector<std::string> names = role_files(set.meta, role);
  return names.empty() ? std::string(to_string(role)) : names.front();
}

std::string out_names(const VectorSet& set) {
  std::vector<std::string> names;
  for (const VectorSet::FileInfo& file : set.out_files) names.push_back(file.name);
  if (names.empty()) return "the out file";
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string files_phrase(const std::vector<std::string>& names) {
  if (names.empty()) return "no file";
  if (names.size() == 1) return names.front();
  return fmt::format("{} .. {} ({} files)", names.front(), names.back(), names.size());
}

Diagnosis describe_change(const FieldChange& change, const VectorSet& set,
                          const VectorSetMeta& declared,
                          const std::map<std::string, std::string>& reasons,
                          const std::map<FileRole, int>& detected_headers) {
  Diagnosis diagnosis;
  diagnosis.field = change.field;
  diagnosis.value = change.to;
  const std::string fix = fmt::format("set {}={}", change.field, change.to);
  if (change.field == "out_relu") {
    diagnosis.cause = Cause::OutRelu;
    diagnosis.message =
        change.to == "false"
            ? fmt::format("{} matches if read as pre-ReLU sums: {}", out_names(set), fix)
            : fmt::format(
                  "{} matches if read as ReLU outputs (negative sums "
                  "clamped to 0): {}",
                  out_names(set), fix);
  } else if (change.field == "element_order") {
    diagnosis.cause = Cause::ElementOrder;
    diagnosis.message =
        change.to == "\"low_first\""
            ? fmt::format(
                  "the elements of each line are in the opposite order (row0/col0 "
                  "first): {}",
                  fix)
            : fmt::format(
                  "the elements of each line are in the notebook's order (row{}/col{} "
                  "first), not low-first: {}",
                  set.array.row - 1, set.array.col - 1, fix);
  } else if (change.field == "weights_transposed") {
    diagnosis.cause = Cause::WeightsTransposed;
    diagnosis.message =
        change.to == "true"
            ? fmt::format(
                  "weight files look transposed (each line of {} holds one input "
                  "channel across the output columns): {}",
                  first_name(set, FileRole::Weight), fix)
            : fmt::format(
                  "weight files are not transposed (each line of {} holds one output "
                  "column across the input channels): {}",
                  first_name(set, FileRole::Weight), fix);
  } else if (change.field == "header_lines") {
    diagnosis.cause = Cause::HeaderLines;
    std::vector<std::string> parts;
    std::vector<std::string> names;
    std::set<std::pair<int, int>> pairs;  // (found, declared)
    for (FileRole role : set.meta.roles()) {
      auto it = detected_headers.find(role);
      const int found = it == detected_headers.end() ? set.meta.header_lines_for(role) : it->second;
      if (found != declared.header_lines_for(role)) {
        parts.push_back(fmt::format("{} has {} line(s) before its first record, meta.json says {}",
                                    first_name(set, role), found, declared.header_lines_for(role)));
        names.push_back(first_name(set, role));
        pairs.insert({found, declared.header_lines_for(role)});
      }
    }
    if (pairs.size() == 1 && names.size() > 1) {
      diagnosis.message = fmt::format(
          "{}, ... have {} line(s) before their first record, meta.json "
          "says {}: {}",
          fmt::join(names, ", "), pairs.begin()->first, pairs.begin()->second, fix);
    } else {
      diagnosis.message = fmt::format(
          "{}: {}",
          parts.empty() ? "the header lines differ" : fmt::format("{}", fmt::join(parts, "; ")),
          fix);
    }
  } else if (change.field.rfind("files.", 0) == 0) {
    diagnosis.cause = Cause::FilePattern;
    const FileRole role = change.field == "files.activation" ? FileRole::Activation
                          : change.field == "files.weight"   ? FileRole::Weight
                          : change.field == "files.psum"     ? FileRole::Psum
                                                             : FileRole::Out;
    if (change.to == "null") {
      diagnosis.message =
          fmt::format("the folder holds no files like {}: remove {}", change.from, change.field);
    } else {
      diagnosis.message = fmt::format("the folder holds {}, not the files {} names: {}",
                                      files_phrase(role_files(set.meta, role)), change.from, fix);
    }
  } else {
    diagnosis.cause = Cause::Shape;
    auto reason = reasons.find(change.field);
    diagnosis.message = fmt::format(
        "the files give {} = {}, meta.json says {}{}: {}", change.field, change.to, change.from,
        reason == reasons.end() ? "" : fmt::format(" ({})", reason->second), fix);
  }
  return diagnosis;
}

// Sorts one disagreement: the sign bit alone where the inputs give 0, one off (modulo the
// width, as the hardware wraps), or anything else.
Cause classify(const Disagreement& disagreement, int psum_bw) {
  const std::int64_t sign_only = -(std::int64_t{1} << (psum_bw - 1));
  if (disagreement.golden_value == 0 && disagreement.file_value == sign_only)
    return Cause::NegativeZero;
  const std::uint64_t mask = (std::uint64_t{1} << psum_bw) - 1;
  const std::uint64_t difference = (static_cast<std::uint64_t>(disagreement.file_value) -
                                    static_cast<std::uint64_t>(disagreement.golden_value)) &
                                   mask;
  if (difference == 1 || difference == mask) return Cause::OffByOne;
  return Cause::Disagreement;
}

void classify_disagreements(const Evaluation& best, DoctorReport& report,
                            std::vector<KnownDefect>& new_defects) {
  const int psum_bw = best.set->array.psum_bw;
  std::map<Cause, int> listed;
  std::map<std::pair<Cause, std::string>, int> unlisted;  // (kind, file) -> count
  for (const Disagreement& disagreement : best.check.disagreements) {
    if (disagreement.known_defect) continue;
    const Cause cause = classify(disagreement, psum_bw);
    Diagnosis diagnosis;
    diagnosis.cause = cause;
    const ValueOrigin& origin = disagreement.origin;
    if (cause == Cause::NegativeZero) {
      KnownDefect defect{origin.file, origin.line, origin.element,
                         fmt::format("0x{:0{}x} ({}) where the inputs give 0: a float -0.0 written "
                                     "with its sign bit",
                                     std::uint64_t{1} << (psum_bw - 1), (psum_bw + 3) / 4,
                                     disagreement.file_value)};
      diagnosis.message = fmt::format("{} (0x{:0{}x}: a negative zero?)", disagreement.message(),
                                      std::uint64_t{1} << (psum_bw - 1), (psum_bw + 3) / 4);
      diagnosis.field = "known_defects";
      diagnosis.value = ordered_json(to_string(defect)).dump();
      new_defects.push_back(defect);
    } else if (cause == Cause::OffByOne) {
      KnownDefect defect{origin.file, origin.line, origin.element,
                         fmt::format("{} where the inputs give {}: off by one (truncation)",
                                     disagreement.file_value, disagreement.golden_value)};
      diagnosis.message =
          fmt::format("{} (off by one: a truncated value?)", disagreement.message());
      diagnosis.field = "known_defects";
      diagnosis.value = ordered_json(to_string(defect)).dump();
      new_defects.push_back(defect);
    } else {
      diagnosis.message = disagreement.message();
    }
    if (listed[cause] < kListedDisagreements) {
      ++listed[cause];
      report.diagnoses.push_back(std::move(diagnosis));
    } else {
      ++unlisted[{cause, origin.file}];
    }
  }
  for (const auto& [key, count] : unlisted) {
    const auto& [cause, file] = key;
    Diagnosis diagnosis;
    diagnosis.cause = cause;
    diagnosis.message =
        fmt::format("{}: {} more value(s) {}", file, count,
                    cause == Cause::NegativeZero ? "hold a negative zero where the inputs give 0"
                    : cause == Cause::OffByOne   ? "are off by one from what the inputs give"
                                                 : "differ from what the inputs give");
    report.diagnoses.push_back(std::move(diagnosis));
  }
  for (const KnownDefect& defect : best.check.missing_defects) {
    Diagnosis diagnosis;
    diagnosis.cause = Cause::StaleKnownDefect;
    diagnosis.message = fmt::format(
        "meta.json declares a defect at {}:{}:{} ({}), but the file "
        "agrees with its inputs there: remove it from known_defects",
        defect.file, defect.line, defect.element, defect.what);
    diagnosis.field = "known_defects";
    report.diagnoses.push_back(std::move(diagnosis));
  }
}

// Which psum / out files disagree, so a reader knows where to look before the element list.
void summarize_files(const Evaluation& best, DoctorReport& report) {
  std::map<std::string, int> per_file;
  for (const Disagreement& disagreement : best.check.disagreements)
    if (!disagreement.known_defect) ++per_file[disagreement.origin.file];
  int total = 0;
  for (const auto& [file, count] : per_file) total += count;
  if (total <= kListedDisagreements) return;
  std::vector<std::string> parts;
  for (const auto& [file, count] : per_file) parts.push_back(fmt::format("{} ({})", file, count));
  const bool psums_agree = std::none_of(
      best.check.disagreements.begin(), best.check.disagreements.end(),
      [](const Disagreement& d) { return !d.known_defect && d.role == FileRole::Psum; });
  Diagnosis diagnosis;
  diagnosis.cause = Cause::Disagreement;
  diagnosis.message = fmt::format(
      "{} value(s) disagree with what the set's own activations and weights give, in {}{}", total,
      fmt::join(parts, ", "),
      best.set->psums && psums_agree ? "; the psum files agree, so the out file is the odd one out"
                                     : "");
  report.diagnoses.push_back(std::move(diagnosis));
}

}  // namespace

std::string_view to_string(Cause cause) {
  switch (cause) {
    case Cause::OutRelu:
      return "out_relu";
    case Cause::ElementOrder:
      return "element_order";
    case Cause::WeightsTransposed:
      return "weights_transposed";
    case Cause::HeaderLines:
      return "header_lines";
    case Cause::Shape:
      return "shape";
    case Cause::FilePattern:
      return "file_pattern";
    case Cause::OutTileOrder:
      return "out_tile_order";
    case Cause::NegativeZero:
      return "negative_zero";
    case Cause::OffByOne:
      return "off_by_one";
    case Cause::Disagreement:
      return "disagreement";
    case Cause::StaleKnownDefect:
      return "stale_known_defect";
  }
  return "?";
}

int detect_header_lines(const std::string& text) { return line_stats(text).header_lines; }

VectorSetMeta infer_meta_from_files(const std::map<std::string, std::string>& files,
                                    std::vector<std::string>& assumptions) {
  std::map<FileRole, std::vector<std::string>> names;
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

  VectorSetMeta meta;
  meta.dataflow = Dataflow::WeightStationary;
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

  // Tiles as far as the names tell; the shape detection counts them again from the files.
  meta.tiles.ic_tiles =
      std::max(1, count_expansions(meta.patterns[FileRole::Activation], files, "ic"));
  const std::string& weight_pattern = meta.patterns[FileRole::Weight];
  meta.tiles.oc_tiles = 1;
  if (weight_pattern.find("{oc_tile}") != std::string::npos) {
    for (std::size_t d = 0; d < weight->placeholders.size(); ++d)
      if (weight->placeholders[d] == "{oc_tile}") meta.tiles.oc_tiles = weight->dimensions[d].size;
  }
  if (weight_pattern.find("{ic_tile}") != std::string::npos) {
    for (std::size_t d = 0; d < weight->placeholders.size(); ++d)
      if (weight->placeholders[d] == "{ic_tile}" &&
          weight->dimensions[d].size != meta.tiles.ic_tiles) {
        throw InputError(
            fmt::format("{}: {} ic tiles in the weight names but {} activation "
                        "file(s)",
                        weight_pattern, weight->dimensions[d].size, meta.tiles.ic_tiles));
      }
  }
  meta.array = ArrayShape{};
  meta.layer =
      LayerShape{meta.array.row * meta.tiles.ic_tiles, meta.array.col * meta.tiles.oc_tiles, 1, 1};

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
                                 meta.patterns[FileRole::Activation], weight_pattern));
  }
  meta.array = shape->array;
  meta.layer = shape->layer;
  // Without meta.json nothing says some lanes are zero padding: every lane is a channel.
  meta.layer.in_ch = shape->array.row * shape->tiles.ic_tiles;
  meta.layer.out_ch = shape->array.col * shape->tiles.oc_tiles;
  meta.tiles = Tiling::of(meta.layer, meta.array);
  meta.weights_transposed = transposed;
  meta.out_relu = true;
  meta.element_order = ElementOrder::HighFirst;
  assumptions.push_back(fmt::format(
      "files: activation {}, weight {}{}{}", meta.patterns[FileRole::Activation], weight_pattern,
      meta.has(FileRole::Psum) ? ", psum " + meta.patterns[FileRole::Psum] : "",
      meta.has(FileRole::Out) ? ", out " + meta.patterns[FileRole::Out] : ""));
  assumptions.push_back(fmt::format("header lines {} from the files' first 0/1 lines",
                                    ordered_json(meta)["header_lines"].dump()));
  assumptions.push_back(
      fmt::format("array {}x{}, bw {}, psum_bw {} from the line widths; layer "
                  "{}->{} channels, {}x{} output map from the record counts",
                  meta.array.row, meta.array.col, meta.array.bw, meta.array.psum_bw,
                  meta.layer.in_ch, meta.layer.out_ch, meta.layer.height, meta.layer.width));
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

DoctorReport diagnose_vector_set(const std::filesystem::path& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir.string(), "no such folder");
  DoctorReport report;
  report.dir = dir;
  Folder folder(dir);
  const TextSource text_of = [&](const std::string& name) { return folder.read(name); };

  const fs::path meta_path = dir / "meta.json";
  report.has_meta_json = fs::exists(meta_path);
  if (report.has_meta_json) {
    const std::string* text = folder.read("meta.json");
    if (!text) throw InputError("meta.json", "cannot open file");
    report.declared = parse_meta(*text, "meta.json");
  } else {
    std::vector<std::string> assumptions;
    try {
      report.declared = infer_meta_from_files(folder.listed(), assumptions);
    } catch (const InputError& error) {
      if (!error.file().empty()) throw;
      throw InputError(dir.string(), error.message());
    }
    report.declared.source = dir.string();
    report.notes.push_back("no meta.json: the reading below is inferred from the files");
    for (const std::string& assumption : assumptions) report.notes.push_back(assumption);
  }
  const VectorSetMeta& declared = report.declared;

  Candidate first;
  first.meta = declared;
  first.evaluation = evaluate(dir, declared, report.has_meta_json);
  if (first.evaluation.readable) {
    report.declared_check = first.evaluation.check;
  } else {
    report.declared_error = first.evaluation.error->what();
  }

  // Alternative readings: the header lines, shape and file names the folder shows, each with
  // every combination of the three flags.
  std::vector<Candidate> candidates;
  std::map<FileRole, int> detected_headers = declared.header_lines;
  std::map<std::string, std::string> reasons;
  const bool search =
      !(report.has_meta_json && first.evaluation.readable && first.evaluation.score == 0);
  if (search) {
    std::vector<VectorSetMeta> bases{declared};
    auto add_base = [&](const VectorSetMeta& meta) {
      for (const VectorSetMeta& base : bases)
        if (reading_fields(base) == reading_fields(meta)) return;
      bases.push_back(meta);
    };
    if (report.has_meta_json) {
      // Files named otherwise than the patterns say.
      bool missing = false;
      for (FileRole role : declared.roles())
        for (const std::string& name : role_files(declared, role))
          missing = missing || text_of(name) == nullptr;
      if (missing && declared.dataflow == Dataflow::WeightStationary) {
        try {
          std::vector<std::string> ignored;
          const VectorSetMeta inferred = infer_meta_from_files(folder.listed(), ignored);
          // Only the roles whose files are missing take the names the folder shows; an
          // optional role (psum, out) the folder has no files for is dropped.
          VectorSetMeta renamed = declared;
          for (FileRole role : declared.roles()) {
            bool role_missing = false;
            for (const std::string& name : role_files(declared, role))
              role_missing = role_missing || text_of(name) == nullptr;
            if (!role_missing) continue;
            if (inferred.has(role))
              renamed.patterns[role] = inferred.patterns.at(role);
            else if (role == FileRole::Psum || role == FileRole::Out)
              renamed.patterns.erase(role);
          }
          add_base(renamed);
        } catch (const InputError&) {
        }
      }
      const std::size_t named = bases.size();
      for (std::size_t b = 0; b < named; ++b) {
        VectorSetMeta headers = bases[b];
        headers.header_lines = detect_role_headers(bases[b], text_of);
        if (b == 0) detected_headers = headers.header_lines;
        add_base(headers);
      }
      const std::size_t with_headers = bases.size();
      for (std::size_t b = 0; b < with_headers; ++b) {
        bool transposed = false;
        if (std::optional<VectorSetMeta> shape =
                detect_shape(bases[b], text_of, reasons, transposed))
          add_base(*shape);
      }
    }
    for (const VectorSetMeta& base : bases) {
      for (int flags = 0; flags < 8; ++flags) {
        VectorSetMeta meta = base;
        if (flags & 1) {
          if (!meta.has(FileRole::Out)) continue;
          meta.out_relu = !meta.out_relu;
        }
        if (flags & 2)
          meta.element_order = meta.element_order == ElementOrder::HighFirst
                                   ? ElementOrder::LowFirst
                                   : ElementOrder::HighFirst;
        if (flags & 4) {
          if (meta.dataflow != Dataflow::WeightStationary) continue;
          meta.weights_transposed = !meta.weights_transposed;
        }
        Candidate candidate;
        candidate.meta = meta;
        candidate.changes = static_cast<int>(changes_between(declared, meta).size());
        candidate.evaluation =
            candidate.changes == 0 ? first.evaluation : evaluate(dir, meta, report.has_meta_json);
        if (!candidate.evaluation.readable) continue;
        if (candidate.evaluation.set->out_holds_every_tile) {
          Candidate reversed = candidate;
          reversed.out_tiles_reversed = true;
          reversed.changes += 1;
          reversed.evaluation = with_out_tiles_reversed(candidate.evaluation);
          candidates.push_back(std::move(reversed));
        }
        candidates.push_back(std::move(candidate));
      }
    }
  } else {
    candidates.push_back(first);
  }

  if (candidates.empty()) throw *first.evaluation.error;
  const Candidate* best = &candidates.front();
  for (const Candidate& candidate : candidates)
    if (better(candidate, *best)) best = &candidate;

  report.best = best->meta;
  report.best_check = best->evaluation.check;
  report.files_read = best->evaluation.set->files_read;
  if (report.best_check.psums_checked + report.best_check.outputs_checked == 0)
    report.notes.push_back("the set has no psum or out files: nothing to check its inputs against");
  for (const Disagreement& disagreement : best->evaluation.check.disagreements) {
    if (disagreement.known_defect)
      report.notes.push_back(fmt::format("known defect of the set: {}", disagreement.message()));
  }

  // Field changes are only worth naming when they read the set better than meta.json does.
  const bool improved =
      !first.evaluation.readable || best->evaluation.score < first.evaluation.score;
  if (report.has_meta_json && improved) {
    if (!report.declared_error.empty())
      report.notes.push_back(fmt::format("as meta.json describes it the set cannot be read: {}",
                                         report.declared_error));
    for (const FieldChange& change : changes_between(declared, best->meta)) {
      report.diagnoses.push_back(
          describe_change(change, *best->evaluation.set, declared, reasons, detected_headers));
    }
  }
  if (best->out_tiles_reversed && (improved || !report.has_meta_json)) {
    Diagnosis diagnosis;
    diagnosis.cause = Cause::OutTileOrder;
    diagnosis.message = fmt::format(
        "{} holds oc tile 0 in the upper bits (the lowest channels first); a combined out file "
        "holds the highest channel first: write its oc tiles in the other order, or one out "
        "file per oc tile (files.out with {{oc_tile}})",
        out_names(*best->evaluation.set));
    report.diagnoses.push_back(std::move(diagnosis));
  }
  if (!report.has_meta_json) {
    for (const FieldChange& change : changes_between(declared, best->meta)) {
      report.notes.push_back(
          fmt::format("{} {}: the reading under which the files agree", change.field, change.to));
    }
    // Flags the files cannot decide between.
    for (const Candidate& candidate : candidates) {
      const auto changes = changes_between(best->meta, candidate.meta);
      if (candidate.out_tiles_reversed || changes.size() != 1 ||
          candidate.evaluation.score != best->evaluation.score)
        continue;
      report.notes.push_back(
          fmt::format("{} cannot be told from these files (both readings "
                      "agree equally); the meta.json below says {}",
                      changes[0].field, changes[0].from));
    }
  }

  std::vector<KnownDefect> new_defects;
  summarize_files(best->evaluation, report);
  classify_disagreements(best->evaluation, report, new_defects);

  // The meta.json that describes the set as it is.
  VectorSetMeta suggested = best->meta;
  std::vector<KnownDefect> kept;
  for (const KnownDefect& defect : suggested.known_defects) {
    const bool stale =
        std::any_of(best->evaluation.check.missing_defects.begin(),
                    best->evaluation.check.missing_defects.end(), [&](const KnownDefect& missing) {
                      return missing.file == defect.file && missing.line == defect.line &&
                             missing.element == defect.element;
                    });
    if (!stale) kept.push_back(defect);
  }
  for (const KnownDefect& defect : new_defects) kept.push_back(defect);
  suggested.known_defects = kept;
  suggested.expect_defects = !kept.empty();
  report.suggested_meta_json = to_meta_json(suggested);
  const bool only_defects =
      std::none_of(report.diagnoses.begin(), report.diagnoses.end(), [](const Diagnosis& d) {
        return d.cause == Cause::Disagreement || d.cause == Cause::OutTileOrder;
      });
  report.suggestion_is_consistent = only_defects;
  // With meta.json: consistent when its own reading is. Without: when the inferred one is.
  report.consistent =
      report.has_meta_json ? !search : best->evaluation.score == 0 && report.diagnoses.empty();
  return report;
}

std::string format_doctor_report(const DoctorReport& report, bool print_meta) {
  std::string text;
  const CheckReport& check = report.best_check;
  text += fmt::format(
      "vector set {}: {} psum and {} out values checked against its own "
      "activations and weights\n",
      report.dir.string(), check.psums_checked, check.outputs_checked);
  for (const std::string& note : report.notes) text += fmt::format("note: {}\n", note);
  for (const Diagnosis& diagnosis : report.diagnoses)
    text += fmt::format("- {}\n", diagnosis.message);
  const bool show_meta = print_meta || !report.has_meta_json ||
                         (!report.consistent && report.suggestion_is_consistent);
  if (show_meta) {
    text += report.has_meta_json ? "meta.json that describes the set as it is:\n"
                                 : "meta.json it would write:\n";
    text += report.suggested_meta_json;
  }
  if (report.consistent) {
    text += fmt::format("CONSISTENT{}\n", report.has_meta_json ? " as meta.json describes it"
                                                               : " as inferred (no meta.json)");
  } else {
    text += fmt::format(
        "INCONSISTENT: {} finding(s); the files disagree with each other, not "
        "with any hardware\n",
        report.diagnoses.size());
  }
  return text;
}

}  // namespace golden
