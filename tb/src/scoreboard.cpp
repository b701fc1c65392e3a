// Compares sfp_out after each tagged edge with the golden psum or output it must hold.
#include "tb/scoreboard.hpp"

#include <fmt/format.h>

#include "golden/arithmetic.hpp"

namespace tb {

Scoreboard::Scoreboard(const golden::WsResult& golden, bool relu, std::string layer_name)
    : ws_(&golden), array_(golden.array), relu_(relu), layer_name_(std::move(layer_name)) {}

Scoreboard::Scoreboard(const golden::ArrayShape& array,
                       const std::vector<golden::OsResult>& passes, bool relu,
                       std::string layer_name, const golden::ExactOutputTensor* direct)
    : os_(&passes),
      direct_(direct),
      array_(array),
      relu_(relu),
      layer_name_(std::move(layer_name)) {}

std::int64_t Scoreboard::expected_value(const Expectation& expect, int column) const {
  if (expect.kind == Expectation::Kind::OsOutput) {
    const golden::OsResult& pass = (*os_)[static_cast<std::size_t>(expect.pass)];
    const std::int64_t sum = pass.out(expect.pixel, column);
    return expect.relu && sum < 0 ? 0 : sum;
  }
  const golden::WsResult& ws = *ws_;
  if (expect.kind == Expectation::Kind::Psum) {
    // pmem holds the in-place sum of the ic tiles run so far, wrapped like the hardware, or
    // (course flow) one ic tile's psum.
    const std::int64_t psum =
        expect.ic_tile >= 0
            ? ws.psum.at(expect.ic_tile, expect.oc_tile, expect.kij, expect.nij, column)
            : ws.psum_over_ic_tiles(expect.oc_tile, expect.kij, expect.nij, column,
                                    expect.ic_tiles);
    return expect.relu && psum < 0 ? 0 : psum;
  }
  const int oc = expect.oc_tile * ws.array.col + column;
  if (oc >= ws.shape.out_ch) return 0;  // a column past the layer's channels: zero weights
  return relu_ ? ws.relu.at(oc, expect.o_nij) : ws.sum.at(oc, expect.o_nij);
}

std::int64_t Scoreboard::direct_value(const Expectation& expect, int column) const {
  const int oc = expect.oc_tile * array_.col + column;
  if (direct_ == nullptr || oc >= direct_->channels() || expect.o_nij >= direct_->o_nij_count()) {
    return 0;  // a pixel past the map or a channel past the layer: zero inputs
  }
  const std::int64_t sum = golden::wrap_signed(direct_->at(oc, expect.o_nij), array_.psum_bw);
  return expect.relu && sum < 0 ? 0 : sum;
}

void Scoreboard::check(const Expectation& expect, const SfpWord& sfp_out, std::uint64_t cycle) {
  if (expect.kind == Expectation::Kind::None) return;
  const int psum_bw = array_.psum_bw;
  for (int column = 0; column < array_.col; ++column) {
    const std::int64_t got = signed_lane(sfp_out.data(), column, psum_bw);
    const std::int64_t expected = expected_value(expect, column);
    // An output-stationary sum read back raw is what pmem holds, the OS counterpart of a psum.
    if (expect.kind == Expectation::Kind::Psum ||
        (expect.kind == Expectation::Kind::OsOutput && !expect.relu)) {
      ++psums_checked_;
    } else {
      ++outputs_checked_;
    }
    // A drained sum must equal both the OS model and the direct convolution: an agreement
    // with the OS model alone is still a mismatch (the model and the core share a mistake).
    if (got == expected && direct_ != nullptr && expect.kind == Expectation::Kind::OsOutput) {
      const std::int64_t direct = direct_value(expect, column);
      if (got != direct) {
        ++mismatch_count_;
        if (mismatches_.size() < kKeptMismatches) {
          mismatches_.push_back({expect, column, cycle, direct, got, true});
        }
      }
    }
    if (got != expected) {
      ++mismatch_count_;
      if (expect.kind == Expectation::Kind::Psum) ++psum_mismatch_count_;
      if (mismatches_.size() < kKeptMismatches) {
        mismatches_.push_back({expect, column, cycle, expected, got});
      }
    }
  }
}

std::string Scoreboard::describe(const Mismatch& m) const {
  const Expectation& at = m.place;
  if (at.kind == Expectation::Kind::OsOutput) {
    return fmt::format("{}: output-stationary {} of pixel group {} oc_tile {} pixel {} (o_nij {}) "
                       "col {} (oc {}) at cycle {}: expected {}{}, got {}{}",
                       layer_name_, at.relu ? "ReLU output" : "sum", at.group, at.oc_tile,
                       at.pixel, at.o_nij, m.column, at.oc_tile * array_.col + m.column, m.cycle,
                       m.expected, m.against_direct ? " (direct convolution)" : "", m.got,
                       m.against_direct ? " (as the output-stationary model)" : "");
  }
  if (at.kind == Expectation::Kind::Psum) {
    const std::string ic = at.ic_tile >= 0     ? fmt::format("ic_tile {}", at.ic_tile)
                           : at.ic_tiles == 1 ? std::string("ic_tile 0")
                                              : fmt::format("ic_tiles 0..{} summed", at.ic_tiles - 1);
    return fmt::format("{}: psum{} of {}oc_tile {} {} kij {} nij {} col {} (pmem {}) at cycle {}: "
                       "expected {}, got {}",
                       layer_name_, at.relu ? " (through ReLU)" : "",
                       at.band >= 0 ? fmt::format("band {} ", at.band) : std::string(),
                       at.oc_tile, ic, at.kij, at.nij, m.column, at.pmem_address, m.cycle,
                       m.expected, m.got);
  }
  return fmt::format("{}: {} of {}oc_tile {} o_nij {} col {} (oc {}) at cycle {}: expected {}, "
                     "got {}",
                     layer_name_, relu_ ? "ReLU output" : "output sum",
                     at.band >= 0 ? fmt::format("band {} ", at.band) : std::string(), at.oc_tile,
                     at.o_nij,
                     m.column, at.oc_tile * array_.col + m.column, m.cycle, m.expected,
                     m.got);
}

}  // namespace tb
