// Clocked bench around one Verilated unit-test model (a build of tests/rtl/unit_top.v) on the shared harness core: reset, idle inputs, shape, RTL errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tb/core_bus_fields.hpp"
#include "tb/verilator_harness.hpp"

namespace rtl_test {

// Port access (any bit range, lanes) is the harness core's, shared with cosim's driver.
using tb::verilator::clear_port;
using tb::verilator::get_bit;
using tb::verilator::get_bits;
using tb::verilator::lane;
using tb::verilator::port_bits;
using tb::verilator::set_bit;
using tb::verilator::set_bits;
using tb::verilator::set_lane;

// A width-bit two's-complement pattern read as a signed number.
inline std::int32_t as_signed(std::uint64_t pattern, int width) {
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  const std::uint64_t low = pattern & ((sign << 1) - 1);
  return static_cast<std::int32_t>(static_cast<std::int64_t>(low ^ sign) -
                                   static_cast<std::int64_t>(sign));
}

// ---- the PE instruction bundle of mac_tile.v / mac_array.v ----
namespace pe {
inline constexpr std::uint8_t kLoad = 1;
inline constexpr std::uint8_t kExecute = 2;
inline constexpr std::uint8_t kOs = 4;
inline constexpr std::uint8_t kDrain = 8;
}  // namespace pe

// Parameters of one unit_top build, read from its param_* ports.
struct Shape {
  int row = 0;
  int col = 0;
  int bw = 4;
  int psum_bw = 16;
  int fifo_depth = 0;
  int l0_depth = 0;
};

struct BenchOptions {
  int rand_reset = 0;  // Verilator randReset: 0 zeros, 1 ones, 2 random initial state
  int seed = 0;        // randSeed for rand_reset 2
};

// Comparison results: how many mismatches and the first few, for a readable failure.
class Mismatches {
 public:
  void add(std::string what) {
    ++count_;
    if (first_.size() < kKept) first_.push_back(std::move(what));
  }
  int count() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::string summary() const {
    std::string text = fmt::format("{} mismatch(es)", count_);
    for (const auto& line : first_) text += "\n  " + line;
    if (count_ > static_cast<int>(first_.size())) text += "\n  ...";
    return text;
  }

 private:
  static constexpr std::size_t kKept = 12;
  int count_ = 0;
  std::vector<std::string> first_;
};

// One model instance on the harness core (tb/verilator_harness.hpp): its own context, set up as
// cosim's. Inputs are set between ticks; tick() is one clock cycle (the clock falls with the new
// inputs, then rises), so outputs read after tick() show the state after that rising edge.
template <class Top>
class Bench {
 public:
  explicit Bench(const BenchOptions& options = {})
      : verilated_(context_options(options), "unit_top") {
    Top& t = top();
    idle();
    t.clk = 0;
    t.reset = 0;
    t.eval();
    shape_.row = t.param_row;
    shape_.col = t.param_col;
    shape_.fifo_depth = t.param_fifo_depth;
    shape_.l0_depth = t.param_l0_depth;
  }
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  Top& top() { return verilated_.model(); }
  Top* operator->() { return &verilated_.model(); }
  VerilatedContext& context() { return verilated_.context(); }
  const Shape& shape() const { return shape_; }
  std::uint64_t cycle() const { return cycle_; }

  // Settles combinational outputs after inputs changed.
  void eval() {
    verilated_.activate();
    top().eval();
  }

  void tick() {
    verilated_.activate();
    tb::verilator::clock_cycle(verilated_.context(), top(), cycle_ * 2, 2, [](std::uint64_t) {});
    ++cycle_;
  }

  // Reset held for `cycles` edges with every input idle.
  void reset(int cycles = 2) {
    idle();
    top().reset = 1;
    for (int i = 0; i < cycles; ++i) tick();
    top().reset = 0;
    eval();
  }

  // Every input of unit_top inactive: strobes low, data 0, SRAM chip enables (active low) high.
  void idle() {
    Top& t = top();
    clear_port(t.mac_a);
    clear_port(t.mac_b);
    clear_port(t.mac_c);
    clear_port(t.tile_in_w);
    clear_port(t.tile_in_n);
    clear_port(t.tile_inst_w);
    t.fifo_wr = 0;
    clear_port(t.fifo_in);
    t.fifo_rd = 0;
    t.l0_wr = 0;
    clear_port(t.l0_in);
    t.l0_rd = 0;
    t.ififo_wr = 0;
    clear_port(t.ififo_in);
    t.ififo_rd = 0;
    clear_port(t.ofifo_wr);
    clear_port(t.ofifo_in);
    t.ofifo_rd = 0;
    t.sram_CEN = 1;
    t.sram_WEN = 1;
    clear_port(t.sram_A);
    clear_port(t.sram_D);
    t.sfp_acc = 0;
    t.sfp_init = 0;
    t.sfp_relu_bypass = 0;
    clear_port(t.sfp_psum_in);
    clear_port(t.sfp_ofifo_head);
    clear_port(t.array_in_w);
    clear_port(t.array_in_n);
    clear_port(t.array_inst_w);
    clear_port(t.core_D_xmem);
    clear_port(t.core_inst);
    // Both SRAMs of the core deselected: CEN_pmem, WEN_pmem, CEN_xmem, WEN_xmem.
    for (const tb::InstField field :
         {tb::inst::kCenPmem, tb::inst::kWenPmem, tb::inst::kCenXmem, tb::inst::kWenXmem}) {
      set_bit(t.core_inst, field.lsb, true);
    }
  }

  // A $error (FIFO overflow/underflow, unwritten pmem read) happened since the last clear.
  bool rtl_error() const { return verilated_.rtl_error(); }
  void clear_rtl_error() { verilated_.clear_rtl_error(); }

 private:
  static tb::verilator::ContextOptions context_options(const BenchOptions& options) {
    tb::verilator::ContextOptions context;
    context.rand_reset = options.rand_reset;
    context.seed = options.seed;
    return context;
  }

  tb::verilator::VerilatedModel<Top> verilated_;
  Shape shape_;
  std::uint64_t cycle_ = 0;
};

}  // namespace rtl_test
