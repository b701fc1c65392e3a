// Finds the one weight that explains a column of psum-file disagreements (a flipped weight bit, a swapped line).
#include "vector_files/file_diagnosis.hpp"

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "golden/ws_model.hpp"

namespace golden {

std::vector<std::string> diagnose_file_disagreements(const golden::VectorSet& set,
                                                     const golden::CheckReport& check) {
  std::vector<std::string> causes;
  if (!set.psums || check.unexpected_count() == 0 ||
      set.dataflow != golden::Dataflow::WeightStationary ||
      !set.meta.has(golden::FileRole::Weight)) {
    return causes;
  }
  const golden::ArrayShape& array = set.array;
  const golden::WsResult golden =
      golden::run_ws_model(set.shape, array, set.activations, set.weights);
  const golden::PsumTensor& file = *set.psums;
  const int nij_count = set.shape.nij_count();
  for (int ic_tile = 0; ic_tile < set.tiling.ic_tiles; ++ic_tile) {
    for (int oc_tile = 0; oc_tile < set.tiling.oc_tiles; ++oc_tile) {
      for (int kij = 0; kij < golden::kKijCount; ++kij) {
        for (int c = 0; c < array.col; ++c) {
          std::vector<std::int64_t> diff(static_cast<std::size_t>(nij_count));
          bool any = false;
          for (int nij = 0; nij < nij_count; ++nij) {
            diff[static_cast<std::size_t>(nij)] = golden::wrap_signed(
                std::int64_t{file.at(ic_tile, oc_tile, kij, nij, c)} -
                    golden.psum.at(ic_tile, oc_tile, kij, nij, c),
                array.psum_bw);
            any = any || diff[static_cast<std::size_t>(nij)] != 0;
          }
          if (!any) continue;
          // diff[nij] must be delta * A_pad[ic][nij] for one input channel ic of the tile.
          std::vector<std::pair<int, int>> candidates;  // (r, delta)
          for (int r = 0; r < array.row; ++r) {
            const int ic = ic_tile * array.row + r;
            if (ic >= set.shape.in_ch) break;
            int delta = 0;
            bool fits = true;
            for (int nij = 0; nij < nij_count && fits; ++nij) {
              const int a = set.activations.padded(ic, nij);
              const std::int64_t d = diff[static_cast<std::size_t>(nij)];
              if (a == 0) {
                fits = d == 0;
              } else if (delta == 0) {
                fits = d % a == 0 && d != 0;
                delta = static_cast<int>(d / a);
              } else {
                fits = golden::wrap_signed(std::int64_t{delta} * a, array.psum_bw) == d;
              }
            }
            if (fits && delta != 0) candidates.emplace_back(r, delta);
          }
          if (candidates.size() != 1) continue;
          const auto [r, delta] = candidates.front();
          const int oc = oc_tile * array.col + c;
          const int ic = ic_tile * array.row + r;
          const int held = set.weights.padded(oc, ic, kij);
          const std::string weight_file = golden::expand_pattern(
              set.meta.patterns.at(golden::FileRole::Weight), kij, ic_tile, oc_tile);
          const bool transposed = set.meta.weights_transposed;
          const int line = set.meta.header_lines_for(golden::FileRole::Weight) + 1 +
                           (transposed ? r : c);
          const golden::ValueOrigin psum_origin = set.psum_origin(ic_tile, oc_tile, kij, 0, c);
          causes.push_back(fmt::format(
              "{} line {} element {} (W[oc {}][ic {}][kij {}]): the file holds {}, but {} col {} "
              "agrees with {} there",
              weight_file, line, transposed ? c : r, oc, ic, kij, held, psum_origin.file, c,
              held + delta));
        }
      }
    }
  }
  return causes;
}

}  // namespace golden
