// Checks of mac_array.v against the golden model (WS psums per kij, OS sums per pixel group), with the documented latencies; shared by the unit and mutant tests.
#pragma once

#include <algorithm>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "array_driver.hpp"
#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"

namespace rtl_test {

// Random tensors with the format extremes planted: activation 15 and weight -8 and 7.
inline void fill_random_tile(golden::ActivationTensor& activations, golden::WeightTensor& weights,
                             unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> activation(0, 15);
  std::uniform_int_distribution<int> weight(-8, 7);
  for (auto& a : activations.data()) a = static_cast<std::uint8_t>(activation(rng));
  for (auto& w : weights.data()) w = static_cast<std::int8_t>(weight(rng));
  for (int ic = 0; ic < activations.channels(); ++ic) activations.at(ic, 0, 0) = 15;
  for (int oc = 0; oc < weights.out_channels(); ++oc) {
    for (int ic = 0; ic < weights.in_channels(); ++ic) {
      weights.at(oc, ic, 0) = -8;
      weights.at(oc, ic, 8) = 7;
    }
  }
}

// One psum expected on the south edge: the cycle it leaves column c and its value.
struct SouthWord {
  int cycle;
  std::int32_t psum;
};

inline Mismatches compare_south(const SouthEdge& south,
                                const std::vector<std::vector<SouthWord>>& expected) {
  Mismatches mismatches;
  for (std::size_t c = 0; c < expected.size(); ++c) {
    if (south[c].size() != expected[c].size()) {
      mismatches.add(fmt::format("column {}: {} valid psums, expected {}", c, south[c].size(),
                                 expected[c].size()));
    }
    const std::size_t n = std::min(south[c].size(), expected[c].size());
    for (std::size_t i = 0; i < n; ++i) {
      if (south[c][i].first != expected[c][i].cycle || south[c][i].second != expected[c][i].psum) {
        mismatches.add(fmt::format("column {} word {}: cycle {} psum {}, expected cycle {} psum {}",
                                   c, i, south[c][i].first, south[c][i].second,
                                   expected[c][i].cycle, expected[c][i].psum));
      }
    }
  }
  return mismatches;
}

// Every kij of a random row x col tile: col load cycles (word c = the weights of column c),
// then the padded nij right after, with bubbles, the next kernel loaded without reset. The psum
// of the nij presented at cycle t leaves column c during cycle t + 1 + row + c (DESIGN.md 3a:
// row r acts on it during t + 1 + r).
template <class Top>
Mismatches check_array_weight_stationary(Bench<Top>& bench) {
  const Shape& shape = bench.shape();
  const golden::ArrayShape array{shape.row, shape.col, shape.bw, shape.psum_bw};
  const golden::LayerShape layer{shape.row, shape.col, 4, 4};
  golden::ActivationTensor activations(layer.in_ch, layer.height, layer.width);
  golden::WeightTensor weights(layer.out_ch, layer.in_ch);
  fill_random_tile(activations, weights, 1000 + shape.row * 37 + shape.col);
  const golden::WsResult golden_result = golden::run_ws_model(layer, array, activations, weights);

  std::mt19937 rng(23);
  std::bernoulli_distribution bubble(0.2);
  std::vector<ArrayStep> stream;
  std::vector<std::vector<SouthWord>> expected(shape.col);
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int c = 0; c < shape.col; ++c) {
      ArrayStep load{pe::kLoad, std::vector<int>(shape.row), {}};
      for (int r = 0; r < shape.row; ++r) load.west[r] = weights.at(c, r, kij);
      stream.push_back(load);
    }
    for (int nij = 0; nij < layer.nij_count(); ++nij) {
      if (kij > 0 && bubble(rng)) stream.push_back(ArrayStep{});
      ArrayStep execute{pe::kExecute, std::vector<int>(shape.row), {}};
      for (int r = 0; r < shape.row; ++r) execute.west[r] = activations.padded(r, nij);
      const int t = static_cast<int>(stream.size());
      stream.push_back(execute);
      for (int c = 0; c < shape.col; ++c) {
        expected[c].push_back({t + 1 + shape.row + c, golden_result.psum.at(0, 0, kij, nij, c)});
      }
    }
  }
  bench.reset();
  const SouthEdge south = run_array(bench, stream, shape.row + shape.col + 4);
  Mismatches mismatches = compare_south(south, expected);
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

// Output-stationary: one (ic, kij) step per cycle, then `row` drain cycles right after the last
// step. Drain cycle d + k puts PE (row-1-k, c)'s sum on column c during cycle
// d + k + 1 + row + c. The next group starts 2*row cycles after the drain began, the earliest
// cycle that works: the top row's last shift (taking the north edge's 0) is at edge
// d + 2*row + c, and a step presented at cycle e reaches PE (0, c) at edge e + 1 + c. The
// group then starts from zero.
template <class Top>
Mismatches check_array_output_stationary(Bench<Top>& bench) {
  const Shape& shape = bench.shape();
  const golden::ArrayShape array{shape.row, shape.col, shape.bw, shape.psum_bw};
  const golden::LayerShape layer{3, shape.col, 5, 5};
  golden::ActivationTensor activations(layer.in_ch, layer.height, layer.width);
  golden::WeightTensor weights(layer.out_ch, layer.in_ch);
  fill_random_tile(activations, weights, 77 + shape.row);

  std::vector<ArrayStep> stream;
  std::vector<std::vector<SouthWord>> expected(shape.col);
  for (int group = 0; group < 2; ++group) {
    const golden::OsResult os = golden::run_os_model(layer, array, activations, weights, group, 0);
    for (int ic = 0; ic < layer.in_ch; ++ic) {
      for (int kij = 0; kij < golden::kKijCount; ++kij) {
        ArrayStep step{pe::kExecute | pe::kOs, std::vector<int>(shape.row),
                       std::vector<int>(shape.col)};
        for (int r = 0; r < shape.row; ++r) step.west[r] = os.activation(ic, kij, r);
        for (int c = 0; c < shape.col; ++c) step.north[c] = os.weight(ic, kij, c);
        stream.push_back(step);
      }
    }
    const int d = static_cast<int>(stream.size());
    for (int k = 0; k < shape.row; ++k) {
      stream.push_back(ArrayStep{static_cast<std::uint8_t>(pe::kDrain | pe::kOs), {}, {}});
      for (int c = 0; c < shape.col; ++c) {
        expected[c].push_back({d + k + 1 + shape.row + c, os.out(shape.row - 1 - k, c)});
      }
    }
    while (static_cast<int>(stream.size()) < d + 2 * shape.row) stream.push_back(ArrayStep{});
  }
  bench.reset();
  const SouthEdge south = run_array(bench, stream, 2 * shape.row + shape.col + 4);
  Mismatches mismatches = compare_south(south, expected);
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

}  // namespace rtl_test
