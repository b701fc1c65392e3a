// Stimulus export (--export-stimulus DIR): every cycle's inputs and the golden values checked, as $readmemh files for tb/replay_tb.v.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/bus.hpp"
#include "tb/sequencer.hpp"

namespace tb {

// The files of an export folder (tb/REPLAY.md):
//   header.hex     $readmemh words with comments: cycles, checks, row, col, bw, psum_bw, inst bits
//   reset.hex      one line per cycle: reset (1 bit)
//   inst.hex       one line per cycle: inst (INST_W bits)
//   d_xmem.hex     one line per cycle: D_xmem (row*bw bits)
//   check_cycle.hex    one line per check: the cycle after whose rising edge it is compared
//   check_kind.hex     0: sfp_out, 1: the word written into pmem at that edge
//   check_address.hex  kind 1: the pmem address (0 for kind 0)
//   check_data.hex     the golden value (col*psum_bw bits, col 0 in the low bits)
//   checks.txt     one line per check: what it is, for a human reading a failure
struct ExportFiles {
  static constexpr const char* kHeader = "header.hex";
  static constexpr const char* kReset = "reset.hex";
  static constexpr const char* kInst = "inst.hex";
  static constexpr const char* kXmem = "d_xmem.hex";
  static constexpr const char* kCheckCycle = "check_cycle.hex";
  static constexpr const char* kCheckKind = "check_kind.hex";
  static constexpr const char* kCheckAddress = "check_address.hex";
  static constexpr const char* kCheckData = "check_data.hex";
  static constexpr const char* kChecks = "checks.txt";
};

// The golden value of one column of an expectation, and what pmem holds for a psum read back
// (raw, before any ReLU); both come from the golden model, never from the simulated core. Each
// dataflow gives its own (DataflowStage::golden_values, tb/dataflow.hpp).
struct GoldenValues {
  std::function<std::int64_t(const Expectation&, int column)> sfp_out;
  std::function<std::int64_t(const Expectation&, int column)> pmem_word;
};

// "psum oc_tile 0 ic_tiles 1 kij 3 nij 14": the place an expectation names (checks.txt).
std::string describe_expectation(const Expectation& expect);

// Records the driven bus (as a BusRecorder on the driver) and the expectation of each cycle
// (through the sequencer wrapper below), and writes the export folder at the end.
//
// sfp_out checks: the cycle's expectation with the scoreboard's golden value.
// pmem checks: a cycle with ofifo_rd and a pmem write of address A writes a psum word. When the
// sequencer checks that write itself (Source::PmemWrite) its golden value is the scoreboard's;
// otherwise it is the value the next single-term SFP readback of A is compared with (Psum, or
// OsOutput's raw sum), since nothing else writes A in between. Writes never read back that way
// are not checked (counted in unchecked_pmem_writes()).
class StimulusExporter : public BusRecorder {
 public:
  StimulusExporter(std::string folder, const golden::ArrayShape& array, GoldenValues golden,
                   BusRecorder* also = nullptr);

  // The expectation the next recorded cycle is checked with.
  void expect_next(const Expectation& expect) { next_expect_ = expect; }
  void record(std::uint64_t cycle, const BusCycle& bus, const CoreOutputs& outputs) override;
  // Writes the folder; throws UsageError when it cannot be written.
  void write() const;

  std::size_t cycles() const { return inputs_.size(); }
  std::size_t checks() const;  // checks written (pmem writes with a golden value, sfp_out)
  std::size_t pmem_checks() const;
  std::size_t unchecked_pmem_writes() const;

 private:
  struct Check {
    std::uint64_t cycle = 0;
    bool pmem = false;
    int address = 0;
    bool resolved = false;
    SfpWord data{};
    std::string what;
  };
  void resolve(Check& check, const Expectation& expect,
               const std::function<std::int64_t(const Expectation&, int)>& value);
  std::string folder_;
  golden::ArrayShape array_;
  GoldenValues golden_;
  BusRecorder* also_;
  Expectation next_expect_;
  std::vector<BusCycle> inputs_;
  std::vector<Check> checks_;
  std::vector<long> pending_write_;  // per pmem address: index of its unresolved write, or -1
};

// Passes a sequencer through, handing each cycle's expectation to the exporter.
class ExportingSequencer : public Sequencer {
 public:
  ExportingSequencer(std::unique_ptr<Sequencer> inner, StimulusExporter& exporter)
      : inner_(std::move(inner)), exporter_(exporter) {}
  bool done() const override { return inner_->done(); }
  SequencedCycle next(const Observation& seen) override {
    SequencedCycle cycle = inner_->next(seen);
    exporter_.expect_next(cycle.expect);
    return cycle;
  }
  std::string waiting_for(const Observation& seen) const override {
    return inner_->waiting_for(seen);
  }
  std::string position() const override { return inner_->position(); }
  const std::string& protocol_error() const override { return inner_->protocol_error(); }
  long long expected_psums() const override { return inner_->expected_psums(); }
  long long expected_outputs() const override { return inner_->expected_outputs(); }
  std::size_t work_items() const override { return inner_->work_items(); }

 private:
  std::unique_ptr<Sequencer> inner_;
  StimulusExporter& exporter_;
};

}  // namespace tb
