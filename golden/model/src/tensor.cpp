// Tensor storage and channel zero-padding.
#include "golden/tensor.hpp"

#include <algorithm>
#include <stdexcept>

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
  if (padded_y < 1 || padded_y > height_ || padded_x < 1 || padded_x > width_)
    return border_.empty() ? 0 : border_[static_cast<std::size_t>(ic) * nij_count() + nij];
  return at(ic, padded_y - 1, padded_x - 1);
}

bool ActivationTensor::is_border(int height, int width, int nij) {
  const int padded_x = nij % (width + 2);
  const int padded_y = nij / (width + 2);
  return padded_y == 0 || padded_y == height + 1 || padded_x == 0 || padded_x == width + 1;
}

void ActivationTensor::set_border(int ic, int nij, std::uint8_t value) {
  if (ic < 0 || ic >= channels_ || nij < 0 || nij >= nij_count() ||
      !is_border(height_, width_, nij)) {
    throw std::out_of_range("ActivationTensor::set_border: not a border position");
  }
  if (border_.empty()) {
    if (value == 0) return;
    border_.assign(static_cast<std::size_t>(channels_) * nij_count(), 0);
  }
  border_[static_cast<std::size_t>(ic) * nij_count() + nij] = value;
}

std::uint8_t ActivationTensor::border(int ic, int nij) const {
  if (border_.empty() || ic >= channels_ || !is_border(height_, width_, nij)) return 0;
  return border_[static_cast<std::size_t>(ic) * nij_count() + nij];
}

bool ActivationTensor::has_border() const {
  for (std::uint8_t value : border_)
    if (value != 0) return true;
  return false;
}

bool ActivationTensor::operator==(const ActivationTensor& other) const {
  if (channels_ != other.channels_ || height_ != other.height_ || width_ != other.width_ ||
      data_ != other.data_)
    return false;
  for (int ic = 0; ic < channels_; ++ic)
    for (int nij = 0; nij < nij_count(); ++nij)
      if (border(ic, nij) != other.border(ic, nij)) return false;
  return true;
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
  for (int ic = 0; ic < activations.channels(); ++ic)
    for (int nij = 0; nij < activations.nij_count(); ++nij)
      if (ActivationTensor::is_border(activations.height(), activations.width(), nij))
        result.set_border(ic, nij, activations.border(ic, nij));
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
