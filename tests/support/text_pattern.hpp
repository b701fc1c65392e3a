// Regular expressions on test output (ECMAScript syntax, as std::regex), compiled once in
// tests/support instead of in every test program: <regex> was about 2.7 s of each -O0 batch.
#pragma once

#include <string>
#include <vector>

namespace text_pattern {

// Whether pattern matches somewhere in text (std::regex_search).
bool search(const std::string& text, const std::string& pattern);

// The first match's groups, [0] the whole match; empty when nothing matches.
std::vector<std::string> first_match(const std::string& text, const std::string& pattern);

// Every match's groups, in order.
std::vector<std::vector<std::string>> all_matches(const std::string& text,
                                                  const std::string& pattern);

// text with every match replaced by format ($1, $& ...: std::regex_replace).
std::string replace(const std::string& text, const std::string& pattern,
                    const std::string& format);

}  // namespace text_pattern
