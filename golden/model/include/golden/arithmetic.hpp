// Two's-complement helpers shared by the models and the file formats.
#pragma once

#include <cstdint>

namespace golden {

// value modulo 2^bits, read back as a signed bits-wide number (the hardware's wrap).
// bits in 1..63.
constexpr std::int64_t wrap_signed(std::int64_t value, int bits) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  const std::uint64_t low = static_cast<std::uint64_t>(value) & mask;
  const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
  return static_cast<std::int64_t>(low ^ sign) - static_cast<std::int64_t>(sign);
}

// The bits-wide two's-complement pattern of value (what a file line holds), 0..2^bits-1.
constexpr std::uint64_t to_bits(std::int64_t value, int bits) {
  return static_cast<std::uint64_t>(value) & ((std::uint64_t{1} << bits) - 1);
}

constexpr std::int32_t relu(std::int32_t value) { return value < 0 ? 0 : value; }

// Ranges of the bw-bit activation (unsigned) and weight (signed) formats.
constexpr int activation_max(int bw) { return (1 << bw) - 1; }
constexpr int weight_min(int bw) { return -(1 << (bw - 1)); }
constexpr int weight_max(int bw) { return (1 << (bw - 1)) - 1; }

}  // namespace golden
