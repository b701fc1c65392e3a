// Output-stationary model of seed 001: PE (row r, col c) accumulates output pixel r of a
// pixel group and output channel c of an oc tile over every (ic, kij) step.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"

namespace golden {

// Pixel group g covers o_nij g*row .. g*row+row-1; pixels past the map see zeros.
int os_group_count(const LayerShape& shape, const ArrayShape& array);

struct OsResult {
  LayerShape shape;
  ArrayShape array;
  int pixel_group = 0;
  int oc_tile = 0;
  // activation_os[ic][kij][r]: the padded input pixel r sees at kernel offset kij in
  // channel ic (element r of line kij of activation_os_ic{ic}.txt).
  std::vector<std::uint8_t> activation_os;
  // weight_os[ic][kij][c] = W[oc_tile*col + c][ic][kij] (element c of line kij).
  std::vector<std::int8_t> weight_os;
  // out_os[r][c]: the sum PE (r, c) holds after every step, psum_bw-wrapped, no ReLU.
  std::vector<std::int32_t> out_os;
  std::vector<std::int64_t> exact;  // [r][c], unbounded

  int in_channels() const { return shape.in_ch; }
  std::uint8_t activation(int ic, int kij, int r) const {
    return activation_os[(static_cast<std::size_t>(ic) * 9 + kij) * array.row + r];
  }
  std::int8_t weight(int ic, int kij, int c) const {
    return weight_os[(static_cast<std::size_t>(ic) * 9 + kij) * array.col + c];
  }
  std::int32_t out(int r, int c) const { return out_os[static_cast<std::size_t>(r) * array.col + c]; }
  // o_nij of pixel r, or -1 when the group runs past the map.
  int o_nij(int r) const;
  bool overflowed() const;
};

// Throws InputError for a group or oc tile out of range or mismatched tensors.
OsResult run_os_model(const LayerShape& shape, const ArrayShape& array,
                      const ActivationTensor& activations, const WeightTensor& weights,
                      int pixel_group = 0, int oc_tile = 0);

}  // namespace golden
