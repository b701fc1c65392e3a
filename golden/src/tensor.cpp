// Tensor storage and channel zero-padding.
#include "golden/tensor.hpp"

#include <algorithm>

namespace golden {

ActivationTensor::ActivationTensor(int channels, int height, int width)
    : channels_(channels),
      height_(height),
      width_(width),
      data_(static_cast<std::size_t>(channels) * height * width, 0) {}

std::uint8_t ActivationTensor::padded(int ic, int nij) const {
  if (ic >= channels_) return 0;
  const int padded_x = nij % (width_ + 2);
  const int padded_y = nij / (width_ + 2);
  if (padded_y < 1 || padded_y > height_ || padded_x < 1 || padded_x > width_) return 0;
  return at(ic, padded_y - 1, padded_x - 1);
}

bool ActivationTensor::operator==(const ActivationTensor& other) const {
  return channels_ == other.channels_ && height_ == other.height_ && width_ == other.width_ &&
         data_ == other.data_;
}

WeightTensor::WeightTensor(int out_channels, int in_channels)
    : out_channels_(out_channels),
      in_channels_(in_channels),
      data_(static_cast<std::size_t>(out_channels) * in_channels * kKijCount, 0) {}

std::int8_t WeightTensor::padded(int oc, int ic, int kij) const {
  if (oc >= out_channels_ || ic >= in_channels_) return 0;
  return at(oc, ic, kij);
}

bool WeightTensor::operator==(const WeightTensor& other) const {
  return out_channels_ == other.out_channels_ && in_channels_ == other.in_channels_ &&
         data_ == other.data_;
}

ActivationTensor pad_channels(const ActivationTensor& activations, int channels) {
  ActivationTensor result(std::max(channels, activations.channels()), activations.height(),
                          activations.width());
  std::copy(activations.data().begin(), activations.data().end(), result.data().begin());
  return result;
}

WeightTensor pad_channels(const WeightTensor& weights, int out_channels, int in_channels) {
  WeightTensor result(std::max(out_channels, weights.out_channels()),
                      std::max(in_channels, weights.in_channels()));
  for (int oc = 0; oc < weights.out_channels(); ++oc)
    for (int ic = 0; ic < weights.in_channels(); ++ic)
      for (int kij = 0; kij < kKijCount; ++kij) result.at(oc, ic, kij) = weights.at(oc, ic, kij);
  return result;
}

PsumTensor::PsumTensor(const Tiling& tiling, int nij_count, int col)
    : tiling_(tiling),
      nij_count_(nij_count),
      col_(col),
      data_(static_cast<std::size_t>(tiling.ic_tiles) * tiling.oc_tiles * kKijCount * nij_count *
                col,
            0) {}

bool PsumTensor::operator==(const PsumTensor& other) const {
  return tiling_ == other.tiling_ && nij_count_ == other.nij_count_ && col_ == other.col_ &&
         data_ == other.data_;
}

}  // namespace golden
