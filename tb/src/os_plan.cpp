// Output-stationary passes and their step words: each pixel's padded input at each kernel offset, each column's weight.
#include "tb/os_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/ws_model.hpp"
#include "tb/errors.hpp"

namespace tb {

OsPlan::OsPlan(const golden::ArrayShape& array, const golden::LayerShape& shape,
               const golden::ActivationTensor& activations, const golden::WeightTensor& weights,
               std::vector<OsPass> passes)
    : array_(array),
      shape_(shape),
      activations_(&activations),
      weights_(&weights),
      passes_(std::move(passes)) {
  if (array.col > array.row) {
    throw UsageError(fmt::format(
        "output-stationary on a {}x{} array: the IFIFO takes its {} weight lanes from the {}-lane "
        "xmem word, so col must not exceed row",
        array.row, array.col, array.col, array.row));
  }
  if (array.row * array.bw > kXmemWords * 32 || array.col * array.psum_bw > kSfpWords * 32) {
    throw UsageError(fmt::format("a {}x{} array is wider than the harness's buses", array.row,
                                 array.col));
  }
  static_assert(kStepsPerChunk <= inst::kXmemWeightBase, "a chunk's activations overlap the weights");
  if (activations.channels() != shape.in_ch || activations.height() != shape.height ||
      activations.width() != shape.width || weights.in_channels() != shape.in_ch ||
      weights.out_channels() != shape.out_ch) {
    throw golden::InputError(fmt::format(
        "output-stationary tensors {}x{}x{} and {}x{} do not match the layer {}->{}@{}x{}",
        activations.channels(), activations.height(), activations.width(),
        weights.out_channels(), weights.in_channels(), shape.in_ch, shape.out_ch, shape.height,
        shape.width));
  }
}

std::vector<OsPass> OsPlan::every_pass(const golden::LayerShape& shape,
                                       const golden::ArrayShape& array) {
  std::vector<OsPass> passes;
  const int groups = (shape.o_nij_count() + array.row - 1) / array.row;
  const int oc_tiles = (shape.out_ch + array.col - 1) / array.col;
  for (int group = 0; group < groups; ++group) {
    for (int oc_tile = 0; oc_tile < oc_tiles; ++oc_tile) passes.push_back({group, oc_tile});
  }
  return passes;
}

int OsPlan::weight_address(int step) { return inst::kXmemWeightBase + step % kStepsPerChunk; }

int OsPlan::chunk_steps(int chunk) const {
  return std::min(kStepsPerChunk, steps() - chunk * kStepsPerChunk);
}

bool OsPlan::activations_kept(int pass) const {
  return pass > 0 && chunks() == 1 &&
         passes_[static_cast<std::size_t>(pass)].group ==
             passes_[static_cast<std::size_t>(pass - 1)].group;
}

std::vector<XmemWrite> OsPlan::writes(int pass_index, int chunk) const {
  const OsPass& pass = passes_[static_cast<std::size_t>(pass_index)];
  const int first = chunk * kStepsPerChunk;
  const int last = first + chunk_steps(chunk);
  std::vector<XmemWrite> writes;
  for (int step = activations_kept(pass_index) ? last : first; step < last; ++step) {
    const int ic = step / golden::kKijCount;
    const int kij = step % golden::kKijCount;
    // Lane r: what pixel r of the group sees at kernel offset kij (0 past the map).
    XmemWord activation{};
    for (int r = 0; r < array_.row; ++r) {
      const int o_nij = pass.group * array_.row + r;
      if (o_nij >= shape_.o_nij_count()) continue;
      put_lane(activation.data(), r, array_.bw,
               activations_->padded(ic, golden::nij_for(shape_, o_nij, kij)));
    }
    writes.push_back({activation_address(step), activation});
  }
  for (int step = first; step < last; ++step) {
    const int ic = step / golden::kKijCount;
    const int kij = step % golden::kKijCount;
    // Lane c: W[oc_tile*col + c][ic][kij], bw-bit two's complement.
    XmemWord weight{};
    for (int c = 0; c < array_.col; ++c) {
      const int value = weights_->padded(pass.oc_tile * array_.col + c, ic, kij);
      put_lane(weight.data(), c, array_.bw,
               static_cast<std::uint32_t>(golden::to_bits(value, array_.bw)));
    }
    writes.push_back({weight_address(step), weight});
  }
  return writes;
}

long long OsPlan::useful_macs() const {
  long long macs = 0;
  for (const OsPass& pass : passes_) {
    const int pixels = std::min(array_.row, shape_.o_nij_count() - pass.group * array_.row);
    const int channels = std::min(array_.col, shape_.out_ch - pass.oc_tile * array_.col);
    macs += static_cast<long long>(std::max(pixels, 0)) * std::max(channels, 0) * steps();
  }
  return macs;
}

}  // namespace tb
