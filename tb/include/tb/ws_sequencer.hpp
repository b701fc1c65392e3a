// Turns a weight-stationary layer into the cycle-by-cycle instruction stream: this is where the kij loop is sequenced.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "tb/bus.hpp"
#include "tb/ofifo_tracker.hpp"
#include "tb/sequencer.hpp"
#include "tb/ws_plan.hpp"

namespace tb {

enum class PsumCheck { Readback, Write, None };
const char* to_string(PsumCheck check);  // "readback", "write", "none"

struct WsSequencerOptions {
  int l0_depth = 64;     // words per L0 row FIFO (rtl/l0.v)
  int ofifo_depth = 64;  // words per OFIFO column FIFO (rtl/ofifo.v)
  // Cycles with neither load nor execute required between the last execute and the next
  // kernel load (0: a load may follow an execute back to back).
  int load_gap = 0;
  bool relu = true;  // sfp_out holds ReLU outputs; false: raw sums (relu_bypass)
  // Where psums are checked: Readback reads every psum back through the SFP after each ic
  // tile (costs one cycle per psum word); Write checks each word as pmem's write port takes
  // it (the drain's plain or read-add-write), observed after the edge at no cycle cost.
  PsumCheck psum_check = PsumCheck::Readback;
  int reset_cycles = 2;
  // Cycles from an execute until its psum word is in every OFIFO column (0: row + col, the
  // course contract's array: DESIGN.md 3a, rtl/README.md).
  int psum_latency = 0;
  // Compare ofifo_valid with the schedule's own count every cycle (a core that does not drive
  // it is still scheduled by the cycle counts alone).
  bool check_ofifo_valid = true;
};

class WsSequencer final : public Sequencer {
 public:
  WsSequencer(const WsPlan& plan, const WsSequencerOptions& options);

  bool done() const override;
  SequencedCycle next(const Observation& seen) override;
  std::string waiting_for(const Observation& seen) const override;
  std::string position() const override;
  const std::string& protocol_error() const override { return protocol_error_; }
  long long expected_psums() const override { return expected_psums_; }
  long long expected_outputs() const override { return expected_outputs_; }
  std::size_t work_items() const override;

 private:
  struct XmemOp {
    bool write = false;
    int address = 0;
    XmemWord word{};
  };
  struct PopOp {
    bool load = false;         // kernel load (else execute)
    bool group_start = false;  // first of the col load cycles of a kernel
    int oc_tile = 0, band = 0, ic_tile = 0, kij = 0, nij = 0;
  };
  struct InFlight {  // an executed nij whose psum word is on its way to the OFIFO
    int oc_tile = 0, band = 0, ic_tile = 0, kij = 0, nij = 0;
  };
  struct PmemRead {
    int address = 0;
    Expectation expect;  // shown after the acc of this read (Kind::None for middle terms)
    bool first_term = false;
  };
  struct PmemJob {
    enum class Kind { Drain, Readback, Accumulate };
    Kind kind = Kind::Drain;
    int oc_tile = 0, band = 0, ic_tile = 0;
    int words = 0;  // Drain: OFIFO words to move
    std::vector<PmemRead> reads;  // Readback / Accumulate, in order
  };

  void build(const WsPlan& plan);
  // One pass (oc_tile, ic_tile) of a band: xmem writes and reads, L0 pops, its drain and
  // (--psum-check readback) the readback of the drained words.
  void add_pass(const WsPlan& plan, int band_index, int oc_tile, int ic_tile);
  void add_readback(const RowBand& band, const PmemJob& drain);
  void add_accumulate(const WsPlan& plan, int band_index, int oc_tile);
  long long pops_before(std::uint64_t cycle) const;
  bool try_pop(Instruction& instruction);
  bool try_xmem(Instruction& instruction, XmemWord& d_xmem);
  bool try_pmem(Instruction& instruction, Expectation& expect, Phase& phase);

  WsSequencerOptions options_;
  golden::ArrayShape array_;
  const WsPlan* plan_;

  std::vector<XmemOp> xmem_ops_;
  std::vector<PopOp> pop_ops_;  // one per xmem read, same order
  std::vector<PmemJob> pmem_jobs_;
  std::size_t next_xmem_ = 0;
  std::size_t next_pop_ = 0;
  std::size_t pmem_job_ = 0;
  std::size_t pmem_step_ = 0;  // reads issued (Readback/Accumulate) or words moved (Drain)

  std::uint64_t cycle_ = 0;
  int reset_left_ = 0;
  bool read_issued_last_cycle_ = false;
  long long pushed_ = 0;  // L0 words written in earlier cycles
  long long popped_ = 0;  // L0 words popped in earlier cycles
  CountHistory pop_history_;  // pops before each of the last row + 2 cycles
  int load_left_ = 0;  // cycles left in the current kernel load
  long long last_execute_cycle_ = -1;
  long long executed_ = 0;
  long long ofifo_popped_ = 0;
  std::deque<InFlight> in_flight_;  // in OFIFO order, beside ofifo_'s arrival cycles
  OfifoTracker ofifo_;
  long long expected_psums_ = 0;
  long long expected_outputs_ = 0;
  std::string protocol_error_;
};

}  // namespace tb
