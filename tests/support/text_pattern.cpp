// tests/support/text_pattern.hpp: std::regex behind a plain interface.
#include "text_pattern.hpp"

#include <regex>

namespace text_pattern {

namespace {

std::vector<std::string> groups(const std::smatch& match) {
  std::vector<std::string> out;
  for (const auto& group : match) out.push_back(group.str());
  return out;
}

}  // namespace

bool search(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern));
}

std::vector<std::string> first_match(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern))) return {};
  return groups(match);
}

std::vector<std::vector<std::string>> all_matches(const std::string& text,
                                                  const std::string& pattern) {
  const std::regex expression(pattern);
  std::vector<std::vector<std::string>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), expression);
       it != std::sregex_iterator(); ++it) {
    out.push_back(groups(*it));
  }
  return out;
}

std::string replace(const std::string& text, const std::string& pattern,
                    const std::string& format) {
  return std::regex_replace(text, std::regex(pattern), format);
}

}  // namespace text_pattern
