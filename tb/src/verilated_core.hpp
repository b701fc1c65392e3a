// CoreDriver over one Verilated model class (Vcore_8x8, ...) and its trace class (VCD or FST build), on the harness core of tb/verilator_harness.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "tb/core_driver.hpp"
#include "tb/errors.hpp"
#include "tb/verilator_harness.hpp"

namespace tb::detail {

using verilator::read_port;
using verilator::write_port;

// A user core's generated wrapper has probe ports reading the memory the profile names (a
// hierarchical reference, so no generated names here).
template <class Model, class = void>
struct HasPmemProbe : std::false_type {};
template <class Model>
struct HasPmemProbe<Model, std::void_t<decltype(std::declval<Model&>().pmem_probe_word)>>
    : std::true_type {};

// Where our core's pmem array is, below the model's name: rtl/sram.v's `memory` (marked
// public_flat_rd) in core.v's instance `pmem`.
inline constexpr const char* kCorePmemScope = "core.pmem";

// The one CoreDriver over a Verilated model with the standard ports (clk, reset, inst, D_xmem,
// ofifo_valid, sfp_out): our core, or a user core's wrapper (UserCore), whose instruction port
// may be narrower (inst_mask keeps the bits it has). pmem is read without a bus cycle through
// the wrapper's probe ports when the model has them, else through the public array below
// `pmem_scope` (checked at construction), else not at all (nullptr: a user core without a pmem
// path).
template <class Model, class Trace>
class VerilatedCore : public CoreDriver {
 public:
  VerilatedCore(const golden::ArrayShape& array, const DriverOptions& options,
                std::uint64_t inst_mask = ~std::uint64_t{0},
                const char* pmem_scope = kCorePmemScope)
      : CoreDriver(array),
        options_(options),
        inst_mask_(inst_mask),
        verilated_(context_options(options), "TOP"),
        trace_(verilated_.model(), options.trace.path, options.trace.from_cycle,
               options.trace.to_cycle, options.trace.depth) {
    Model& model = verilated_.model();
    model.clk = 0;
    model.reset = 0;
    model.inst = static_cast<InstPort>(inst::kIdle & inst_mask_);
    model.eval();
    if constexpr (!HasPmemProbe<Model>::value) {
      if (pmem_scope != nullptr) {
        pmem_ = verilator::PublicMemory(verilated_.context(),
                                        fmt::format("{}.{}", model.name(), pmem_scope), "memory",
                                        inst::kSramDepth, array.col * array.psum_bw);
      }
    }
  }

  ~VerilatedCore() override { finish(); }

  void step(const BusCycle& bus) override {
    verilated_.activate();
    const bool dumping = trace_.begin_cycle(cycle_);
    Model& model = verilated_.model();
    model.reset = bus.reset ? 1 : 0;
    model.inst = static_cast<InstPort>(bus.inst & inst_mask_);
    write_port(model.D_xmem, bus.d_xmem.data());
    verilator::clock_cycle(verilated_.context(), model, cycle_ * kTimePerCycle, kTimePerCycle,
                           [&](std::uint64_t time) {
                             if (dumping) trace_.dump(time);
                           });
    if (dumping) trace_.end_cycle(cycle_);
    if (options_.recorder != nullptr) {
      CoreOutputs outputs;
      outputs.ofifo_valid = ofifo_valid();
      read_sfp_out(outputs.sfp_out);
      options_.recorder->record(cycle_, bus, outputs);
    }
    ++cycle_;
  }

  bool ofifo_valid() const override { return model().ofifo_valid != 0; }

  void read_sfp_out(SfpWord& words) const override { read_port(model().sfp_out, words.data()); }

  void read_pmem(int address, SfpWord& words) const override {
    if constexpr (HasPmemProbe<Model>::value) {
      // Only the probe's combinational read changes: no clock edge, nothing else moves.
      verilated_.activate();
      model().pmem_probe_address =
          static_cast<std::remove_reference_t<decltype(model().pmem_probe_address)>>(address);
      model().eval();
      read_port(model().pmem_probe_word, words.data());
    } else {
      if (!pmem_.found()) {
        throw UsageError("this user core was built without a pmem path (--pmem-path)");
      }
      pmem_.read(address, words.data());
    }
  }

  bool rtl_error() const override { return verilated_.rtl_error(); }

  bool trace_open() const override { return trace_.is_open(); }

  void finish() override {
    if (finished_) return;
    finished_ = true;
    verilated_.final();
    verilated_.write_coverage();
    trace_.close(cycle_ * kTimePerCycle);
  }

 protected:
  Model& model() const { return verilated_.model(); }

 private:
  using InstPort = std::remove_reference_t<decltype(std::declval<Model&>().inst)>;

  static verilator::ContextOptions context_options(const DriverOptions& options) {
    verilator::ContextOptions context;
    context.trace = !options.trace.path.empty();
    context.plusargs = options.plusargs;
    return context;
  }

  DriverOptions options_;
  std::uint64_t inst_mask_;
  verilator::VerilatedModel<Model> verilated_;
  // Declared after the model: the trace is closed and destroyed before the model goes.
  verilator::WindowedTrace<Trace> trace_;
  verilator::PublicMemory pmem_;
  bool finished_ = false;
};

}  // namespace tb::detail
