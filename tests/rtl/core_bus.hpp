// Drives the core of a unit_top build through its instruction bus (rtl/README.md), one cycle at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include <fmt/format.h>

#include "golden/arithmetic.hpp"
#include "tb/core_bus_fields.hpp"
#include "unit_bench.hpp"

namespace rtl_test {

// Instruction bits, from rtl/core_bus.json (the generated tb/core_bus_fields.hpp).
namespace inst_bit {
inline constexpr int kPmemAcc = tb::inst::kPmemAcc.lsb;
inline constexpr int kOsDrain = tb::inst::kOsDrain.lsb;
inline constexpr int kOs = tb::inst::kOs.lsb;
inline constexpr int kReluBypass = tb::inst::kReluBypass.lsb;
inline constexpr int kSfpInit = tb::inst::kSfpInit.lsb;
inline constexpr int kAcc = tb::inst::kAcc.lsb;
inline constexpr int kCenPmem = tb::inst::kCenPmem.lsb;
inline constexpr int kWenPmem = tb::inst::kWenPmem.lsb;
inline constexpr int kAPmem = tb::inst::kAPmem.lsb;
inline constexpr int kCenXmem = tb::inst::kCenXmem.lsb;
inline constexpr int kWenXmem = tb::inst::kWenXmem.lsb;
inline constexpr int kAXmem = tb::inst::kAXmem.lsb;
inline constexpr int kOfifoRd = tb::inst::kOfifoRd.lsb;
inline constexpr int kIfifoWr = tb::inst::kIfifoWr.lsb;
inline constexpr int kIfifoRd = tb::inst::kIfifoRd.lsb;
inline constexpr int kL0Rd = tb::inst::kL0Rd.lsb;
inline constexpr int kL0Wr = tb::inst::kL0Wr.lsb;
inline constexpr int kExecute = tb::inst::kExecute.lsb;
inline constexpr int kLoad = tb::inst::kLoad.lsb;
}  // namespace inst_bit

// One instruction word; starts with both SRAMs deselected and every strobe off.
class Inst {
 public:
  Inst() {
    for (int b : {inst_bit::kCenPmem, inst_bit::kWenPmem, inst_bit::kCenXmem, inst_bit::kWenXmem}) {
      set(b);
    }
  }
  Inst& set(int bit, bool value = true) {
    const std::uint64_t mask = std::uint64_t{1} << bit;
    bits_ = value ? (bits_ | mask) : (bits_ & ~mask);
    return *this;
  }
  Inst& xmem(int address, bool write) {
    set(inst_bit::kCenXmem, false).set(inst_bit::kWenXmem, !write);
    bits_ = (bits_ & ~(std::uint64_t{0x7FF} << inst_bit::kAXmem)) |
            (static_cast<std::uint64_t>(address) << inst_bit::kAXmem);
    return *this;
  }
  Inst& pmem(int address, bool write) {
    set(inst_bit::kCenPmem, false).set(inst_bit::kWenPmem, !write);
    bits_ = (bits_ & ~(std::uint64_t{0x7FF} << inst_bit::kAPmem)) |
            (static_cast<std::uint64_t>(address) << inst_bit::kAPmem);
    return *this;
  }
  bool has(int bit) const { return ((bits_ >> bit) & 1U) != 0; }
  bool pmem_busy() const { return !has(inst_bit::kCenPmem); }
  std::uint64_t bits() const { return bits_; }

 private:
  std::uint64_t bits_ = 0;
};

// Besides driving the bus, a CoreBus checks ofifo_valid in every cycle against the words the
// test declared (expect_ofifo_word) and the ofifo_rd it raised, under the course's contract
// (DESIGN.md 3a): a WS execute or an OS drain step issued at cycle i leaves column c during
// cycle i + 1 + row + c, so its word is in every column from edge i + row + col; ofifo_rd at
// cycle t pops at edge t + 1, and the head during t + 1 is the word popped. ofifo_valid during
// cycle t is then "a word completed at an edge before t that was not popped at an edge before t".
template <class Top>
class CoreBus {
 public:
  explicit CoreBus(Bench<Top>& bench) : bench_(bench), shape_(bench.shape()) {}

  // The cycle the next call of cycle() applies (edges counted since the bench was made).
  std::uint64_t now() const { return bench_.cycle(); }
  // Edges from a WS execute (or an OS drain step) to its word being in every OFIFO column.
  int psum_latency() const { return shape_.row + shape_.col; }

  // An instruction issued now (call before cycle()) puts one word into the OFIFO.
  void expect_ofifo_word() { complete_edge_.push_back(now() + psum_latency()); }
  // The oldest word not requested yet is in every column by now's edge, so ofifo_rd raised now
  // pops it (at the next edge) without an underflow.
  bool ofifo_word_ready() const {
    return requested_ < complete_edge_.size() && complete_edge_[requested_] <= now();
  }
  // ofifo_rd was raised in the previous cycle: the head pops at this cycle's edge.
  bool ofifo_popping() const { return !pop_edge_.empty() && pop_edge_.back() == now(); }
  // Cycles in which ofifo_valid differed from the declared words (empty when it never did).
  const Mismatches& ofifo_valid_mismatches() const { return valid_mismatches_; }

  // Applies one cycle: inst and D_xmem (row lanes) set while the clock is low, then the edge.
  void cycle(const Inst& inst, const std::vector<int>& xmem_lanes = {}) {
    Top& top = bench_.top();
    const bool seen = ofifo_valid();
    const bool expected = ofifo_valid_expected(now());
    if (seen != expected) {
      valid_mismatches_.add(fmt::format("cycle {}: ofifo_valid {} (expected {}; {} words "
                                        "declared, {} requested)", now(), seen, expected,
                                        complete_edge_.size(), requested_));
    }
    if (inst.has(inst_bit::kOfifoRd)) {
      pop_edge_.push_back(now() + 1);
      ++requested_;
    }
    top.core_inst = inst.bits();
    clear_port(top.core_D_xmem);
    for (std::size_t r = 0; r < xmem_lanes.size(); ++r) {
      set_lane(top.core_D_xmem, static_cast<int>(r), shape_.bw,
               golden::to_bits(xmem_lanes[r], shape_.bw));
    }
    bench_.tick();
    top.core_inst = Inst().bits();
    bench_.eval();
  }

  bool ofifo_valid() {
    bench_.eval();
    return bench_.top().core_ofifo_valid != 0;
  }
  std::int32_t sfp_out(int column) {
    return as_signed(lane(bench_.top().core_sfp_out, column, shape_.psum_bw), shape_.psum_bw);
  }

  void write_xmem(int address, const std::vector<int>& lanes) { cycle(Inst().xmem(address, true), lanes); }

  // Adds to `inst` this cycle's part of moving `words` OFIFO words into pmem[base + n], words
  // taken in OFIFO order; returns how many are written after this cycle. Plain: ofifo_rd as soon
  // as the word is complete, the pmem write of the popped head one cycle later, one word per
  // cycle. Accumulate (read-add-write for another ic tile): pmem read of the word's address
  // with ofifo_rd at t, the write with pmem_acc at t + 1 (head + old sum), two cycles a word.
  // `written` counts the words written so far; call once per cycle until it reaches `words`.
  int move_ofifo_to_pmem(Inst& inst, int base, int words, bool accumulate, int written) {
    const int requested = written + (ofifo_popping() ? 1 : 0);
    if (ofifo_popping()) {
      inst.pmem(base + written, true);
      if (accumulate) inst.set(inst_bit::kPmemAcc);
      ++written;
      if (accumulate) return written;  // pmem is busy writing: the next read waits a cycle
    }
    if (requested < words && ofifo_word_ready()) {
      inst.set(inst_bit::kOfifoRd);
      if (accumulate) inst.pmem(base + requested, false);
    }
    return written;
  }

  // Streams xmem words into the L0 (or the IFIFO): read at t, write the FIFO at t + 1.
  void fill_from_xmem(const std::vector<int>& addresses, int fifo_wr_bit) {
    for (std::size_t k = 0; k <= addresses.size(); ++k) {
      Inst inst;
      if (k < addresses.size()) inst.xmem(addresses[k], false);
      if (k > 0) inst.set(fifo_wr_bit);
      cycle(inst);
    }
  }

  // Reads pmem words through the SFP: read at t, acc at t + 1, pipelined; `terms` pmem
  // addresses per sum (sfp_init on the first). Returns each sum's sfp_out lanes.
  std::vector<std::vector<std::int32_t>> sfp_sums(const std::vector<std::vector<int>>& sums,
                                                  bool relu_bypass) {
    std::vector<std::vector<std::int32_t>> result;
    std::vector<std::pair<int, int>> reads;  // (sum, term)
    for (std::size_t s = 0; s < sums.size(); ++s) {
      for (std::size_t t = 0; t < sums[s].size(); ++t) reads.emplace_back(s, t);
    }
    for (std::size_t k = 0; k <= reads.size(); ++k) {
      Inst inst;
      if (k < reads.size()) inst.pmem(sums[reads[k].first][reads[k].second], false);
      if (k > 0) {
        inst.set(inst_bit::kAcc).set(inst_bit::kSfpInit, reads[k - 1].second == 0);
        inst.set(inst_bit::kReluBypass, relu_bypass);
      }
      cycle(inst);
      if (k > 0 && reads[k - 1].second + 1 == static_cast<int>(sums[reads[k - 1].first].size())) {
        std::vector<std::int32_t> lanes(shape_.col);
        for (int c = 0; c < shape_.col; ++c) lanes[c] = sfp_out(c);
        result.push_back(lanes);
      }
    }
    return result;
  }

 private:
  // The contract's ofifo_valid during cycle t (see the class comment).
  bool ofifo_valid_expected(std::uint64_t t) const {
    std::size_t complete = 0;
    while (complete < complete_edge_.size() && complete_edge_[complete] < t) ++complete;
    std::size_t popped = 0;
    while (popped < pop_edge_.size() && pop_edge_[popped] < t) ++popped;
    return complete > popped;
  }

  Bench<Top>& bench_;
  Shape shape_;
  std::deque<std::uint64_t> complete_edge_;  // per declared word, in OFIFO order
  std::deque<std::uint64_t> pop_edge_;       // per ofifo_rd raised, the edge it pops at
  std::size_t requested_ = 0;
  Mismatches valid_mismatches_;
};

}  // namespace rtl_test
