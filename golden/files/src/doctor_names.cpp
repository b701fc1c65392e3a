// The vector-set doctor: file name patterns ({kij}, {ic_tile}, {oc_tile}) from the names in a folder.
#include "doctor_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace golden::doctor_detail {

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

}  // namespace golden::doctor_detail
