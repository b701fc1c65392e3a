#include "content_hash.hpp"

namespace tb {

void ContentHash::add(std::string_view text) {
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t value = value_;
  for (const char c : text) {
    value ^= static_cast<unsigned char>(c);
    value *= kPrime;
  }
  value ^= 0xff;
  value_ = value * kPrime;
}

}  // namespace tb
