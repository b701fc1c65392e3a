// Tensors of one layer: activations A[ic][y][x], weights W[oc][ic][kij], psums and outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "golden/catalog.hpp"

namespace golden {

inline constexpr int kKernelSize = 3;    // ki, kj in 0..2
inline constexpr int kKijCount = 9;      // kij = ki*3 + kj

// Unpadded input map of one image, A[ic][y][x], unsigned bw-bit values.
class ActivationTensor {
 public:
  ActivationTensor() = default;
  ActivationTensor(int channels, int height, int width);

  int channels() const { return channels_; }
  int height() const { return height_; }
  int width() const { return width_; }
  int padded_width() const { return width_ + 2; }
  int nij_count() const { return (height_ + 2) * (width_ + 2); }

  std::uint8_t at(int ic, int y, int x) const { return data_[index(ic, y, x)]; }
  std::uint8_t& at(int ic, int y, int x) { return data_[index(ic, y, x)]; }

  // Value at padded position nij = py*(width+2) + px: the map inside, the border (0 unless
  // set_border gave it a value) around it, and 0 for ic >= channels() (channels zero-padded
  // up to the array).
  std::uint8_t padded(int ic, int nij) const;

  // The border of the streamed (height+2) x (width+2) map is the convolution's zero padding
  // in the notebooks, but some real vector sets stream a map whose border holds data (a
  // valid convolution over the streamed map). Such values live here. nij must be a border
  // position (throws std::out_of_range otherwise).
  void set_border(int ic, int nij, std::uint8_t value);
  std::uint8_t border(int ic, int nij) const;  // 0 inside the map or when never set
  bool has_border() const;                     // some border value is non-zero
  static bool is_border(int height, int width, int nij);

  const std::vector<std::uint8_t>& data() const { return data_; }
  std::vector<std::uint8_t>& data() { return data_; }
  bool operator==(const ActivationTensor& other) const;
  bool operator!=(const ActivationTensor& other) const { return !(*this == other); }

 private:
  std::size_t index(int ic, int y, int x) const {
    return (static_cast<std::size_t>(ic) * height_ + y) * width_ + x;
  }
  int channels_ = 0;
  int height_ = 0;
  int width_ = 0;
  std::vector<std::uint8_t> data_;
  std::vector<std::uint8_t> border_;  // [ic][nij], allocated by the first set_border
};

// Weights W[oc][ic][kij], signed bw-bit values.
class WeightTensor {
 public:
  WeightTensor() = default;
  WeightTensor(int out_channels, int in_channels);

  int out_channels() const { return out_channels_; }
  int in_channels() const { return in_channels_; }

  std::int8_t at(int oc, int ic, int kij) const { return data_[index(oc, ic, kij)]; }
  std::int8_t& at(int oc, int ic, int kij) { return data_[index(oc, ic, kij)]; }
  // 0 for oc >= out_channels() or ic >= in_channels() (zero-padded up to the array).
  std::int8_t padded(int oc, int ic, int kij) const;

  const std::vector<std::int8_t>& data() const { return data_; }
  std::vector<std::int8_t>& data() { return data_; }
  bool operator==(const WeightTensor& other) const;
  bool operator!=(const WeightTensor& other) const { return !(*this == other); }

 private:
  std::size_t index(int oc, int ic, int kij) const {
    return (static_cast<std::size_t>(oc) * in_channels_ + ic) * kKijCount + kij;
  }
  int out_channels_ = 0;
  int in_channels_ = 0;
  std::vector<std::int8_t> data_;
};

// Zero-pads channels up to the given counts (e.g. 3 input channels up to the array's row).
ActivationTensor pad_channels(const ActivationTensor& activations, int channels);
WeightTensor pad_channels(const WeightTensor& weights, int out_channels, int in_channels);

// Per-output-channel map out[oc][o_nij] (o_nij = oy*width + ox).
template <typename T>
class OutputMap {
 public:
  OutputMap() = default;
  OutputMap(int channels, int o_nij_count)
      : channels_(channels),
        o_nij_count_(o_nij_count),
        data_(static_cast<std::size_t>(channels) * o_nij_count, T{}) {}

  int channels() const { return channels_; }
  int o_nij_count() const { return o_nij_count_; }
  T at(int oc, int o_nij) const { return data_[index(oc, o_nij)]; }
  T& at(int oc, int o_nij) { return data_[index(oc, o_nij)]; }
  const std::vector<T>& data() const { return data_; }
  std::vector<T>& data() { return data_; }
  bool operator==(const OutputMap& other) const {
    return channels_ == other.channels_ && o_nij_count_ == other.o_nij_count_ &&
           data_ == other.data_;
  }
  bool operator!=(const OutputMap& other) const { return !(*this == other); }

 private:
  std::size_t index(int oc, int o_nij) const {
    return static_cast<std::size_t>(oc) * o_nij_count_ + o_nij;
  }
  int channels_ = 0;
  int o_nij_count_ = 0;
  std::vector<T> data_;
};

using OutputTensor = OutputMap<std::int32_t>;       // psum_bw-wrapped values, sign-extended
using ExactOutputTensor = OutputMap<std::int64_t>;  // unbounded sums

// psum[ic_tile][oc_tile][kij][nij][col]: one WS pass per (ic_tile, oc_tile, kij), one
// psum per padded nij and array column, wrapped to psum_bw and sign-extended.
class PsumTensor {
 public:
  PsumTensor() = default;
  PsumTensor(const Tiling& tiling, int nij_count, int col);

  const Tiling& tiling() const { return tiling_; }
  int nij_count() const { return nij_count_; }
  int col() const { return col_; }

  std::int32_t at(int ic_tile, int oc_tile, int kij, int nij, int column) const {
    return data_[index(ic_tile, oc_tile, kij, nij) + column];
  }
  std::int32_t& at(int ic_tile, int oc_tile, int kij, int nij, int column) {
    return data_[index(ic_tile, oc_tile, kij, nij) + column];
  }
  // The col psums of one file line (element c = column c).
  const std::int32_t* line(int ic_tile, int oc_tile, int kij, int nij) const {
    return &data_[index(ic_tile, oc_tile, kij, nij)];
  }
  std::int32_t* line(int ic_tile, int oc_tile, int kij, int nij) {
    return &data_[index(ic_tile, oc_tile, kij, nij)];
  }
  const std::vector<std::int32_t>& data() const { return data_; }
  bool operator==(const PsumTensor& other) const;
  bool operator!=(const PsumTensor& other) const { return !(*this == other); }

 private:
  std::size_t index(int ic_tile, int oc_tile, int kij, int nij) const {
    return (((static_cast<std::size_t>(ic_tile) * tiling_.oc_tiles + oc_tile) * kKijCount + kij) *
                nij_count_ + nij) * col_;
  }
  Tiling tiling_;
  int nij_count_ = 0;
  int col_ = 0;
  std::vector<std::int32_t> data_;
};

}  // namespace golden
