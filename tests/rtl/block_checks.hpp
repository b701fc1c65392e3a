// Behaviour checks of the rtl/ blocks, written once over the model type so the same check runs on the unit_top builds and on the mutant builds.
#pragma once

// Each check_* is one scenario driven cycle by cycle and read top to bottom; a few run past 80
// lines rather than hide their timeline behind helpers.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "unit_bench.hpp"

namespace rtl_test {

inline std::int64_t wrap(std::int64_t value, int bits) { return golden::wrap_signed(value, bits); }

// ============================================================================================
// mac: every (a, b) pair of the bw-bit formats, a = 0 .. 15 and b = -8 .. 7, against incoming
// psums that include both psum_bw extremes, so a*b + c wraps in both directions.
// ============================================================================================
template <class Top>
Mismatches check_mac_exhaustive(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int bw = bench.shape().bw;
  const int psum_bw = bench.shape().psum_bw;
  const std::int64_t psum_max = (std::int64_t{1} << (psum_bw - 1)) - 1;
  const std::int64_t psum_min = -(std::int64_t{1} << (psum_bw - 1));
  const std::vector<std::int64_t> psums{0,        1,        -1,  5,  -77, 1234, -4321, psum_max,
                                        psum_min, psum_max - 40, psum_min + 40};
  for (int a = 0; a <= golden::activation_max(bw); ++a) {
    for (int b = golden::weight_min(bw); b <= golden::weight_max(bw); ++b) {
      for (std::int64_t c : psums) {
        top.mac_a = static_cast<std::uint8_t>(a);
        top.mac_b = static_cast<std::uint8_t>(golden::to_bits(b, bw));
        set_bits(top.mac_c, 0, psum_bw, golden::to_bits(c, psum_bw));
        bench.eval();
        const std::int64_t expected = wrap(std::int64_t{a} * b + c, psum_bw);
        const std::int32_t got = as_signed(get_bits(top.mac_out, 0, psum_bw), psum_bw);
        if (got != expected) {
          mismatches.add(fmt::format("a={} b={} c={}: expected {}, got {}", a, b, c, expected, got));
        }
      }
    }
  }
  return mismatches;
}

// ============================================================================================
// mac_tile, weight-stationary: kernel load bursts (the PE keeps word 0 and passes load east
// only from the second cycle on), execute starting the cycle after the last load cycle,
// bubbles, and a new kernel loaded without reset.
// ============================================================================================
template <class Top>
Mismatches check_tile_weight_stationary(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int bw = bench.shape().bw;
  const int psum_bw = bench.shape().psum_bw;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> activation(0, golden::activation_max(bw));
  std::uniform_int_distribution<int> weight(golden::weight_min(bw), golden::weight_max(bw));
  std::uniform_int_distribution<int> psum(-(1 << (psum_bw - 1)), (1 << (psum_bw - 1)) - 1);

  bench.reset();
  // Kernels: the extremes first, then random ones; burst lengths 1 .. 5.
  const std::vector<int> first_words{-8, 7, -1, 0, 3};
  for (int kernel = 0; kernel < 12; ++kernel) {
    const int burst = 1 + kernel % 5;
    std::vector<int> words;
    words.push_back(kernel < 5 ? first_words[kernel] : weight(rng));
    while (static_cast<int>(words.size()) < burst) words.push_back(weight(rng));

    for (int j = 0; j < burst; ++j) {
      top.tile_in_w = static_cast<std::uint8_t>(golden::to_bits(words[j], bw));
      top.tile_inst_w = pe::kLoad;
      bench.tick();
      const int out_e = as_signed(top.tile_out_e, bw);
      const bool load_east = (top.tile_inst_e & pe::kLoad) != 0;
      if (out_e != words[j]) {
        mismatches.add(fmt::format("kernel {} load cycle {}: out_e {} (expected {})", kernel, j,
                                   out_e, words[j]));
      }
      if (load_east != (j > 0)) {
        mismatches.add(fmt::format("kernel {} load cycle {}: load passed east = {} (expected {})",
                                   kernel, j, load_east, j > 0));
      }
      if (top.tile_valid_s) mismatches.add(fmt::format("kernel {}: valid_s during load", kernel));
    }

    // Executes right after the burst, with bubbles in between from the second kernel on.
    for (int n = 0; n < 8; ++n) {
      if (kernel > 0 && n % 3 == 2) {
        top.tile_inst_w = 0;
        bench.tick();
        if (top.tile_valid_s) mismatches.add(fmt::format("kernel {}: valid_s in a bubble", kernel));
      }
      const int a = (n == 0) ? golden::activation_max(bw) : activation(rng);
      const std::int64_t c = (n == 1) ? (1 << (psum_bw - 1)) - 1 : (n == 2) ? -(1 << (psum_bw - 1)) : psum(rng);
      top.tile_in_w = static_cast<std::uint8_t>(a);
      set_bits(top.tile_in_n, 0, psum_bw, golden::to_bits(c, psum_bw));
      top.tile_inst_w = pe::kExecute;
      bench.tick();
      const std::int64_t expected = wrap(std::int64_t{a} * words[0] + c, psum_bw);
      const std::int32_t got = as_signed(get_bits(top.tile_out_s, 0, psum_bw), psum_bw);
      if (!top.tile_valid_s) mismatches.add(fmt::format("kernel {} nij {}: valid_s low", kernel, n));
      if (got != expected) {
        mismatches.add(fmt::format("kernel {} nij {}: a={} w={} c={}: psum {} (expected {})",
                                   kernel, n, a, words[0], c, got, expected));
      }
      if (static_cast<int>(top.tile_out_e) != a) {
        mismatches.add(fmt::format("kernel {} nij {}: out_e {} (expected {})", kernel, n,
                                   static_cast<int>(top.tile_out_e), a));
      }
      if (top.tile_inst_e != pe::kExecute) {
        mismatches.add(fmt::format("kernel {} nij {}: inst_e {} (expected execute)", kernel, n,
                                   static_cast<int>(top.tile_inst_e)));
      }
    }
    top.tile_in_n = 0;
  }
  top.tile_inst_w = 0;
  bench.tick();
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

// ============================================================================================
// mac_tile, output-stationary: weights from the north passed south, the sum of a*w kept in the
// PE (starting from zero after a weight-stationary execute), then drained: the PE shows its
// sum, then the word shifted in from the north.
// ============================================================================================
template <class Top>
Mismatches check_tile_output_stationary(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int bw = bench.shape().bw;
  const int psum_bw = bench.shape().psum_bw;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> activation(0, golden::activation_max(bw));
  std::uniform_int_distribution<int> weight(golden::weight_min(bw), golden::weight_max(bw));

  bench.reset();
  // A weight-stationary execute leaves a psum in the PE; the OS sum must not start from it.
  top.tile_in_w = 5;
  top.tile_inst_w = pe::kLoad;
  bench.tick();
  top.tile_in_n = 1234;
  top.tile_inst_w = pe::kExecute;
  bench.tick();

  for (int group = 0; group < 3; ++group) {
    if (group > 0) {
      // After a drain, too (the sum is no longer fresh from reset): a weight-stationary execute
      // leaves a psum in the PE, and the next OS sum must still start from 0.
      top.tile_in_n = 1000 + group;
      top.tile_inst_w = pe::kExecute;
      bench.tick();
    }
    // Enough steps of 15 * -8 to wrap psum_bw in the last group.
    const int steps = (group == 2) ? 300 : 27;
    std::int64_t exact = 0;
    for (int s = 0; s < steps; ++s) {
      const int a = (group == 2) ? golden::activation_max(bw) : activation(rng);
      const int w = (group == 2) ? golden::weight_min(bw) : weight(rng);
      exact += std::int64_t{a} * w;
      top.tile_in_w = static_cast<std::uint8_t>(a);
      clear_port(top.tile_in_n);
      set_bits(top.tile_in_n, 0, bw, golden::to_bits(w, bw));
      top.tile_inst_w = pe::kExecute | pe::kOs;
      bench.tick();
      const int south_weight = as_signed(get_bits(top.tile_out_s, 0, bw), bw);
      if (south_weight != w) {
        mismatches.add(fmt::format("group {} step {}: weight south {} (expected {})", group, s,
                                   south_weight, w));
      }
      if (static_cast<int>(top.tile_out_e) != a) {
        mismatches.add(fmt::format("group {} step {}: out_e {} (expected {})", group, s,
                                   static_cast<int>(top.tile_out_e), a));
      }
      if (top.tile_valid_s) mismatches.add(fmt::format("group {} step {}: valid_s", group, s));
    }
    // The last product is added at the next edge; drain the cycle after.
    clear_port(top.tile_in_n);
    top.tile_inst_w = pe::kOs;
    bench.tick();
    top.tile_inst_w = pe::kDrain;
    bench.tick();
    const std::int64_t expected = wrap(exact, psum_bw);
    const std::int32_t sum = as_signed(get_bits(top.tile_out_s, 0, psum_bw), psum_bw);
    if (!top.tile_valid_s) mismatches.add(fmt::format("group {}: valid_s low in drain", group));
    if (sum != expected) {
      mismatches.add(fmt::format("group {}: drained sum {} (expected {}, exact {})", group, sum,
                                 expected, exact));
    }
    // Second drain cycle: the word from the north (a sum of the PE above) moves in; a 0 from
    // the north edge leaves the PE clear for the next group.
    const std::int64_t from_north = -321;
    set_bits(top.tile_in_n, 0, psum_bw, golden::to_bits(from_north, psum_bw));
    top.tile_inst_w = pe::kDrain;
    bench.tick();
    const std::int32_t shifted = as_signed(get_bits(top.tile_out_s, 0, psum_bw), psum_bw);
    if (shifted != from_north) {
      mismatches.add(fmt::format("group {}: second drain word {} (expected {})", group, shifted,
                                 from_north));
    }
    clear_port(top.tile_in_n);
    bench.tick();  // third drain cycle shifts the north edge's 0 in
    top.tile_inst_w = 0;
    bench.tick();
    if (top.tile_valid_s) mismatches.add(fmt::format("group {}: valid_s after drain", group));
  }
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

// ============================================================================================
// fifo: order, full/empty at every fill level, overflow and underflow reported and harmless,
// read+write together when full and when empty, and a long random run (pointer wrap)
// against a std::deque. fifo.v does not report its own misuse: unit_top wraps it in a one-lane
// fifo_bank_check, as the L0, IFIFO and OFIFO banks do, and the strict build makes each report
// an $error.
// ============================================================================================
template <class Top>
Mismatches check_fifo(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int depth = bench.shape().fifo_depth;
  const int width = bench.shape().psum_bw;
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::uint32_t> word(0, (1U << width) - 1);
  std::deque<std::uint32_t> reference;

  const auto check_state = [&](const std::string& where) {
    const bool empty = top.fifo_empty != 0;
    const bool full = top.fifo_full != 0;
    if (empty != reference.empty()) {
      mismatches.add(fmt::format("{}: empty={} with {} words", where, empty, reference.size()));
    }
    if (full != (static_cast<int>(reference.size()) == depth)) {
      mismatches.add(fmt::format("{}: full={} with {} words", where, full, reference.size()));
    }
    if (!reference.empty() && top.fifo_out != reference.front()) {
      mismatches.add(fmt::format("{}: head {:#x} (expected {:#x})", where,
                                 static_cast<std::uint32_t>(top.fifo_out), reference.front()));
    }
  };
  const auto step = [&](bool wr, bool rd, std::uint32_t value) {
    top.fifo_wr = wr;
    top.fifo_rd = rd;
    set_bits(top.fifo_in, 0, width, value);
    bench.tick();
    top.fifo_wr = 0;
    top.fifo_rd = 0;
    bench.eval();
  };

  bench.reset();
  check_state("after reset");

  // Fill to the top, one word at a time.
  for (int i = 0; i < depth; ++i) {
    const std::uint32_t value = word(rng);
    step(true, false, value);
    reference.push_back(value);
    check_state(fmt::format("fill {}", i + 1));
  }
  if (bench.rtl_error()) mismatches.add("RTL error while filling");

  // Overflow: reported, and the word is dropped.
  step(true, false, 0xBEEF & ((1U << width) - 1));
  if (!bench.rtl_error()) mismatches.add("write to a full FIFO not reported");
  bench.clear_rtl_error();
  check_state("after overflow");

  // Full with read and write together: one out, one in, no error.
  for (int i = 0; i < 3; ++i) {
    const std::uint32_t value = word(rng);
    step(true, true, value);
    reference.pop_front();
    reference.push_back(value);
    check_state(fmt::format("full read+write {}", i));
  }
  if (bench.rtl_error()) mismatches.add("read+write on a full FIFO reported an error");

  // Empty it in order.
  while (!reference.empty()) {
    step(false, true, 0);
    reference.pop_front();
    check_state(fmt::format("drain, {} left", reference.size()));
  }

  // Underflow: reported, nothing moves.
  step(false, true, 0);
  if (!bench.rtl_error()) mismatches.add("read of an empty FIFO not reported");
  bench.clear_rtl_error();
  check_state("after underflow");

  // Empty with read and write together: the read is an underflow, the word is stored and
  // readable from the next cycle.
  const std::uint32_t late = word(rng);
  step(true, true, late);
  if (!bench.rtl_error()) mismatches.add("read of an empty FIFO (with a write) not reported");
  bench.clear_rtl_error();
  reference.push_back(late);
  check_state("after empty read+write");

  // Random legal traffic, many times around the pointers.
  std::bernoulli_distribution coin(0.5);
  for (int i = 0; i < 40 * depth; ++i) {
    const bool full = static_cast<int>(reference.size()) == depth;
    bool rd = !reference.empty() && coin(rng);
    bool wr = coin(rng) && (!full || rd);
    const std::uint32_t value = word(rng);
    step(wr, rd, value);
    if (rd) reference.pop_front();
    if (wr) reference.push_back(value);
    check_state(fmt::format("random cycle {}", i));
  }
  if (bench.rtl_error()) mismatches.add("RTL error in legal traffic");
  return mismatches;
}

// ============================================================================================
// l0 / ififo: a bank of lanes behind registered read enables, lane k popped 1 + k cycles after
// the request (DESIGN.md 3a). The same check serves both (Lanes selects the ports).
// ============================================================================================
struct L0Lanes {
  static constexpr const char* kName = "l0";
  template <class Top> static int count(const Bench<Top>& bench) { return bench.shape().row; }
  template <class Top> static auto& wr(Top& t) { return t.l0_wr; }
  template <class Top> static auto& in(Top& t) { return t.l0_in; }
  template <class Top> static auto& rd(Top& t) { return t.l0_rd; }
  template <class Top> static auto& out(Top& t) { return t.l0_out; }
  template <class Top> static auto& rd_lane(Top& t) { return t.l0_rd_row; }
  template <class Top> static auto& empty(Top& t) { return t.l0_empty; }
};
struct IfifoLanes {
  static constexpr const char* kName = "ififo";
  template <class Top> static int count(const Bench<Top>& bench) { return bench.shape().col; }
  template <class Top> static auto& wr(Top& t) { return t.ififo_wr; }
  template <class Top> static auto& in(Top& t) { return t.ififo_in; }
  template <class Top> static auto& rd(Top& t) { return t.ififo_rd; }
  template <class Top> static auto& out(Top& t) { return t.ififo_out; }
  template <class Top> static auto& rd_lane(Top& t) { return t.ififo_rd_col; }
  template <class Top> static auto& empty(Top& t) { return t.ififo_empty; }
};

template <class Lanes, class Top>
Mismatches check_skewed_lanes(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int lanes = Lanes::count(bench);
  const int bw = bench.shape().bw;
  const int depth = bench.shape().l0_depth;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> element(0, (1 << bw) - 1);

  const auto random_word = [&] {
    std::vector<int> w(lanes);
    for (auto& e : w) e = element(rng);
    return w;
  };

  // Runs a schedule: word k written at cycle write_at[k] and requested at cycle read_at[k]
  // (cycles counted from the schedule's start); checks every lane, every cycle: lane j pops
  // word k at edge read_at[k] + 1 + j, shows it on `out` during that cycle, and shows 0 when
  // not read.
  const auto run = [&](const std::string& name, const std::vector<std::vector<int>>& words,
                       const std::vector<int>& write_at, const std::vector<int>& read_at) {
    const int last = std::max(write_at.back(), read_at.back()) + lanes + 3;
    for (int n = 0; n <= last; ++n) {
      Lanes::wr(top) = 0;
      Lanes::rd(top) = 0;
      clear_port(Lanes::in(top));
      for (std::size_t k = 0; k < words.size(); ++k) {
        if (write_at[k] == n) {
          Lanes::wr(top) = 1;
          for (int j = 0; j < lanes; ++j) set_lane(Lanes::in(top), j, bw, words[k][j]);
        }
        if (read_at[k] == n) Lanes::rd(top) = 1;
      }
      bench.eval();
      for (int j = 0; j < lanes; ++j) {
        int expected_word = -1;
        for (std::size_t k = 0; k < words.size(); ++k) {
          if (read_at[k] + 1 + j == n) expected_word = static_cast<int>(k);
        }
        const bool reading = get_bit(Lanes::rd_lane(top), j);
        const int value = static_cast<int>(lane(Lanes::out(top), j, bw));
        const int expected = expected_word < 0 ? 0 : words[expected_word][j];
        if (reading != (expected_word >= 0) || value != expected) {
          mismatches.add(fmt::format("{} {} cycle {} lane {}: read={} value={} (expected read={} "
                                     "value={})", Lanes::kName, name, n, j, reading, value,
                                     expected_word >= 0, expected));
        }
      }
      bench.tick();
    }
    Lanes::wr(top) = 0;
    Lanes::rd(top) = 0;
    bench.eval();
    for (int j = 0; j < lanes; ++j) {
      if (!get_bit(Lanes::empty(top), j)) {
        mismatches.add(fmt::format("{} {}: lane {} not empty at the end", Lanes::kName, name, j));
      }
    }
  };

  bench.reset();
  const int burst = std::min(depth, 2 * lanes + 3);
  {  // Fill, then read back-to-back.
    std::vector<std::vector<int>> words;
    std::vector<int> write_at, read_at;
    for (int k = 0; k < burst; ++k) {
      words.push_back(random_word());
      write_at.push_back(k);
      read_at.push_back(burst + k);
    }
    run("fill then read", words, write_at, read_at);
  }
  {  // Streaming: each word requested in the cycle it is written (the earliest: written at edge
     // t, lane 0 pops it at edge t + 1), with gaps.
    std::vector<std::vector<int>> words;
    std::vector<int> write_at, read_at;
    int cycle = 0;
    for (int k = 0; k < 3 * depth; ++k) {
      words.push_back(random_word());
      write_at.push_back(cycle);
      read_at.push_back(cycle);
      cycle += (k % 7 == 6) ? 3 : 1;
    }
    run("streaming", words, write_at, read_at);
  }
  if (bench.rtl_error()) mismatches.add(fmt::format("{}: unexpected RTL error", Lanes::kName));

  // A request while empty underflows when lane 0 pops, one edge after the request (not at the
  // request's own edge), and every lane after it underflows in turn.
  Lanes::rd(top) = 1;
  bench.tick();
  Lanes::rd(top) = 0;
  bench.eval();
  if (bench.rtl_error()) {
    mismatches.add(fmt::format("{}: underflow reported at the request's edge (lane 0 pops one "
                               "edge later)", Lanes::kName));
  }
  bench.tick();
  if (!bench.rtl_error()) mismatches.add(fmt::format("{}: read of an empty lane not reported", Lanes::kName));
  bench.clear_rtl_error();
  for (int j = 1; j < lanes; ++j) bench.tick();
  bench.clear_rtl_error();

  // A word written in the cycle of the request is in lane 0 by the time lane 0 pops: no
  // underflow, and every lane shows it in turn.
  const std::vector<int> same_cycle = random_word();
  Lanes::wr(top) = 1;
  Lanes::rd(top) = 1;
  for (int j = 0; j < lanes; ++j) set_lane(Lanes::in(top), j, bw, same_cycle[j]);
  bench.tick();
  Lanes::wr(top) = 0;
  Lanes::rd(top) = 0;
  clear_port(Lanes::in(top));
  for (int j = 0; j < lanes; ++j) {
    bench.eval();
    const int value = static_cast<int>(lane(Lanes::out(top), j, bw));
    if (!get_bit(Lanes::rd_lane(top), j) || value != same_cycle[j]) {
      mismatches.add(fmt::format("{} write and request together: lane {} read={} value={} "
                                 "(expected read=1 value={})", Lanes::kName, j,
                                 get_bit(Lanes::rd_lane(top), j), value, same_cycle[j]));
    }
    bench.tick();
  }
  if (bench.rtl_error()) {
    mismatches.add(fmt::format("{}: a word written with the request was reported as an underflow",
                               Lanes::kName));
  }
  bench.clear_rtl_error();
  return mismatches;
}

// ============================================================================================
// ofifo: columns written at staggered cycles (as the array's skew does); o_valid only when
// every column holds a word; the read enable is a register (DESIGN.md 3a): rd at cycle t pops
// every column at edge t + 1, and the head during cycle t + 1 is the word popped. Pops come
// one at a time and back to back (rd high on consecutive cycles).
// ============================================================================================
template <class Top>
Mismatches check_ofifo(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int col = bench.shape().col;
  const int psum_bw = bench.shape().psum_bw;
  const int depth = bench.shape().fifo_depth;
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> psum(-(1 << (psum_bw - 1)), (1 << (psum_bw - 1)) - 1);

  std::vector<std::deque<std::int32_t>> columns(col);
  const auto all_hold = [&] {
    for (const auto& q : columns) {
      if (q.empty()) return false;
    }
    return true;
  };
  const auto check = [&](const std::string& where) {
    bench.eval();
    if ((top.ofifo_o_valid != 0) != all_hold()) {
      mismatches.add(fmt::format("{}: o_valid={} (expected {})", where, top.ofifo_o_valid != 0,
                                 all_hold()));
    }
    for (int c = 0; c < col; ++c) {
      if (!columns[c].empty()) {
        const std::int32_t head = as_signed(lane(top.ofifo_out, c, psum_bw), psum_bw);
        if (head != columns[c].front()) {
          mismatches.add(fmt::format("{}: column {} head {} (expected {})", where, c, head,
                                     columns[c].front()));
        }
      }
      if (get_bit(top.ofifo_empty, c) != columns[c].empty()) {
        mismatches.add(fmt::format("{}: column {} empty flag wrong", where, c));
      }
    }
  };

  bench.reset();
  check("after reset");
  // Column c receives `words` words at cycles c .. c + words - 1; the last column is late by
  // `lag` more cycles, so o_valid must wait for it.
  for (int round = 0; round < 3; ++round) {
    const int words = std::min(depth, 2 + round);
    const int lag = round;
    const int cycles = col + lag + words;
    for (int n = 0; n < cycles; ++n) {
      clear_port(top.ofifo_wr);
      clear_port(top.ofifo_in);
      for (int c = 0; c < col; ++c) {
        const int first = c + (c == col - 1 ? lag : 0);
        if (n >= first && n < first + words) {
          const std::int32_t value = psum(rng);
          set_bit(top.ofifo_wr, c, true);
          set_lane(top.ofifo_in, c, psum_bw, golden::to_bits(value, psum_bw));
          columns[c].push_back(value);
        }
      }
      bench.tick();
      clear_port(top.ofifo_wr);
      check(fmt::format("round {} write cycle {}", round, n));
    }
    // Pop every complete word: round 0 one at a time (rd, then a cycle without), later rounds
    // back to back. rd at t leaves the FIFOs untouched at edge t (checked after it) and pops
    // at edge t + 1, during which the head is the word popped.
    std::size_t complete = columns[0].size();
    for (const auto& q : columns) complete = std::min(complete, q.size());
    bool popping = false;  // rd was high in the previous cycle: this edge pops
    std::size_t requested = 0;
    while (requested < complete || popping) {
      const bool rd = requested < complete && (round > 0 || !popping);
      top.ofifo_rd = rd;
      bench.tick();
      top.ofifo_rd = 0;
      if (popping) {
        for (auto& q : columns) q.pop_front();
      }
      popping = rd;
      if (rd) ++requested;
      check(fmt::format("round {} pop cycle, {} requested, popping={}", round, requested,
                        popping));
    }
  }
  // Every column but the last: never valid.
  for (int c = 0; c + 1 < col; ++c) {
    set_bit(top.ofifo_wr, c, true);
    columns[c].push_back(0);
  }
  bench.tick();
  clear_port(top.ofifo_wr);
  check("all but the last column written");
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

// ============================================================================================
// sram: registered read address (DESIGN.md 3a): Q shows the word at the address of the last
// read from that read's edge, through idle cycles and writes elsewhere, and follows a write to
// that address from the write's edge; a never-written word reported.
// ============================================================================================
template <class Top>
Mismatches check_sram(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int width = bench.shape().col * bench.shape().psum_bw;
  std::mt19937 rng(13);
  std::uniform_int_distribution<std::uint32_t> bits32;
  std::uniform_int_distribution<int> address(0, 2047);

  std::vector<std::pair<int, std::vector<std::uint32_t>>> written;
  const auto random_word = [&] {
    std::vector<std::uint32_t> w((width + 31) / 32);
    for (auto& x : w) x = bits32(rng);
    if (width % 32 != 0) w.back() &= (1U << (width % 32)) - 1;
    return w;
  };
  const auto q_equals = [&](const std::vector<std::uint32_t>& w) {
    for (int i = 0; i < width; ++i) {
      if (get_bit(top.sram_Q, i) != (((w[i / 32] >> (i % 32)) & 1U) != 0)) return false;
    }
    return true;
  };
  const auto access = [&](bool write, int a, const std::vector<std::uint32_t>& w) {
    top.sram_CEN = 0;
    top.sram_WEN = write ? 0 : 1;
    set_bits(top.sram_A, 0, 11, static_cast<std::uint64_t>(a));
    for (int i = 0; i < width; ++i) set_bit(top.sram_D, i, ((w[i / 32] >> (i % 32)) & 1U) != 0);
    bench.tick();
    top.sram_CEN = 1;
    top.sram_WEN = 1;
    bench.eval();
  };

  std::vector<int> addresses{0, 2047, 1024, 1};
  while (addresses.size() < 40) {
    const int a = address(rng);
    if (std::find(addresses.begin(), addresses.end(), a) == addresses.end()) addresses.push_back(a);
  }
  for (int a : addresses) {
    written.emplace_back(a, random_word());
    access(true, a, written.back().second);
  }
  std::shuffle(written.begin(), written.end(), rng);
  for (std::size_t i = 0; i < written.size(); ++i) {
    const auto& [a, w] = written[i];
    access(false, a, w);
    if (!q_equals(w)) mismatches.add(fmt::format("read of {}: Q differs from the word written", a));
    // Q holds through idle cycles and through a write elsewhere.
    bench.tick();
    access(true, written[(i + 1) % written.size()].first, written[(i + 1) % written.size()].second);
    if (!q_equals(w)) mismatches.add(fmt::format("Q changed after reading {} without a read", a));
    // Every fourth word: a write to the address last read shows on Q from the write's edge on
    // (Q follows the memory at the registered address), not before it.
    if (i % 4 == 0) {
      const std::vector<std::uint32_t> rewritten = random_word();
      top.sram_CEN = 0;
      top.sram_WEN = 0;
      set_bits(top.sram_A, 0, 11, static_cast<std::uint64_t>(a));
      for (int b = 0; b < width; ++b) {
        set_bit(top.sram_D, b, ((rewritten[b / 32] >> (b % 32)) & 1U) != 0);
      }
      bench.eval();
      if (!q_equals(w)) mismatches.add(fmt::format("Q of {} changed before the write's edge", a));
      bench.tick();
      top.sram_CEN = 1;
      top.sram_WEN = 1;
      bench.eval();
      if (!q_equals(rewritten)) {
        mismatches.add(fmt::format("a write to {} (the address last read) did not show on Q", a));
      }
      written[i].second = rewritten;
    }
  }
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");

  // Never written: reported.
  int fresh = 0;
  while (std::any_of(written.begin(), written.end(), [&](const auto& e) { return e.first == fresh; })) ++fresh;
  access(false, fresh, random_word());
  if (!bench.rtl_error()) mismatches.add(fmt::format("read of never-written address {} not reported", fresh));
  bench.clear_rtl_error();
  return mismatches;
}

// ============================================================================================
// sfp: a sum over 9 pmem reads (init + 8 accumulates) per column, with bubbles, wrapping at
// psum_bw; the course's flow (reset, then accumulate without init) gives the same sums.
// ============================================================================================
template <class Top>
Mismatches check_sfp_accumulate(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int col = bench.shape().col;
  const int psum_bw = bench.shape().psum_bw;
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> small(-2000, 2000);
  std::uniform_int_distribution<int> large(12000, (1 << (psum_bw - 1)) - 1);

  // Column 0 accumulates large positive psums so its sum wraps.
  const auto random_psums = [&] {
    std::vector<std::int32_t> p(col);
    for (int c = 0; c < col; ++c) p[c] = (c == 0) ? large(rng) : small(rng);
    return p;
  };
  const auto present = [&](const std::vector<std::int32_t>& p) {
    for (int c = 0; c < col; ++c) set_lane(top.sfp_psum_in, c, psum_bw, golden::to_bits(p[c], psum_bw));
  };
  const auto check_out = [&](const std::string& where, const std::vector<std::int64_t>& sums) {
    bench.eval();
    for (int c = 0; c < col; ++c) {
      const std::int32_t got = as_signed(lane(top.sfp_out, c, psum_bw), psum_bw);
      const std::int64_t expected = wrap(sums[c], psum_bw);
      if (got != expected) {
        mismatches.add(fmt::format("{}: column {} sum {} (expected {})", where, c, got, expected));
      }
    }
  };

  for (int flow = 0; flow < 2; ++flow) {  // 0: sfp_init on the first read; 1: reset instead
    for (int output = 0; output < 3; ++output) {
      if (flow == 1) bench.reset();
      else if (output == 0) bench.reset();
      std::vector<std::int64_t> sums(col, 0);
      for (int read = 0; read < 9; ++read) {
        const auto p = random_psums();
        present(p);
        const bool init = (flow == 0 && read == 0);
        top.sfp_acc = 1;
        top.sfp_init = init;
        top.sfp_relu_bypass = 1;
        bench.tick();
        for (int c = 0; c < col; ++c) sums[c] = (init ? 0 : sums[c]) + p[c];
        top.sfp_acc = 0;
        top.sfp_init = 0;
        check_out(fmt::format("flow {} output {} after read {}", flow, output, read), sums);
        if (read % 4 == 1) {  // a bubble: the sum holds even with data on the bus
          present(random_psums());
          bench.tick();
          check_out(fmt::format("flow {} output {} bubble", flow, output), sums);
        }
      }
    }
  }
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

// ============================================================================================
// sfp: ReLU clamps negative sums to 0 and keeps positive ones (and 0, the extremes);
// relu_bypass, sampled with acc, shows the raw sum; the pmem read-add-write adder wraps.
// ============================================================================================
template <class Top>
Mismatches check_sfp_relu(Bench<Top>& bench) {
  Mismatches mismatches;
  Top& top = bench.top();
  const int col = bench.shape().col;
  const int psum_bw = bench.shape().psum_bw;
  const std::int32_t psum_max = (1 << (psum_bw - 1)) - 1;
  const std::int32_t psum_min = -(1 << (psum_bw - 1));
  const std::vector<std::int32_t> pattern{-1, 1, 0, psum_min, psum_max, -300, 300, -2};

  bench.reset();
  for (int bypass = 0; bypass < 2; ++bypass) {
    for (int shift = 0; shift < 2; ++shift) {
      std::vector<std::int64_t> sums(col);
      for (int c = 0; c < col; ++c) {
        sums[c] = pattern[(c + shift) % pattern.size()];
        set_lane(top.sfp_psum_in, c, psum_bw, golden::to_bits(sums[c], psum_bw));
      }
      top.sfp_acc = 1;
      top.sfp_init = 1;
      top.sfp_relu_bypass = bypass;
      bench.tick();
      // A second term turns the -300 columns to -300 + 299 = -1 and 300 to 599.
      for (int c = 0; c < col; ++c) {
        set_lane(top.sfp_psum_in, c, psum_bw, golden::to_bits(sums[c] == -300 ? 299 : 0, psum_bw));
        if (sums[c] == -300) sums[c] = -1;
      }
      top.sfp_init = 0;
      bench.tick();
      top.sfp_acc = 0;
      top.sfp_relu_bypass = 1 - bypass;  // not sampled without acc
      bench.eval();
      for (int c = 0; c < col; ++c) {
        const std::int32_t got = as_signed(lane(top.sfp_out, c, psum_bw), psum_bw);
        const std::int64_t expected = bypass ? sums[c] : golden::relu(static_cast<std::int32_t>(sums[c]));
        if (got != expected) {
          mismatches.add(fmt::format("relu_bypass={} sum {}: column {} out {} (expected {})",
                                     bypass, sums[c], c, got, expected));
        }
      }
    }
  }

  // The read-add-write adder: OFIFO head + pmem word, per column, wrapping.
  std::mt19937 rng(19);
  std::uniform_int_distribution<int> psum(psum_min, psum_max);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<std::int32_t> head(col), word(col);
    for (int c = 0; c < col; ++c) {
      head[c] = trial == 0 ? psum_max : psum(rng);
      word[c] = trial == 0 ? 1 : psum(rng);
      set_lane(top.sfp_ofifo_head, c, psum_bw, golden::to_bits(head[c], psum_bw));
      set_lane(top.sfp_psum_in, c, psum_bw, golden::to_bits(word[c], psum_bw));
    }
    bench.eval();
    for (int c = 0; c < col; ++c) {
      const std::int32_t got = as_signed(lane(top.sfp_add_out, c, psum_bw), psum_bw);
      const std::int64_t expected = wrap(std::int64_t{head[c]} + word[c], psum_bw);
      if (got != expected) {
        mismatches.add(fmt::format("add {} + {}: column {} got {} (expected {})", head[c],
                                   word[c], c, got, expected));
      }
    }
  }
  if (bench.rtl_error()) mismatches.add("unexpected RTL error");
  return mismatches;
}

}  // namespace rtl_test
