// Weight-stationary tiled model: one pass per (ic_tile, oc_tile, kij) over every padded nij, then the SFP accumulation and ReLU, all wrapped at psum_bw like the hardware.
#include "golden/ws_model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"

namespace golden {
namespace {

void check_inputs(const LayerShape& shape, const ArrayShape& array,
                  const ActivationTensor& activations, const WeightTensor& weights) {
  validate(array);
  validate(shape);
  if (activations.channels() != shape.in_ch || activations.height() != shape.height ||
      activations.width() != shape.width) {
    throw InputError(fmt::format("activations are {}x{}x{}, the layer needs {}x{}x{}",
                                 activations.channels(), activations.height(),
                                 activations.width(), shape.in_ch, shape.height, shape.width));
  }
  if (weights.out_channels() != shape.out_ch || weights.in_channels() != shape.in_ch) {
    throw InputError(fmt::format("weights are {}x{}, the layer needs {}x{}",
                                 weights.out_channels(), weights.in_channels(), shape.out_ch,
                                 shape.in_ch));
  }
  const int a_max = activation_max(array.bw);
  for (int ic = 0; ic < activations.channels(); ++ic) {
    for (int nij = 0; nij < activations.nij_count(); ++nij) {
      const int value = activations.padded(ic, nij);
      if (value > a_max)
        throw InputError(fmt::format("activation {} (channel {}, nij {}) does not fit {} bits "
                                     "unsigned",
                                     value, ic, nij, array.bw));
    }
  }
  const int w_min = weight_min(array.bw);
  const int w_max = weight_max(array.bw);
  for (std::int8_t value : weights.data()) {
    if (value < w_min || value > w_max)
      throw InputError(fmt::format("weight {} does not fit {} bits signed", value, array.bw));
  }
}

// A_pad of every ic tile as the L0 sees it, [ic_tile][r][nij] (zero border, zero channels
// past in_ch), contiguous over nij so the pass below vectorizes.
std::vector<std::int32_t> padded_activation_tiles(const LayerShape& shape, const Tiling& tiling,
                                                  int row, const ActivationTensor& activations) {
  const int nij_count = shape.nij_count();
  std::vector<std::int32_t> a_pad(static_cast<std::size_t>(tiling.ic_tiles) * row * nij_count, 0);
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    std::int32_t* channel = &a_pad[static_cast<std::size_t>(ic) * nij_count];
    for (int nij = 0; nij < nij_count; ++nij) channel[nij] = activations.padded(ic, nij);
  }
  return a_pad;
}

// One pass's exact psums, pass[c][nij]: the weights the PEs latch (PE (r, c) holds
// W[oc][ic][kij]) against the ic tile's A_pad.
void compute_pass(const std::vector<std::int32_t>& a_pad, const WeightTensor& weights,
                  const ArrayShape& array, int nij_count, int ic_tile, int oc_tile, int kij,
                  std::vector<std::int32_t>& column_weights, std::vector<std::int32_t>& pass) {
  const int row = array.row;
  const int col = array.col;
  for (int c = 0; c < col; ++c)
    for (int r = 0; r < row; ++r)
      column_weights[static_cast<std::size_t>(c) * row + r] =
          weights.padded(oc_tile * col + c, ic_tile * row + r, kij);
  for (int c = 0; c < col; ++c) {
    std::int32_t* out = &pass[static_cast<std::size_t>(c) * nij_count];
    std::fill(out, out + nij_count, 0);
    for (int r = 0; r < row; ++r) {
      const std::int32_t weight = column_weights[static_cast<std::size_t>(c) * row + r];
      if (weight == 0) continue;
      const std::int32_t* in = &a_pad[(static_cast<std::size_t>(ic_tile) * row + r) * nij_count];
      for (int nij = 0; nij < nij_count; ++nij) out[nij] += weight * in[nij];
    }
  }
}

// What the OFIFO delivers: every psum wrapped to psum_bw (kept when asked, overflows counted).
void deliver_psums(const std::vector<std::int32_t>& pass, int nij_count, int ic_tile,
                   int oc_tile, int kij, bool keep_psums, WsResult& result) {
  // Locals, not result's fields, in the loop: the stores into result.psum may alias them.
  const int col = result.array.col;
  const int psum_bw = result.array.psum_bw;
  std::int64_t wrapped_psums = 0;
  // The pass's block of the psum tensor: one line of col psums per nij, written in order.
  std::int32_t* lines = keep_psums ? result.psum.line(ic_tile, oc_tile, kij, 0) : nullptr;
  for (int nij = 0; nij < nij_count; ++nij) {
    for (int c = 0; c < col; ++c) {
      const std::int32_t exact = pass[static_cast<std::size_t>(c) * nij_count + nij];
      const auto wrapped = static_cast<std::int32_t>(wrap_signed(exact, psum_bw));
      if (wrapped != exact) ++wrapped_psums;
      if (lines != nullptr) lines[static_cast<std::size_t>(nij) * col + c] = wrapped;
    }
  }
  result.overflow.wrapped_psums += wrapped_psums;
}

// SFP: out[oc][o_nij] += psum[nij_for(o_nij, kij)], wrapped at every step; the unbounded sum
// runs alongside from the exact psums.
void accumulate_pass(const std::vector<std::int32_t>& pass, int oc_tile, int kij,
                     WsResult& result) {
  const LayerShape& shape = result.shape;
  const int col = result.array.col;
  const int psum_bw = result.array.psum_bw;
  const int nij_count = shape.nij_count();
  const int padded_width = shape.padded_width();
  // Locals, not shape's fields, in the loops: the stores into the sums may alias them.
  const int out_height = shape.height;
  const int out_width = shape.width;
  const int out_ch = shape.out_ch;
  const int ki = kij / kKernelSize;
  const int kj = kij % kKernelSize;
  for (int c = 0; c < col; ++c) {
    const int oc = oc_tile * col + c;
    if (oc >= out_ch) break;
    const std::int32_t* exact = &pass[static_cast<std::size_t>(c) * nij_count];
    std::int32_t* sum = &result.sum.at(oc, 0);
    std::int64_t* wide = &result.exact.at(oc, 0);
    for (int oy = 0; oy < out_height; ++oy) {
      const std::int32_t* source = exact + (oy + ki) * padded_width + kj;
      const int o_nij_base = oy * out_width;
      for (int ox = 0; ox < out_width; ++ox) {
        const std::int32_t psum = static_cast<std::int32_t>(wrap_signed(source[ox], psum_bw));
        sum[o_nij_base + ox] = static_cast<std::int32_t>(
            wrap_signed(static_cast<std::int64_t>(sum[o_nij_base + ox]) + psum, psum_bw));
        wide[o_nij_base + ox] += source[ox];
      }
    }
  }
}

// ReLU of the wrapped sums; every output whose wrapped sum differs from the exact one is an
// overflow entry.
void apply_relu(WsResult& result) {
  const int o_nij_count = result.shape.o_nij_count();
  result.relu = OutputTensor(result.shape.out_ch, o_nij_count);
  for (int oc = 0; oc < result.shape.out_ch; ++oc) {
    for (int o_nij = 0; o_nij < o_nij_count; ++o_nij) {
      const std::int32_t sum = result.sum.at(oc, o_nij);
      result.relu.at(oc, o_nij) = relu(sum);
      if (result.exact.at(oc, o_nij) != sum) {
        result.overflow.outputs.push_back(
            OverflowEntry{oc, o_nij, result.exact.at(oc, o_nij), sum});
      }
    }
  }
}

}  // namespace

int nij_for(const LayerShape& shape, int o_nij, int kij) {
  const int padded_width = shape.padded_width();
  return (o_nij / shape.width) * padded_width + o_nij % shape.width +
         (kij / kKernelSize) * padded_width + kij % kKernelSize;
}

std::int32_t WsResult::psum_over_ic_tiles(int oc_tile, int kij, int nij, int column,
                                          int ic_tiles) const {
  const int count = ic_tiles < 0 ? tiling.ic_tiles : ic_tiles;
  std::int64_t sum = 0;
  for (int ic_tile = 0; ic_tile < count; ++ic_tile)
    sum += psum.at(ic_tile, oc_tile, kij, nij, column);
  return static_cast<std::int32_t>(wrap_signed(sum, array.psum_bw));
}

WsResult run_ws_model(const LayerShape& shape, const ArrayShape& array,
                      const ActivationTensor& activations, const WeightTensor& weights,
                      const WsOptions& options) {
  check_inputs(shape, array, activations, weights);
  WsResult result;
  result.shape = shape;
  result.array = array;
  result.tiling = Tiling::of(shape, array);
  const Tiling& tiling = result.tiling;
  const int nij_count = shape.nij_count();
  if (options.keep_psums) result.psum = PsumTensor(tiling, nij_count, array.col);
  result.sum = OutputTensor(shape.out_ch, shape.o_nij_count());
  result.exact = ExactOutputTensor(shape.out_ch, shape.o_nij_count());

  const std::vector<std::int32_t> a_pad =
      padded_activation_tiles(shape, tiling, array.row, activations);
  std::vector<std::int32_t> pass(static_cast<std::size_t>(array.col) * nij_count);
  std::vector<std::int32_t> column_weights(static_cast<std::size_t>(array.col) * array.row);
  for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      for (int kij = 0; kij < kKijCount; ++kij) {
        compute_pass(a_pad, weights, array, nij_count, ic_tile, oc_tile, kij, column_weights,
                     pass);
        deliver_psums(pass, nij_count, ic_tile, oc_tile, kij, options.keep_psums, result);
        accumulate_pass(pass, oc_tile, kij, result);
      }
    }
  }
  apply_relu(result);
  return result;
}

}  // namespace golden
