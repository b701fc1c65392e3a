// Owns one Verilated core: its VerilatedContext, clock, reset, waveform window and the applied stimulus.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/bus.hpp"

namespace tb {

enum class TraceFormat { None, Vcd, Fst };
const char* to_string(TraceFormat format);
// From a file name: ".fst" is FST, anything else VCD.
TraceFormat trace_format_of(const std::string& path);

struct TraceOptions {
  std::string path;  // empty: no waveform
  std::uint64_t from_cycle = 0;
  std::uint64_t to_cycle = std::numeric_limits<std::uint64_t>::max();
  int depth = 99;  // hierarchy levels dumped
};

struct DriverOptions {
  TraceOptions trace;
  // Passed to VerilatedContext::commandArgs ("+verilator+seed+7", "+verilator+rand+reset+2").
  std::vector<std::string> plusargs;
  BusRecorder* recorder = nullptr;  // sees every applied cycle, reset included
  std::string rtl_variant;  // which build of the core (see ModelVariant::rtl_variant)
};

// Cycle c: inputs change (and the clock falls) at time 10c, the clock rises at 10c+5.
inline constexpr std::uint64_t kTimePerCycle = 10;

class CoreDriver {
 public:
  virtual ~CoreDriver() = default;
  CoreDriver(const CoreDriver&) = delete;
  CoreDriver& operator=(const CoreDriver&) = delete;

  const golden::ArrayShape& array() const { return array_; }

  // One clock cycle: the bus values are set while the clock is low, then the clock rises and
  // the core is evaluated once; outputs read afterwards show the state after that edge.
  virtual void step(const BusCycle& bus) = 0;
  // Holds reset high for `cycles` cycles with an idle instruction.
  void reset(int cycles);

  virtual bool ofifo_valid() const = 0;
  // The ofifo_valid port itself, even where the harness ignores it (user cores: probe-core).
  virtual bool ofifo_valid_port() const { return ofifo_valid(); }
  virtual void read_sfp_out(SfpWord& words) const = 0;
  // The word pmem holds at `address` (col lanes of psum_bw bits, col 0 low): read after the
  // edge of a pmem write, it is what the write port took. A probe of the model's memory, not
  // a bus read: it costs no cycle. Cores without the probe throw UsageError.
  virtual void read_pmem(int address, SfpWord& words) const;
  // A $error, $fatal, $stop or failed assertion in the RTL (reported, never aborting).
  virtual bool rtl_error() const = 0;
  virtual bool trace_open() const = 0;
  // Calls final() on the model and closes the waveform; safe to call twice.
  virtual void finish() = 0;

  std::uint64_t cycle() const { return cycle_; }  // cycles applied so far

 protected:
  explicit CoreDriver(const golden::ArrayShape& array) : array_(array) {}
  golden::ArrayShape array_;
  std::uint64_t cycle_ = 0;
};

// One Verilated model build linked into this program.
struct ModelVariant {
  golden::ArrayShape array;
  TraceFormat trace;  // the format this build can dump (one per build in Verilator 5.006)
  std::string class_name;  // "Vcore_8x8"
  std::string rtl_variant;  // RTL defines of this build: empty for the real core, a
                            // MUTANT_... define for the checker's own tests
  std::function<std::unique_ptr<CoreDriver>(const DriverOptions&)> make;
};

// The models this program was linked with, defined by the generated registry of the models
// library (tb_models: VCD builds of every configured shape; tb_models_fst: FST builds).
const std::vector<ModelVariant>& built_models();

// The core for `array`. Throws UsageError naming the shapes that were built and how to build
// another one, or the missing trace format.
std::unique_ptr<CoreDriver> make_core_driver(const golden::ArrayShape& array,
                                             const DriverOptions& options);

}  // namespace tb
