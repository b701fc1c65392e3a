// Weight-stationary tiled model, computed as the notebooks do: psums per (ic_tile, oc_tile,
// kij, padded nij), SFP accumulation with DESIGN.md's address mapping, ReLU, psum_bw wrap.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"

namespace golden {

// The padded nij the SFP reads for output position o_nij and kernel offset kij:
// (o_nij / W)*Wp + o_nij % W + (kij / 3)*Wp + kij % 3.
int nij_for(const LayerShape& shape, int o_nij, int kij);

// One output whose wrapped value differs from the unbounded sum.
struct OverflowEntry {
  int oc = 0;
  int o_nij = 0;
  std::int64_t exact = 0;    // unbounded accumulator
  std::int32_t wrapped = 0;  // psum_bw two's complement (what the hardware holds)
};

struct OverflowReport {
  std::vector<OverflowEntry> outputs;  // every output that wrapped, by oc then o_nij
  std::int64_t wrapped_psums = 0;      // single psums (one pass) that did not fit psum_bw
  bool any() const { return !outputs.empty() || wrapped_psums != 0; }
};

struct WsResult {
  LayerShape shape;
  ArrayShape array;
  Tiling tiling;
  PsumTensor psum;    // [ic_tile][oc_tile][kij][nij][col], wrapped
  OutputTensor sum;   // [oc][o_nij], accumulated over ic tiles and kij, wrapped, pre-ReLU
  OutputTensor relu;  // [oc][o_nij], max(sum, 0)
  ExactOutputTensor exact;  // [oc][o_nij], the same accumulation unbounded
  OverflowReport overflow;

  // Sum over ic tiles 0..ic_tiles-1 of one (oc_tile, kij, nij, col) psum, wrapped: what pmem
  // holds after in-place accumulation of that many input-channel tiles (all by default).
  std::int32_t psum_over_ic_tiles(int oc_tile, int kij, int nij, int column,
                                  int ic_tiles = -1) const;
};

struct WsOptions {
  bool keep_psums = true;  // false: result.psum stays empty (saves memory for whole-model runs)
};

// Runs one layer. Activations need shape.in_ch channels of height x width, weights
// shape.out_ch x shape.in_ch; channels beyond them up to the tiles are zero. Throws
// InputError for mismatched tensors or values outside the bw-bit ranges.
WsResult run_ws_model(const LayerShape& shape, const ArrayShape& array,
                      const ActivationTensor& activations, const WeightTensor& weights,
                      const WsOptions& options = {});

}  // namespace golden
