// Output-stationary model: the per-step inputs of seed 001's activation_os/weight_os files
// and the sums the PEs hold at the end (out_os).
#include "golden/os_model.hpp"

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/ws_model.hpp"

namespace golden {

int os_group_count(const LayerShape& shape, const ArrayShape& array) {
  return (shape.o_nij_count() + array.row - 1) / array.row;
}

int OsResult::o_nij(int r) const {
  const int position = pixel_group * array.row + r;
  return position < shape.o_nij_count() ? position : -1;
}

bool OsResult::overflowed() const {
  for (std::size_t i = 0; i < exact.size(); ++i)
    if (exact[i] != out_os[i]) return true;
  return false;
}

OsResult run_os_model(const LayerShape& shape, const ArrayShape& array,
                      const ActivationTensor& activations, const WeightTensor& weights,
                      int pixel_group, int oc_tile) {
  validate(array);
  validate(shape);
  if (activations.channels() != shape.in_ch || activations.height() != shape.height ||
      activations.width() != shape.width || weights.out_channels() != shape.out_ch ||
      weights.in_channels() != shape.in_ch) {
    throw InputError("output-stationary model: tensors do not match the layer shape");
  }
  const int groups = os_group_count(shape, array);
  if (pixel_group < 0 || pixel_group >= groups) {
    throw InputError(fmt::format("pixel group {} out of range 0..{}", pixel_group, groups - 1));
  }
  const int oc_tiles = Tiling::of(shape, array).oc_tiles;
  if (oc_tile < 0 || oc_tile >= oc_tiles) {
    throw InputError(fmt::format("oc tile {} out of range 0..{}", oc_tile, oc_tiles - 1));
  }

  OsResult result;
  result.shape = shape;
  result.array = array;
  result.pixel_group = pixel_group;
  result.oc_tile = oc_tile;
  const int row = array.row;
  const int col = array.col;
  result.activation_os.assign(static_cast<std::size_t>(shape.in_ch) * kKijCount * row, 0);
  result.weight_os.assign(static_cast<std::size_t>(shape.in_ch) * kKijCount * col, 0);
  result.exact.assign(static_cast<std::size_t>(row) * col, 0);
  result.out_os.assign(static_cast<std::size_t>(row) * col, 0);

  // Step (ic, kij): row r of the west edge carries what pixel r sees at that kernel offset,
  // column c of the north edge the weight of output channel c.
  for (int ic = 0; ic < shape.in_ch; ++ic) {
    for (int kij = 0; kij < kKijCount; ++kij) {
      const std::size_t step = static_cast<std::size_t>(ic) * kKijCount + kij;
      for (int r = 0; r < row; ++r) {
        const int o_nij = result.o_nij(r);
        result.activation_os[step * row + r] =
            o_nij < 0 ? 0 : activations.padded(ic, nij_for(shape, o_nij, kij));
      }
      for (int c = 0; c < col; ++c)
        result.weight_os[step * col + c] = weights.padded(oc_tile * col + c, ic, kij);
    }
  }

  // PE (r, c) accumulates one product per step, its register wrapping at psum_bw.
  for (std::size_t step = 0; step < static_cast<std::size_t>(shape.in_ch) * kKijCount; ++step) {
    for (int r = 0; r < row; ++r) {
      const std::int64_t a = result.activation_os[step * row + r];
      for (int c = 0; c < col; ++c) {
        const std::int64_t product = a * result.weight_os[step * col + c];
        const std::size_t pe = static_cast<std::size_t>(r) * col + c;
        result.exact[pe] += product;
        result.out_os[pe] =
            static_cast<std::int32_t>(wrap_signed(result.out_os[pe] + product, array.psum_bw));
      }
    }
  }
  return result;
}

}  // namespace golden
