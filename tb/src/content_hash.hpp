// FNV-1a over text: the content keys of the user-core build folders (tb/src/user_core.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace tb {

// A 64-bit FNV-1a running hash: a content key for a build folder, not a security measure.
// add() is compiled with the per-cycle code's optimisation (content_hash.cpp): a user-core run
// hashes the harness libraries it links, megabytes, while the code around it runs once at -O0.
class ContentHash {
 public:
  // Adds text and a separator, so that ("ab", "c") and ("a", "bc") differ.
  void add(std::string_view text);
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 1469598103934665603ULL;
};

}  // namespace tb
