// The one Verilator harness core (cosim's VerilatedCore and the RTL unit bench): context set-up, clock cycle, trace window, coverage file, port words and lanes, public memories.
#pragma once

#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <verilated.h>
#include <verilated_sym_props.h>
#if VM_COVERAGE
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include <verilated_cov.h>
#endif

#include "tb/errors.hpp"

namespace tb::verilator {

// ---- ports: CData (<= 8 bits), SData (16), IData (32), QData (64) or VlWide<N> above ----

template <class Port>
constexpr int port_bits() {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<int>(sizeof(Port) * 8);
  } else {
    return static_cast<int>(sizeof(Port::m_storage) * 8);
  }
}

// A port from / into 32-bit words, word 0 holding bits [31:0].
template <class Port>
void write_port(Port& port, const std::uint32_t* words) {
  if constexpr (std::is_integral_v<Port>) {
    if constexpr (sizeof(Port) > 4) {
      port = static_cast<Port>(words[0]) | (static_cast<Port>(words[1]) << 32);
    } else {
      port = static_cast<Port>(words[0]);
    }
  } else {
    for (std::size_t i = 0; i < std::size(port.m_storage); ++i) port.m_storage[i] = words[i];
  }
}

template <class Port>
void read_port(const Port& port, std::uint32_t* words) {
  if constexpr (std::is_integral_v<Port>) {
    words[0] = static_cast<std::uint32_t>(port);
    if constexpr (sizeof(Port) > 4) words[1] = static_cast<std::uint32_t>(port >> 32);
  } else {
    for (std::size_t i = 0; i < std::size(port.m_storage); ++i) words[i] = port.m_storage[i];
  }
}

template <class Port>
void clear_port(Port& port) {
  if constexpr (std::is_integral_v<Port>) {
    port = 0;
  } else {
    for (auto& word : port.m_storage) word = 0;
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

// Lane `index` of a bus made of `width`-bit elements (element i at bits [i*width +: width]).
template <class Port>
std::uint32_t lane(const Port& port, int index, int width) {
  return static_cast<std::uint32_t>(get_bits(port, index * width, width));
}
template <class Port>
void set_lane(Port& port, int index, int width, std::int64_t value) {
  set_bits(port, index * width, width, static_cast<std::uint64_t>(value));
}

// ---- one model and its context ----

struct ContextOptions {
  int rand_reset = 0;  // randReset: 0 zeros, 1 ones, 2 random initial state
  int seed = 0;        // randSeed (0: Verilator's default)
  bool trace = false;  // traceEverOn: a trace may be attached to the model
  // Passed to commandArgs ("+verilator+seed+7", "+verilator+rand+reset+2"); they come after
  // rand_reset and seed, so they override them.
  std::vector<std::string> plusargs;
};

// A Verilated model with its own VerilatedContext, in the order of VERILATOR-NOTES.md: the
// context first, configured through its own methods (never the global Verilated:: ones), then
// the plusargs, then the model built on it. $error, $fatal and $stop never abort the program:
// rtl_error() reports them.
template <class Model>
class VerilatedModel {
 public:
  VerilatedModel(const ContextOptions& options, const char* instance_name) {
    context_ = std::make_unique<VerilatedContext>();
    activate();
    context_->fatalOnError(false);
    context_->debug(0);
    context_->randReset(options.rand_reset);
    if (options.seed != 0) context_->randSeed(options.seed);
    if (options.trace) context_->traceEverOn(true);
    std::vector<const char*> argv{"cosim"};
    for (const std::string& arg : options.plusargs) argv.push_back(arg.c_str());
    context_->commandArgs(static_cast<int>(argv.size()), argv.data());
    model_ = std::make_unique<Model>(context_.get(), instance_name);
  }
  ~VerilatedModel() {
    final();
    activate();  // the model's scopes unregister from the current context
    model_.reset();
    VerilatedContext* const gone = context_.get();
    context_.reset();
    // Leave no pointer to the destroyed context behind (see activate()).
    if (Verilated::threadContextp() == gone) Verilated::threadContextp(nullptr);
  }
  VerilatedModel(const VerilatedModel&) = delete;
  VerilatedModel& operator=(const VerilatedModel&) = delete;

  Model& model() const { return *model_; }
  VerilatedContext& context() const { return *context_; }

  // The Verilated runtime reaches the context through a thread-local pointer (for $error, the
  // random initial values, scope registration and removal). In 5.006 it is set once and never
  // follows a newer context, so with several models in turn on one thread it would point at a
  // destroyed one: every entry into this model points it here first. A compare, so cheap
  // enough for every cycle.
  void activate() const {
    if (Verilated::threadContextp() != context_.get()) Verilated::threadContextp(context_.get());
  }

  // model->final() once; later calls do nothing.
  void final() {
    if (finished_) return;
    finished_ = true;
    activate();
    model_->final();
  }

  // A $error, $fatal, $stop or failed assertion since the last clear_rtl_error().
  bool rtl_error() const { return context_->gotError() || context_->gotFinish(); }
  void clear_rtl_error() {
    context_->gotError(false);
    context_->gotFinish(false);
  }

  // Coverage builds (-DCOSIM_COVERAGE=ON): every model writes its own file into
  // $COSIM_COVERAGE_DIR; make coverage merges them (verilator_coverage --write).
  void write_coverage() const {
#if VM_COVERAGE
    if (const char* folder = std::getenv("COSIM_COVERAGE_DIR")) {
      static std::atomic<int> serial{0};
      const std::string path = fmt::format("{}/cosim_{}_{}.dat", folder, getpid(), serial++);
      context_->coveragep()->write(path.c_str());
    }
#endif
  }

 private:
  // The context outlives the model built on it.
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;
  bool finished_ = false;
};

// One clock cycle of a model whose inputs were just set: the clock falls together with them at
// `start` (nothing in rtl/ is negedge, so no edge coincides with an input change), then rises at
// `start + period / 2`. `after_eval(time)` runs after each evaluation (a trace dump); outputs
// read afterwards show the state after the rising edge.
template <class Model, class AfterEval>
inline void clock_cycle(VerilatedContext& context, Model& model, std::uint64_t start,
                        std::uint64_t period, AfterEval&& after_eval) {
  context.time(start);
  model.clk = 0;
  model.eval();
  after_eval(start);
  context.time(start + period / 2);
  model.clk = 1;
  model.eval();
  after_eval(start + period / 2);
}

// ---- the waveform: opened at a first cycle, closed after a last one ----

// The trace of one model (Trace: VerilatedVcdC or VerilatedFstC, the format the model was built
// for) into `path` (empty: none), dumping cycles from_cycle..to_cycle. The file is opened
// lazily, so a window late in a run costs nothing before it.
template <class Trace>
class WindowedTrace {
 public:
  template <class Model>
  WindowedTrace(Model& model, std::string path, std::uint64_t from_cycle, std::uint64_t to_cycle,
                int depth)
      : path_(std::move(path)), from_cycle_(from_cycle), to_cycle_(to_cycle) {
    if (path_.empty()) return;
    trace_ = std::make_unique<Trace>();
    model.trace(trace_.get(), depth);
  }
  WindowedTrace(const WindowedTrace&) = delete;
  WindowedTrace& operator=(const WindowedTrace&) = delete;

  bool is_open() const { return trace_ && trace_->isOpen(); }

  // Before the cycle's evaluations: opens the file when the window starts. True while dumping.
  bool begin_cycle(std::uint64_t cycle) {
    if (!trace_) return false;
    if (!trace_->isOpen() && !done_ && cycle >= from_cycle_) {
      trace_->open(path_.c_str());
      if (!trace_->isOpen()) {
        throw UsageError(fmt::format("{}: cannot write the waveform", path_));
      }
    }
    return trace_->isOpen();
  }
  void dump(std::uint64_t time) { trace_->dump(time); }
  // After the cycle's evaluations: closes the file when the window ends.
  void end_cycle(std::uint64_t cycle) {
    if (is_open() && cycle >= to_cycle_) {
      trace_->close();
      done_ = true;
    }
  }
  // One last dump so the final values are visible after the last edge, then the file is closed
  // (an unclosed FST is unreadable).
  void close(std::uint64_t time) {
    if (!is_open()) return;
    trace_->dump(time);
    trace_->close();
    done_ = true;
  }

 private:
  std::string path_;
  std::uint64_t from_cycle_;
  std::uint64_t to_cycle_;
  std::unique_ptr<Trace> trace_;
  bool done_ = false;
};

// The trace class of a model Verilated without --trace: it can write no waveform, and asking it
// for one is a usage error naming the file.
struct NoTrace {};

template <>
class WindowedTrace<NoTrace> {
 public:
  template <class Model>
  WindowedTrace(Model& /*model*/, const std::string& path, std::uint64_t /*from_cycle*/,
                std::uint64_t /*to_cycle*/, int /*depth*/) {
    if (!path.empty()) {
      throw UsageError(fmt::format(
          "{}: the core model of this program was built without waveform support", path));
    }
  }
  WindowedTrace(const WindowedTrace&) = delete;
  WindowedTrace& operator=(const WindowedTrace&) = delete;

  bool is_open() const { return false; }
  bool begin_cycle(std::uint64_t /*cycle*/) { return false; }
  void dump(std::uint64_t /*time*/) {}
  void end_cycle(std::uint64_t /*cycle*/) {}
  void close(std::uint64_t /*time*/) {}
};

// ---- memories the RTL marks /*verilator public_flat_rd*/, found by name at run time ----

// Read access to one unpacked array of packed words (rtl/sram.v's `memory`) through Verilator's
// scope table: no generated internal name, no generated header. The shape is checked once.
class PublicMemory {
 public:
  PublicMemory() = default;

  // `scope` is the instance's full name ("TOP.core.pmem": the model's name, then the RTL
  // hierarchy). Throws UsageError when the scope or the array is not there (the RTL lost its
  // marking) or when its depth or word width is not the expected one.
  PublicMemory(const VerilatedContext& context, const std::string& scope, const char* name,
               int depth, int width) {
    const std::string where = fmt::format("{}.{}", scope, name);
    const VerilatedScope* found = context.scopeFind(scope.c_str());
    const VerilatedVar* var = found != nullptr ? found->varFind(name) : nullptr;
    if (var == nullptr) {
      throw UsageError(fmt::format(
          "{}: not among the model's public signals (the RTL must mark the array "
          "/*verilator public_flat_rd*/, or a Verilator configuration file public_flat_rd)",
          where));
    }
    if (var->udims() != 1 || var->unpacked().elements() != depth ||
        var->packed().elements() != width) {
      throw UsageError(fmt::format("{}: {} words of {} bits, expected {} words of {} bits", where,
                                   var->unpacked().elements(), var->packed().elements(), depth,
                                   width));
    }
    data_ = static_cast<const unsigned char*>(var->datap());
    low_ = var->unpacked().low();
    depth_ = depth;
    switch (var->vltype()) {
      case VLVT_UINT8: element_bytes_ = 1; break;
      case VLVT_UINT16: element_bytes_ = 2; break;
      case VLVT_UINT32: element_bytes_ = 4; break;
      case VLVT_UINT64: element_bytes_ = 8; break;
      case VLVT_WDATA: element_bytes_ = 4 * ((width + 31) / 32); break;
      default:
        throw UsageError(fmt::format("{}: not an array of packed words", where));
    }
  }

  bool found() const { return data_ != nullptr; }

  // Word `address` into `words` (32-bit words, word 0 holding bits [31:0]).
  void read(int address, std::uint32_t* words) const {
    if (address < 0 || address >= depth_) {
      throw UsageError(fmt::format("memory address {} is outside 0..{}", address, depth_ - 1));
    }
    const unsigned char* element =
        data_ + static_cast<std::size_t>(address - low_) * element_bytes_;
    if (element_bytes_ <= 4) {
      std::uint32_t value = 0;
      if (element_bytes_ == 1) value = *element;
      if (element_bytes_ == 2) value = *reinterpret_cast<const std::uint16_t*>(element);
      if (element_bytes_ == 4) value = *reinterpret_cast<const std::uint32_t*>(element);
      words[0] = value;
    } else {
      std::memcpy(words, element, element_bytes_);
    }
  }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t element_bytes_ = 0;
  int low_ = 0;
  int depth_ = 0;
};

}  // namespace tb::verilator
