// CoreDriver over one Verilated model class (Vcore_8x8, ...) and its trace class (VCD or FST build).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <verilated.h>
#if VM_COVERAGE
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include <verilated_cov.h>
#endif

#include "tb/core_driver.hpp"
#include "tb/errors.hpp"

namespace tb::detail {

// Port widths vary with row/col: up to 8 bits CData, 16 SData, 32 IData, 64 QData, above
// that VlWide<N>. These overloads move a bus between the harness's 32-bit words and a port.
template <class Port>
void write_port(Port& port, const std::uint32_t* words) {
  if constexpr (std::is_integral_v<Port>) {
    if constexpr (sizeof(Port) > 4) {
      port = static_cast<Port>(words[0]) | (static_cast<Port>(words[1]) << 32);
    } else {
      port = static_cast<Port>(words[0]);
    }
  } else {
    constexpr std::size_t kWords = sizeof(port.m_storage) / sizeof(port.m_storage[0]);
    for (std::size_t i = 0; i < kWords; ++i) port.m_storage[i] = words[i];
  }
}

template <class Port>
void read_port(const Port& port, std::uint32_t* words) {
  if constexpr (std::is_integral_v<Port>) {
    words[0] = static_cast<std::uint32_t>(port);
    if constexpr (sizeof(Port) > 4) words[1] = static_cast<std::uint32_t>(port >> 32);
  } else {
    constexpr std::size_t kWords = sizeof(port.m_storage) / sizeof(port.m_storage[0]);
    for (std::size_t i = 0; i < kWords; ++i) words[i] = port.m_storage[i];
  }
}

// How pmem is read without a bus cycle: our core's memory array as Verilator names it, or the
// probe ports a user core's generated wrapper adds (a hierarchical reference to the memory the
// profile names); neither for a user core without a pmem path.
template <class Model, class = void>
struct HasCorePmem : std::false_type {};
template <class Model>
struct HasCorePmem<Model, std::void_t<decltype(std::declval<Model&>()
                                                   .rootp->core__DOT__pmem__DOT__memory)>>
    : std::true_type {};
template <class Model, class = void>
struct HasPmemProbe : std::false_type {};
template <class Model>
struct HasPmemProbe<Model, std::void_t<decltype(std::declval<Model&>().pmem_probe_word)>>
    : std::true_type {};

// The one CoreDriver over a Verilated model with the standard ports (clk, reset, inst, D_xmem,
// ofifo_valid, sfp_out): our core, or a user core's wrapper (UserCore), whose instruction port
// may be narrower (inst_mask keeps the bits it has).
template <class Model, class Trace>
class VerilatedCore : public CoreDriver {
 public:
  VerilatedCore(const golden::ArrayShape& array, const DriverOptions& options,
                std::uint64_t inst_mask = ~std::uint64_t{0})
      : CoreDriver(array), options_(options), inst_mask_(inst_mask) {
    // Order from VERILATOR-NOTES.md: context first, configured through ctx-> only, then the
    // plusargs, then the model built on that context.
    context_ = std::make_unique<VerilatedContext>();
    // Verilator 5.006 keeps a thread-local "current context" that is set once and then points
    // at a destroyed context when one thread runs several models in turn; random reset and
    // $error read it, so point it at this model's context whenever this model is used.
    Verilated::threadContextp(context_.get());
    context_->fatalOnError(false);
    context_->debug(0);
    context_->randReset(0);
    const bool tracing = !options_.trace.path.empty();
    if (tracing) context_->traceEverOn(true);
    std::vector<const char*> argv{"cosim"};
    for (const std::string& arg : options_.plusargs) argv.push_back(arg.c_str());
    context_->commandArgs(static_cast<int>(argv.size()), argv.data());
    model_ = std::make_unique<Model>(context_.get(), "TOP");
    if (tracing) {
      trace_ = std::make_unique<Trace>();
      model_->trace(trace_.get(), options_.trace.depth);
    }
    model_->clk = 0;
    model_->reset = 0;
    model_->inst = static_cast<InstPort>(inst::kIdle & inst_mask_);
    model_->eval();
  }

  ~VerilatedCore() override { finish(); }

  void step(const BusCycle& bus) override {
    if (Verilated::threadContextp() != context_.get()) Verilated::threadContextp(context_.get());
    const std::uint64_t start = cycle_ * kTimePerCycle;
    if (trace_ && !trace_->isOpen() && !trace_done_ && cycle_ >= options_.trace.from_cycle) {
      trace_->open(options_.trace.path.c_str());
      if (!trace_->isOpen()) {
        throw UsageError(fmt::format("{}: cannot write the waveform", options_.trace.path));
      }
    }
    const bool dumping = trace_ && trace_->isOpen();
    // The clock falls together with the new inputs (nothing in the core is negedge), so the
    // rising edge below never coincides with an input change.
    context_->time(start);
    model_->clk = 0;
    model_->reset = bus.reset ? 1 : 0;
    model_->inst = static_cast<InstPort>(bus.inst & inst_mask_);
    write_port(model_->D_xmem, bus.d_xmem.data());
    model_->eval();
    if (dumping) trace_->dump(start);
    context_->time(start + kTimePerCycle / 2);
    model_->clk = 1;
    model_->eval();
    if (dumping) {
      trace_->dump(start + kTimePerCycle / 2);
      if (cycle_ >= options_.trace.to_cycle) {
        trace_->close();
        trace_done_ = true;
      }
    }
    if (options_.recorder != nullptr) {
      CoreOutputs outputs;
      outputs.ofifo_valid = ofifo_valid();
      read_sfp_out(outputs.sfp_out);
      options_.recorder->record(cycle_, bus, outputs);
    }
    ++cycle_;
  }

  bool ofifo_valid() const override { return model_->ofifo_valid != 0; }

  void read_sfp_out(SfpWord& words) const override { read_port(model_->sfp_out, words.data()); }

  void read_pmem(int address, SfpWord& words) const override {
    if constexpr (HasCorePmem<Model>::value) {
      // rtl/sram.v's `memory` array of the core's pmem instance, as Verilator names it.
      read_port(model_->rootp->core__DOT__pmem__DOT__memory[static_cast<std::size_t>(address)],
                words.data());
    } else if constexpr (HasPmemProbe<Model>::value) {
      // Only the probe's combinational read changes: no clock edge, nothing else moves.
      model_->pmem_probe_address =
          static_cast<std::remove_reference_t<decltype(model_->pmem_probe_address)>>(address);
      model_->eval();
      read_port(model_->pmem_probe_word, words.data());
    } else {
      (void)address;
      (void)words;
      throw UsageError("this user core was built without a pmem path (--pmem-path)");
    }
  }

  bool rtl_error() const override { return context_->gotError() || context_->gotFinish(); }

  bool trace_open() const override { return trace_ && trace_->isOpen(); }

  void finish() override {
    if (finished_) return;
    finished_ = true;
    Verilated::threadContextp(context_.get());
    model_->final();
#if VM_COVERAGE
    // Coverage builds (-DCOSIM_COVERAGE=ON): every model writes its own file into
    // $COSIM_COVERAGE_DIR; make coverage merges them (verilator_coverage --write).
    if (const char* folder = std::getenv("COSIM_COVERAGE_DIR")) {
      static std::atomic<int> serial{0};
      const std::string path = fmt::format("{}/cosim_{}_{}.dat", folder, getpid(), serial++);
      context_->coveragep()->write(path.c_str());
    }
#endif
    if (trace_ && trace_->isOpen()) {
      // One last dump so the final values are visible after the last edge.
      trace_->dump(cycle_ * kTimePerCycle);
      trace_->close();
    }
  }

 protected:
  // The context outlives the model built on it (members are destroyed in reverse order).
  DriverOptions options_;
  std::uint64_t inst_mask_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;

 private:
  using InstPort = std::remove_reference_t<decltype(std::declval<Model&>().inst)>;
  std::unique_ptr<Trace> trace_;
  bool trace_done_ = false;
  bool finished_ = false;
};

}  // namespace tb::detail
