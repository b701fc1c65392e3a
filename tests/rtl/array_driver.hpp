// Drives mac_array's edges as the L0 and IFIFO would (row r and column c shown 1 + r and 1 + c cycles after the request) and records what leaves the south edge.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "golden/arithmetic.hpp"
#include "unit_bench.hpp"

namespace rtl_test {

// One cycle of the stream presented to the array: the PE instruction, and for load/execute
// the row lanes (west edge) and, for output-stationary steps, the column lanes (north edge).
struct ArrayStep {
  std::uint8_t inst = 0;
  std::vector<int> west;   // row r's element (activation or weight), row lanes
  std::vector<int> north;  // column c's weight (output-stationary), column lanes
};

// What the south edge produced: for each column, (cycle, psum) whenever valid was high.
using SouthEdge = std::vector<std::vector<std::pair<int, std::int32_t>>>;

// Presents stream[n] at cycle n: the instruction unskewed (mac_array registers it into row 0
// and skews it), row r's lane of entry n - 1 - r on the west edge and column c's lane of entry
// n - 1 - c on the north edge (0 when that entry has none), exactly what the L0 and IFIFO
// deliver with their registered read enables (DESIGN.md 3a). Runs `tail` cycles past the end.
template <class Top>
SouthEdge run_array(Bench<Top>& bench, const std::vector<ArrayStep>& stream, int tail) {
  Top& top = bench.top();
  const Shape& shape = bench.shape();
  SouthEdge south(shape.col);
  const int cycles = static_cast<int>(stream.size()) + tail;
  for (int n = 0; n < cycles; ++n) {
    top.array_inst_w = n < static_cast<int>(stream.size()) ? stream[n].inst : 0;
    clear_port(top.array_in_w);
    clear_port(top.array_in_n);
    for (int r = 0; r < shape.row; ++r) {
      const int entry = n - 1 - r;
      if (entry >= 0 && entry < static_cast<int>(stream.size()) && !stream[entry].west.empty()) {
        set_lane(top.array_in_w, r, shape.bw, golden::to_bits(stream[entry].west[r], shape.bw));
      }
    }
    for (int c = 0; c < shape.col; ++c) {
      const int entry = n - 1 - c;
      if (entry >= 0 && entry < static_cast<int>(stream.size()) && !stream[entry].north.empty()) {
        set_lane(top.array_in_n, c, shape.psum_bw,
                 golden::to_bits(stream[entry].north[c], shape.bw));
      }
    }
    bench.eval();
    for (int c = 0; c < shape.col; ++c) {
      if (get_bit(top.array_valid, c)) {
        south[c].emplace_back(n, as_signed(lane(top.array_out_s, c, shape.psum_bw), shape.psum_bw));
      }
    }
    bench.tick();
  }
  return south;
}

}  // namespace rtl_test
