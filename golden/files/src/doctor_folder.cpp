// The vector-set doctor: a set folder's files, read once, and what their lines look like.
#include "doctor_detail.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace golden::doctor_detail {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

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

Folder::Folder(fs::path dir) : dir_(std::move(dir)) {
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

const std::string* Folder::read(const std::string& relative) {
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

}  // namespace golden::doctor_detail

namespace golden {

using namespace doctor_detail;

int detect_header_lines(const std::string& text) { return line_stats(text).header_lines; }

}  // namespace golden
