// Clocked harness around one Verilated unit-test model (a build of tests/rtl/unit_top.v): context, clock, reset, port lanes, RTL errors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <verilated.h>

#include "tb/core_bus_fields.hpp"

namespace rtl_test {

// ---- port access: CData/SData/IData/QData or VlWide<N>, any bit range ----

template <class Port>
constexpr int port_bits() {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<int>(sizeof(Port) * 8);
  } else {
    return static_cast<int>(sizeof(Port::m_storage) * 8);
  }
}

template <class Port>
bool get_bit(const Port& port, int bit) {
  if constexpr (std::is_integral_v<Port>) {
    return ((static_cast<std::uint64_t>(port) >> bit) & 1U) != 0;
  } else {
    return ((port.m_storage[bit / 32] >> (bit % 32)) & 1U) != 0;
  }
}

template <class Port>
void set_bit(Port& port, int bit, bool value) {
  if constexpr (std::is_integral_v<Port>) {
    const auto mask = static_cast<Port>(Port{1} << bit);
    port = static_cast<Port>(value ? (port | mask) : (port & ~mask));
  } else {
    const std::uint32_t mask = 1U << (bit % 32);
    auto& word = port.m_storage[bit / 32];
    word = value ? (word | mask) : (word & ~mask);
  }
}

// Bits [lsb, lsb + width) of a port, width <= 64.
template <class Port>
std::uint64_t get_bits(const Port& port, int lsb, int width) {
  std::uint64_t value = 0;
  for (int i = 0; i < width; ++i) {
    if (get_bit(port, lsb + i)) value |= std::uint64_t{1} << i;
  }
  return value;
}

template <class Port>
void set_bits(Port& port, int lsb, int width, std::uint64_t value) {
  for (int i = 0; i < width; ++i) set_bit(port, lsb + i, ((value >> i) & 1U) != 0);
}

template <class Port>
void clear_port(Port& port) {
  if constexpr (std::is_integral_v<Port>) {
    port = 0;
  } else {
    for (auto& word : port.m_storage) word = 0;
  }
}

// Lane `index` of a bus made of `width`-bit elements (element i at bits [i*width +: width]).
template <class Port>
std::uint32_t lane(const Port& port, int index, int width) {
  return static_cast<std::uint32_t>(get_bits(port, index * width, width));
}
template <class Port>
void set_lane(Port& port, int index, int width, std::int64_t value) {
  set_bits(port, index * width, width, static_cast<std::uint64_t>(value));
}

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

// One model instance with its own VerilatedContext (never the global Verilated:: calls).
// Inputs are set while the clock is low; tick() raises and lowers it, so outputs read after
// tick() show the state after that rising edge.
template <class Top>
class Bench {
 public:
  explicit Bench(const BenchOptions& options = {}) {
    context_ = std::make_unique<VerilatedContext>();
    activate();
    context_->fatalOnError(false);  // $error in the RTL is reported through rtl_error()
    context_->randReset(options.rand_reset);
    if (options.seed != 0) context_->randSeed(options.seed);
    top_ = std::make_unique<Top>(context_.get(), "unit_top");
    idle();
    top_->clk = 0;
    top_->reset = 0;
    top_->eval();
    shape_.row = top_->param_row;
    shape_.col = top_->param_col;
    shape_.fifo_depth = top_->param_fifo_depth;
    shape_.l0_depth = top_->param_l0_depth;
  }
  ~Bench() {
    activate();
    top_->final();
    top_.reset();
    context_.reset();
    // Leave no pointer to the destroyed context behind (see activate()).
    Verilated::threadContextp(nullptr);
  }
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  Top& top() { return *top_; }
  Top* operator->() { return top_.get(); }
  const Shape& shape() const { return shape_; }
  std::uint64_t cycle() const { return cycle_; }

  // Settles combinational outputs after inputs changed (clock low).
  void eval() {
    activate();
    top_->eval();
  }

  void tick() {
    activate();
    top_->eval();
    context_->timeInc(1);
    top_->clk = 1;
    top_->eval();
    context_->timeInc(1);
    top_->clk = 0;
    top_->eval();
    ++cycle_;
  }

  // Reset held for `cycles` edges with every input idle.
  void reset(int cycles = 2) {
    idle();
    top_->reset = 1;
    for (int i = 0; i < cycles; ++i) tick();
    top_->reset = 0;
    eval();
  }

  // Every input of unit_top inactive: strobes low, data 0, SRAM chip enables (active low) high.
  void idle() {
    Top& t = *top_;
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
  bool rtl_error() const { return context_->gotError(); }
  void clear_rtl_error() {
    context_->gotError(false);
    context_->gotFinish(false);
  }

 private:
  // The Verilated runtime reaches the context through a thread-local pointer (for $error,
  // the random initial values, scope bookkeeping in the model's destructor). In 5.006 it is
  // set once and never follows a newer context, so with several benches in one test program
  // it would point at a destroyed one; every entry into the model points it here first.
  void activate() { Verilated::threadContextp(context_.get()); }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Top> top_;
  Shape shape_;
  std::uint64_t cycle_ = 0;
};

}  // namespace rtl_test
