// Memory map and row bands of a weight-stationary layer; packing of tensors into xmem words.
#include "tb/ws_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "tb/errors.hpp"

namespace tb {

WsPlan::WsPlan(const golden::ArrayShape& array, const golden::LayerShape& shape,
               const golden::ActivationTensor& activations, const golden::WeightTensor& weights)
    : array_(array),
      shape_(shape),
      tiling_(golden::Tiling::of(shape, array)),
      activations_(&activations) {
  if (array.row * array.bw > kXmemWords * 32 || array.col * array.psum_bw > kSfpWords * 32) {
    throw UsageError(fmt::format("a {}x{} array is wider than the harness's buses", array.row,
                                 array.col));
  }
  if (activations.channels() != shape.in_ch || activations.height() != shape.height ||
      activations.width() != shape.width) {
    throw golden::InputError(fmt::format(
        "activations are {}x{}x{}, the layer needs {} channels of {}x{}", activations.channels(),
        activations.height(), activations.width(), shape.in_ch, shape.height, shape.width));
  }
  if (weights.out_channels() != shape.out_ch || weights.in_channels() != shape.in_ch) {
    throw golden::InputError(fmt::format("weights are {}x{}, the layer needs {}x{}",
                                         weights.out_channels(), weights.in_channels(),
                                         shape.out_ch, shape.in_ch));
  }
  const int nij_count = shape.nij_count();
  const int wp = shape.padded_width();
  if (golden::kKijCount * array.col > inst::kSramDepth - inst::kXmemWeightBase) {
    throw UsageError(fmt::format("a kernel of {} columns needs {} xmem words, more than the {} "
                                 "above the activations",
                                 array.col, golden::kKijCount * array.col,
                                 inst::kSramDepth - inst::kXmemWeightBase));
  }
  // Output rows per band: the band's padded rows (2 of halo) must fit pmem for the 9 kij, and
  // xmem for one ic tile at least. Bands as tall as pmem allows keep the halo (rows executed
  // twice) small; the activations are then kept for every ic tile when they fit, else
  // rewritten before each pass.
  const bool resident = tiling_.ic_tiles * nij_count <= inst::kXmemWeightBase;
  int padded_rows = inst::kSramDepth / (golden::kKijCount * wp);
  if (!resident) padded_rows = std::min(padded_rows, inst::kXmemWeightBase / wp);
  const int band_rows = std::min(shape.height, padded_rows - 2);
  if (band_rows < 1) {
    throw UsageError(fmt::format(
        "layer {}->{}@{}x{} on a {}x{} array: one output row needs 3 padded rows of {} nij, "
        "i.e. {} pmem words for the 9 kij and {} xmem words of activations of one ic tile; "
        "more than the memories hold, and splitting rows further is not implemented",
        shape.in_ch, shape.out_ch, shape.height, shape.width, array.row, array.col, wp,
        golden::kKijCount * 3 * wp, 3 * wp));
  }
  for (int first = 0; first < shape.height; first += band_rows) {
    RowBand band;
    band.first_output_row = first;
    band.end_output_row = std::min(shape.height, first + band_rows);
    band.first_nij = first * wp;
    band.nij_count = (band.output_rows() + 2) * wp;
    bands_.push_back(band);
  }
  const int band_nij = (band_rows + 2) * wp;
  if (resident) {
    placement_ = ActivationPlacement::Resident;
    activation_span_ = nij_count;
  } else if (tiling_.ic_tiles * band_nij <= inst::kXmemWeightBase) {
    placement_ = ActivationPlacement::PerBand;
    activation_span_ = band_nij;
  } else {
    placement_ = ActivationPlacement::PerPass;
    activation_span_ = 0;  // one ic tile at a time, at 0
  }

  // Word c of (oc_tile, ic_tile, kij) holds W[oc_tile*col + c][ic_tile*row + r][kij] in lane r
  // as a bw-bit two's complement pattern.
  const std::size_t block = static_cast<std::size_t>(golden::kKijCount) * array.col;
  weight_words_.assign(static_cast<std::size_t>(tiling_.oc_tiles) * tiling_.ic_tiles * block,
                       XmemWord{});
  for (int oc_tile = 0; oc_tile < tiling_.oc_tiles; ++oc_tile) {
    for (int ic_tile = 0; ic_tile < tiling_.ic_tiles; ++ic_tile) {
      for (int kij = 0; kij < golden::kKijCount; ++kij) {
        for (int c = 0; c < array.col; ++c) {
          XmemWord& word =
              weight_words_[(static_cast<std::size_t>(oc_tile) * tiling_.ic_tiles + ic_tile) *
                                block +
                            static_cast<std::size_t>(kij) * array.col + c];
          for (int r = 0; r < array.row; ++r) {
            const int value =
                weights.padded(oc_tile * array.col + c, ic_tile * array.row + r, kij);
            put_lane(word.data(), r, array.bw,
                     static_cast<std::uint32_t>(golden::to_bits(value, array.bw)));
          }
        }
      }
    }
  }
}

XmemWord WsPlan::activation_word(int ic_tile, int nij) const {
  // Lane r is input channel ic_tile*row + r (row 0 in the low bits, the notebook's line read
  // right to left); channels past in_ch are zero.
  XmemWord word{};
  for (int r = 0; r < array_.row; ++r) {
    put_lane(word.data(), r, array_.bw, activations_->padded(ic_tile * array_.row + r, nij));
  }
  return word;
}

int WsPlan::activation_address(const RowBand& band, int ic_tile, int nij) const {
  return ic_tile * activation_span_ + (activations_resident() ? nij : nij - band.first_nij);
}

int WsPlan::weight_address(int kij, int column) const {
  return inst::kXmemWeightBase + kij * array_.col + column;
}

int WsPlan::psum_address(const RowBand& band, int kij, int nij) {
  return kij * band.nij_count + (nij - band.first_nij);
}

std::pair<int, int> WsPlan::activation_span(int band_index) const {
  if (placement_ == ActivationPlacement::PerPass) return {0, 0};
  if (activations_resident()) return {0, band_index == 0 ? shape_.nij_count() : 0};
  const RowBand& band = bands_[static_cast<std::size_t>(band_index)];
  return {band.first_nij, band.nij_count};
}

std::size_t WsPlan::activation_write_count(int band_index) const {
  return static_cast<std::size_t>(tiling_.ic_tiles) *
         static_cast<std::size_t>(activation_span(band_index).second);
}

std::vector<XmemWrite> WsPlan::activation_writes(int band_index) const {
  std::vector<XmemWrite> writes;
  const auto [first, count] = activation_span(band_index);
  if (count == 0) return writes;
  const RowBand& band = bands_[static_cast<std::size_t>(band_index)];
  writes.reserve(activation_write_count(band_index));
  for (int ic_tile = 0; ic_tile < tiling_.ic_tiles; ++ic_tile) {
    for (int nij = first; nij < first + count; ++nij) {
      writes.push_back({activation_address(band, ic_tile, nij), activation_word(ic_tile, nij)});
    }
  }
  return writes;
}

std::vector<XmemWrite> WsPlan::pass_activation_writes(int band_index, int ic_tile) const {
  std::vector<XmemWrite> writes;
  if (placement_ != ActivationPlacement::PerPass) return writes;
  const RowBand& band = bands_[static_cast<std::size_t>(band_index)];
  writes.reserve(static_cast<std::size_t>(band.nij_count));
  for (int nij = band.first_nij; nij < band.first_nij + band.nij_count; ++nij) {
    writes.push_back({activation_address(band, ic_tile, nij), activation_word(ic_tile, nij)});
  }
  return writes;
}

std::vector<XmemWrite> WsPlan::weight_writes(int oc_tile, int ic_tile) const {
  std::vector<XmemWrite> writes;
  const std::size_t block = static_cast<std::size_t>(golden::kKijCount) * array_.col;
  const std::size_t base = (static_cast<std::size_t>(oc_tile) * tiling_.ic_tiles + ic_tile) * block;
  writes.reserve(block);
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int c = 0; c < array_.col; ++c) {
      writes.push_back({weight_address(kij, c),
                        weight_words_[base + static_cast<std::size_t>(kij) * array_.col + c]});
    }
  }
  return writes;
}

long long WsPlan::pass_xmem_ops(const RowBand& band) const {
  const long long kij = golden::kKijCount;
  return 2 * kij * array_.col + kij * band.nij_count +
         (placement_ == ActivationPlacement::PerPass ? band.nij_count : 0);
}

long long WsPlan::useful_macs() const {
  return static_cast<long long>(shape_.in_ch) * shape_.out_ch * golden::kKijCount *
         shape_.nij_count();
}

}  // namespace tb
