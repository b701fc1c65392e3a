// Drives the core of a unit_top build through its instruction bus (rtl/README.md), one cycle at a time.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/arithmetic.hpp"
#include "unit_bench.hpp"

namespace rtl_test {

// Instruction bits of rtl/README.md.
namespace inst_bit {
inline constexpr int kPmemAcc = 38;
inline constexpr int kOsDrain = 37;
inline constexpr int kOs = 36;
inline constexpr int kReluBypass = 35;
inline constexpr int kSfpInit = 34;
inline constexpr int kAcc = 33;
inline constexpr int kCenPmem = 32;
inline constexpr int kWenPmem = 31;
inline constexpr int kAPmem = 20;  // 11 bits
inline constexpr int kCenXmem = 19;
inline constexpr int kWenXmem = 18;
inline constexpr int kAXmem = 7;  // 11 bits
inline constexpr int kOfifoRd = 6;
inline constexpr int kIfifoWr = 5;
inline constexpr int kIfifoRd = 4;
inline constexpr int kL0Rd = 3;
inline constexpr int kL0Wr = 2;
inline constexpr int kExecute = 1;
inline constexpr int kLoad = 0;
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

template <class Top>
class CoreBus {
 public:
  explicit CoreBus(Bench<Top>& bench) : bench_(bench), shape_(bench.shape()) {}

  // Applies one cycle: inst and D_xmem (row lanes) set while the clock is low, then the edge.
  void cycle(const Inst& inst, const std::vector<int>& xmem_lanes = {}) {
    Top& top = bench_.top();
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
  Bench<Top>& bench_;
  Shape shape_;
};

}  // namespace rtl_test
