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

  // The golden value of one column of an expectation.
  std::int64_t expected_value(const Expectation& expect, int column) const;
  // Output, OsOutput: the direct convolution's value of that output (0 past the map or the
  // channels), wrapped at psum_bw, through ReLU when the output is.
  std::int64_t direct_value(const Expectation& expect, int column) const;
  // "psum of oc_tile 0 ic_tile 0 kij 3 nij 14 col 2 (pmem 122) at cycle 345: expected 12, got -4"
  std::string describe(const Mismatch& mismatch) const;

 private:
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
};

}  // namespace tb
