// Where a weight-stationary layer lives in xmem and pmem, and in which passes and row bands it runs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"
#include "tb/bus.hpp"

namespace tb {

// A run of whole padded rows executed together: every psum of its nij for the 9 kij fits
// pmem at once (and, when the layer's activations do not fit xmem whole, the band's
// activations fit xmem). One band when 9 * nij_count <= 2048 (layer 27: one band of 36 nij).
struct RowBand {
  int first_output_row = 0;  // oy range [first_output_row, end_output_row)
  int end_output_row = 0;
  int first_nij = 0;  // padded rows [first_output_row, end_output_row + 2) flattened
  int nij_count = 0;

  int output_rows() const { return end_output_row - first_output_row; }
};

struct XmemWrite {
  int address = 0;
  XmemWord word{};
};

// Keeps a reference to the activations: they must outlive the plan.
class WsPlan {
 public:
  // Throws UsageError when even one output row does not fit the memories (its 3 padded rows
  // of psums for 9 kij over 2048 pmem words, or of activations for every ic tile over the
  // 1024 xmem words below the weights), and golden::InputError for tensors that do not match
  // the shape.
  WsPlan(const golden::ArrayShape& array, const golden::LayerShape& shape,
         const golden::ActivationTensor& activations, const golden::WeightTensor& weights);

  const golden::ArrayShape& array() const { return array_; }
  const golden::LayerShape& shape() const { return shape_; }
  const golden::Tiling& tiling() const { return tiling_; }
  const std::vector<RowBand>& bands() const { return bands_; }
  // True when every activation of the layer stays in xmem for the whole run.
  bool activations_resident() const { return placement_ == ActivationPlacement::Resident; }
  // Where activations live in xmem's 1024 words below the weights: the whole map of every ic
  // tile; the current band's rows of every ic tile; or only the current (band, ic_tile) pass's
  // rows, rewritten before each pass (when a band's rows of all ic tiles do not fit, so that
  // bands stay as tall as pmem allows instead of shrinking to fit xmem).
  enum class ActivationPlacement { Resident, PerBand, PerPass };
  ActivationPlacement activation_placement() const { return placement_; }

  // xmem below 1024: activations, ic_tile-major (the whole map, or the current band's rows).
  int activation_address(const RowBand& band, int ic_tile, int nij) const;
  // xmem from 1024: the weights of the current (oc_tile, ic_tile) pass, word c of kij at
  // 1024 + kij*col + c = array column c (the weight file's line c).
  int weight_address(int kij, int column) const;
  // pmem inside a band: kij-major, psum of (kij, nij) at kij*band.nij_count + nij - band.first_nij.
  static int psum_address(const RowBand& band, int kij, int nij);

  // What to write into xmem before a band (its activations; nothing after the first band when
  // they are resident) and before an (oc_tile, ic_tile) pass (its 9*col weight words).
  std::vector<XmemWrite> activation_writes(int band) const;
  // How many writes activation_writes(band) lists, without listing them.
  std::size_t activation_write_count(int band) const;
  // PerPass placement: the (band, ic_tile) rows written before each of that band's passes of
  // that ic tile (empty for the other placements).
  std::vector<XmemWrite> pass_activation_writes(int band, int ic_tile) const;
  std::vector<XmemWrite> weight_writes(int oc_tile, int ic_tile) const;
  // Operations on xmem's one port in one (oc_tile, ic_tile) pass of a band: the weight writes
  // and reads (kij * col each), the activation reads into L0 (kij * nij_count) and, with the
  // PerPass placement, the pass's activation writes (nij_count).
  long long pass_xmem_ops(const RowBand& band) const;

  // MACs the layer needs (in_ch * out_ch * 9 * padded nij), for utilization figures.
  long long useful_macs() const;

 private:
  // The nij rows activation_writes(band) lists for each ic tile: {first nij, count}, count 0
  // when it lists none.
  std::pair<int, int> activation_span(int band) const;
  XmemWord activation_word(int ic_tile, int nij) const;

  golden::ArrayShape array_;
  golden::LayerShape shape_;
  golden::Tiling tiling_;
  std::vector<RowBand> bands_;
  ActivationPlacement placement_ = ActivationPlacement::Resident;
  int activation_span_ = 0;  // xmem words per ic tile
  const golden::ActivationTensor* activations_;
  std::vector<XmemWord> weight_words_;  // [oc_tile][ic_tile][kij][column]
};

}  // namespace tb
