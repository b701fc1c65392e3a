// Compares sfp_out after each tagged edge with the golden psum or output it must hold.
#include "tb/scoreboard.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "golden/arithmetic.hpp"

namespace tb {

namespace {

// The bits of the last 32-bit word of a bus of `bits` bits that hold lanes.
std::uint32_t last_word_mask(int bits) {
  const int used = bits % 32;
  return used == 0 ? ~std::uint32_t{0} : (std::uint32_t{1} << used) - 1;
}

// Two's-complement wrap of a sum of two psum_bw-bit values (psum_bw <= 32), as the hardware adds.
std::int32_t wrap_add(std::int32_t a, std::int32_t b, int psum_bw) {
  return static_cast<std::int32_t>(
      golden::wrap_signed(static_cast<std::int64_t>(a) + static_cast<std::int64_t>(b), psum_bw));
}

}  // namespace

Scoreboard::Scoreboard(const golden::WsResult& golden, bool relu, std::string layer_name,
                       const golden::ExactOutputTensor* direct)
    : ws_(&golden),
      direct_(direct),
      array_(golden.array),
      relu_(relu),
      layer_name_(std::move(layer_name)) {
  lane_words_ = (array_.col * array_.psum_bw + 31) / 32;
  last_word_mask_ = last_word_mask(array_.col * array_.psum_bw);
}

Scoreboard::Scoreboard(const golden::ArrayShape& array,
                       const std::vector<golden::OsResult>& passes, bool relu,
                       std::string layer_name, const golden::ExactOutputTensor* direct)
    : os_(&passes),
      direct_(direct),
      array_(array),
      relu_(relu),
      layer_name_(std::move(layer_name)) {
  lane_words_ = (array_.col * array_.psum_bw + 31) / 32;
  last_word_mask_ = last_word_mask(array_.col * array_.psum_bw);
}

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
  const bool relu = expect.kind == Expectation::Kind::Output ? relu_ : expect.relu;
  return relu && sum < 0 ? 0 : sum;
}

const std::int32_t* Scoreboard::running_psum(const Expectation& expect) {
  const golden::WsResult& ws = *ws_;
  const int col = array_.col;
  const int nij_count = ws.psum.nij_count();
  if (running_tiles_.empty()) {
    if (ws.psum.data().empty()) {
      throw std::logic_error("psums are checked but the golden model kept no psums (keep_psums)");
    }
    const std::size_t places =
        static_cast<std::size_t>(ws.tiling.oc_tiles) * golden::kKijCount * nij_count;
    running_tiles_.assign(places, 0);
    running_lanes_.assign(places * col, 0);
  }
  const std::size_t place =
      (static_cast<std::size_t>(expect.oc_tile) * golden::kKijCount + expect.kij) * nij_count +
      expect.nij;
  std::int32_t* lanes = &running_lanes_[place * col];
  std::int32_t& tiles = running_tiles_[place];
  const int wanted = expect.ic_tiles;
  if (tiles == wanted) return lanes;
  // Drains run ic tile after ic tile, so the sum of the tiles before this one is usually here;
  // otherwise (a second row band over the same nij, a test asking out of order) start over.
  int from = tiles + 1 == wanted ? tiles : 0;
  if (from == 0) std::fill(lanes, lanes + col, 0);
  for (; from < wanted; ++from) {
    const std::int32_t* psum = ws.psum.line(from, expect.oc_tile, expect.kij, expect.nij);
    for (int c = 0; c < col; ++c) lanes[c] = wrap_add(lanes[c], psum[c], array_.psum_bw);
  }
  tiles = wanted;
  return lanes;
}

void Scoreboard::expected_lanes(const Expectation& expect, std::int64_t* expected) const {
  const int col = array_.col;
  if (expect.kind == Expectation::Kind::OsOutput) {
    const golden::OsResult& pass = (*os_)[static_cast<std::size_t>(expect.pass)];
    for (int c = 0; c < col; ++c) {
      const std::int64_t sum = pass.out(expect.pixel, c);
      expected[c] = expect.relu && sum < 0 ? 0 : sum;
    }
    return;
  }
  const golden::WsResult& ws = *ws_;
  const golden::OutputTensor& outputs = relu_ ? ws.relu : ws.sum;
  const int first_oc = expect.oc_tile * ws.array.col;
  for (int c = 0; c < col; ++c) {
    // A column past the layer's channels has zero weights.
    expected[c] = first_oc + c < ws.shape.out_ch ? outputs.at(first_oc + c, expect.o_nij) : 0;
  }
}

void Scoreboard::check(const Expectation& expect, const SfpWord& sfp_out, std::uint64_t cycle) {
  if (expect.kind == Expectation::Kind::None) return;
  const int col = array_.col;
  // An output-stationary sum read back raw is what pmem holds, the OS counterpart of a psum.
  if (expect.kind == Expectation::Kind::Psum ||
      (expect.kind == Expectation::Kind::OsOutput && !expect.relu)) {
    psums_checked_ += col;
  } else {
    outputs_checked_ += col;
  }
  // The pass path: the golden lanes packed like sfp_out and compared word by word.
  SfpWord packed;
  std::int64_t expected[kSfpWords * 32];
  const std::int32_t* psum = nullptr;
  if (expect.kind == Expectation::Kind::Psum && expect.ic_tile < 0 && !expect.relu) {
    // pmem's in-place sum over the ic tiles run so far: kept as a running sum.
    psum = running_psum(expect);
    pack_lanes(psum, col, array_.psum_bw, packed.data());
  } else if (expect.kind == Expectation::Kind::Psum) {
    // The course flow: one ic tile's psum, seen through the SFP (ReLU'd on a core that always
    // applies it).
    for (int c = 0; c < col; ++c) expected[c] = expected_value(expect, c);
    pack_lanes(expected, col, array_.psum_bw, packed.data());
  } else {
    expected_lanes(expect, expected);
    pack_lanes(expected, col, array_.psum_bw, packed.data());
  }
  bool same = true;
  for (int w = 0; w + 1 < lane_words_; ++w) same = same && packed[w] == sfp_out[w];
  const int last = lane_words_ - 1;
  same = same && ((packed[last] ^ sfp_out[last]) & last_word_mask_) == 0;
  // An output must also equal the direct convolution (see compare_lanes).
  if (same && !(direct_ != nullptr && expect.kind != Expectation::Kind::Psum)) return;
  if (psum != nullptr) {
    for (int c = 0; c < col; ++c) expected[c] = psum[c];
  }
  compare_lanes(expect, sfp_out, cycle, expected);
}

void Scoreboard::compare_lanes(const Expectation& expect, const SfpWord& sfp_out,
                               std::uint64_t cycle, const std::int64_t* expected) {
  for (int column = 0; column < array_.col; ++column) {
    const std::int64_t got = signed_lane(sfp_out.data(), column, array_.psum_bw);
    // An output (WS sfp_out or a drained OS sum) must equal both the tiled model and the
    // direct convolution: an agreement with the tiled model alone is still a mismatch (the
    // model and the core share a mistake).
    if (got == expected[column] && direct_ != nullptr && expect.kind != Expectation::Kind::Psum) {
      const std::int64_t direct = direct_value(expect, column);
      if (got != direct) record(expect, column, cycle, direct, got, true);
    }
    if (got != expected[column]) record(expect, column, cycle, expected[column], got, false);
  }
}

void Scoreboard::record(const Expectation& expect, int column, std::uint64_t cycle,
                        std::int64_t expected, std::int64_t got, bool against_direct) {
  ++mismatch_count_;
  if (expect.kind == Expectation::Kind::Psum && !against_direct) ++psum_mismatch_count_;
  if (mismatches_.size() < kKeptMismatches) {
    mismatches_.push_back({expect, column, cycle, expected, got, against_direct});
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
  return fmt::format("{}: {} of {}oc_tile {} o_nij {} col {} (oc {}) at cycle {}: expected {}{}, "
                     "got {}{}",
                     layer_name_, relu_ ? "ReLU output" : "output sum",
                     at.band >= 0 ? fmt::format("band {} ", at.band) : std::string(), at.oc_tile,
                     at.o_nij,
                     m.column, at.oc_tile * array_.col + m.column, m.cycle, m.expected,
                     m.against_direct ? " (direct convolution)" : "", m.got,
                     m.against_direct ? " (as the tiled model)" : "");
}

}  // namespace tb
