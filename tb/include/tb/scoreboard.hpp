// Where psums and outputs are compared: what the core shows on sfp_out against the golden model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/os_model.hpp"
#include "golden/ws_model.hpp"
#include "tb/bus.hpp"
#include "tb/sequencer.hpp"

namespace tb {

struct Mismatch {
  Expectation place;
  int column = 0;
  std::uint64_t cycle = 0;
  std::int64_t expected = 0;
  std::int64_t got = 0;
  // Output or OsOutput: got is what the tiled (WS or OS) model gives, but the direct
  // convolution gives `expected`.
  bool against_direct = false;
};

class Scoreboard {
 public:
  // relu: outputs are compared with the golden ReLU outputs (else with the raw sums). With
  // `direct` (the direct convolution of the same tensors, [oc][o_nij], computed once per layer)
  // every output is also compared with it, wrapped at psum_bw.
  Scoreboard(const golden::WsResult& golden, bool relu, std::string layer_name,
             const golden::ExactOutputTensor* direct = nullptr);
  // Output-stationary: one golden result per pass (pixel group, oc_tile), in pass order; with
  // `direct` (the direct convolution of the same tensors, [oc][o_nij]) every drained sum is
  // also compared with it, wrapped at psum_bw.
  Scoreboard(const golden::ArrayShape& array, const std::vector<golden::OsResult>& passes,
             bool relu, std::string layer_name,
             const golden::ExactOutputTensor* direct = nullptr);

  // Compares every column of sfp_out with the value `expect` names.
  void check(const Expectation& expect, const SfpWord& sfp_out, std::uint64_t cycle);

  long long psums_checked() const { return psums_checked_; }
  long long outputs_checked() const { return outputs_checked_; }
  long long mismatch_count() const { return mismatch_count_; }
  // Of those, psums read back from pmem and outputs (ReLU or raw sums) on sfp_out.
  long long psum_mismatch_count() const { return psum_mismatch_count_; }
  long long output_mismatch_count() const { return mismatch_count_ - psum_mismatch_count_; }
  // The first mismatches in cycle order (at most kKeptMismatches).
  const std::vector<Mismatch>& mismatches() const { return mismatches_; }
  static constexpr std::size_t kKeptMismatches = 20;

  // The golden value of one column of an expectation, computed afresh (check() keeps running
  // sums over ic tiles instead; both must agree).
  std::int64_t expected_value(const Expectation& expect, int column) const;
  // Output, OsOutput: the direct convolution's value of that output (0 past the map or the
  // channels), wrapped at psum_bw, through ReLU when the output is.
  std::int64_t direct_value(const Expectation& expect, int column) const;
  // "psum of oc_tile 0 ic_tile 0 kij 3 nij 14 col 2 (pmem 122) at cycle 345: expected 12, got -4"
  std::string describe(const Mismatch& mismatch) const;

 private:
  // Psum: the col lanes pmem must hold for `expect`, from the running sum of that (oc_tile,
  // kij, nij), advanced by one ic tile when the drain order allows, recomputed otherwise.
  const std::int32_t* running_psum(const Expectation& expect);
  // Fills expected[0..col) for an Output or OsOutput expectation.
  void expected_lanes(const Expectation& expect, std::int64_t* expected) const;
  // Every lane against sfp_out, recording mismatches: the slow path, taken only when the packed
  // words differ (or an output must also match the direct convolution).
  void compare_lanes(const Expectation& expect, const SfpWord& sfp_out, std::uint64_t cycle,
                     const std::int64_t* expected);
  void record(const Expectation& expect, int column, std::uint64_t cycle, std::int64_t expected,
              std::int64_t got, bool against_direct);

  const golden::WsResult* ws_ = nullptr;
  const std::vector<golden::OsResult>* os_ = nullptr;
  const golden::ExactOutputTensor* direct_ = nullptr;
  golden::ArrayShape array_;
  bool relu_;
  std::string layer_name_;
  long long psums_checked_ = 0;
  long long outputs_checked_ = 0;
  long long mismatch_count_ = 0;
  long long psum_mismatch_count_ = 0;
  std::vector<Mismatch> mismatches_;
  // Running psum sums, [oc_tile][kij][nij]: how many ic tiles are summed, and the col wrapped
  // lanes. Allocated at the first psum checked.
  std::vector<std::int32_t> running_tiles_;
  std::vector<std::int32_t> running_lanes_;
  int lane_words_ = 0;          // 32-bit words holding col lanes of psum_bw bits
  std::uint32_t last_word_mask_ = 0;  // the bits of the last of them that hold lanes
};

}  // namespace tb
