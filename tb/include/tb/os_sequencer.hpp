// Turns output-stationary passes into the cycle-by-cycle instruction stream: steps, drain, OFIFO to pmem, readback.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tb/ofifo_tracker.hpp"
#include "tb/os_plan.hpp"
#include "tb/sequencer.hpp"

namespace tb {

struct OsSequencerOptions {
  int l0_depth = 64;     // words per L0 row FIFO
  int ififo_depth = 64;  // words per IFIFO column FIFO
  bool relu = false;     // each sum is read back raw and then through ReLU (false: raw only)
  int reset_cycles = 2;
  // Cycles from an os_drain step until its word is in every OFIFO column (0: row + col).
  int psum_latency = 0;
  bool check_ofifo_valid = true;  // compare ofifo_valid with the schedule's count every cycle
};

// Per pass: the step words go into xmem; they stream out alternately into the L0
// (activations) and the IFIFO (weights); each step is l0_rd+ififo_rd+execute+os once both
// words are there; then os_drain for row cycles shifts the sums south, bottom row first, into
// the OFIFO; each OFIFO word goes to pmem and is read back through the SFP and checked (raw,
// and through ReLU when the layer has one). The
// next pass starts executing once every word of the previous one left the OFIFO.
class OsSequencer final : public Sequencer {
 public:
  OsSequencer(const OsPlan& plan, const OsSequencerOptions& options);

  bool done() const override;
  SequencedCycle next(const Observation& seen) override;
  std::string waiting_for(const Observation& seen) const override;
  std::string position() const override;
  const std::string& protocol_error() const override { return protocol_error_; }
  // Raw drained sums count as psums (what pmem holds), their ReLU readbacks as outputs.
  long long expected_psums() const override { return expected_psums_; }
  long long expected_outputs() const override { return options_.relu ? expected_psums_ : 0; }
  std::size_t work_items() const override;

 private:
  enum class Target { None, L0, Ififo };
  struct XmemOp {
    bool write = false;
    Target target = Target::None;  // reads: where the word goes in the next cycle
    int address = 0;
    XmemWord word{};
  };

  long long fifo_pops_before(std::uint64_t cycle) const;
  bool try_xmem(Instruction& instruction, XmemWord& d_xmem, Target& read_target);
  bool try_array(Instruction& instruction, Phase& phase);
  bool try_pmem(Instruction& instruction, Expectation& expect, Phase& phase);

  OsSequencerOptions options_;
  const OsPlan* plan_;
  golden::ArrayShape array_;
  int steps_ = 0;
  int passes_ = 0;

  std::vector<XmemOp> xmem_ops_;
  std::size_t next_xmem_ = 0;
  Target pending_push_ = Target::None;  // the xmem word read last cycle goes here now

  std::uint64_t cycle_ = 0;
  int reset_left_ = 0;
  long long l0_pushed_ = 0;
  long long ififo_pushed_ = 0;
  long long popped_ = 0;  // steps executed (one word from each FIFO)
  CountHistory pop_history_;  // pops before each of the last max(row, col) + 2 cycles

  int array_pass_ = 0;   // pass whose steps / drain the array is doing
  int steps_done_ = 0;   // of array_pass_
  int drain_done_ = 0;   // os_drain cycles issued for array_pass_
  std::vector<int> words_moved_;  // OFIFO words of each pass moved to pmem

  int pmem_pass_ = 0;
  bool pmem_readback_ = false;  // false: moving OFIFO words of pmem_pass_; true: reading back
  int pmem_step_ = 0;
  OfifoTracker ofifo_;

  long long expected_psums_ = 0;
  std::string protocol_error_;
};

}  // namespace tb
