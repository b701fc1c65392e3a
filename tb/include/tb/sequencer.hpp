// What every dataflow's sequencer gives the clock loop: the next cycle's bus values and what to expect after its edge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tb/bus.hpp"
#include "tb/ofifo_tracker.hpp"

namespace tb {

// What a cycle is mostly spent on, for the per-phase cycle counts.
enum class Phase { Reset, Load, Execute, Drain, Readback, Accumulate };
inline constexpr int kPhaseCount = 6;
const char* to_string(Phase phase);

// A value the core must show on sfp_out right after this cycle's rising edge.
struct Expectation {
  enum class Kind { None, Psum, Output, OsOutput };
  // Where the value is seen: sfp_out, or the word pmem's write port took at pmem_address.
  enum class Source { SfpOut, PmemWrite };
  Kind kind = Kind::None;
  Source source = Source::SfpOut;
  int oc_tile = 0;
  int ic_tiles = 0;  // Psum: pmem holds the sum over ic tiles 0..ic_tiles-1
  int ic_tile = -1;  // Psum: when >= 0, pmem holds that ic tile's psum alone (course flow)
  int band = -1;     // course flow: which band (run of output positions), for reports
  int kij = 0;
  int nij = 0;    // Psum
  int o_nij = 0;  // Output; OsOutput: the pixel's o_nij
  int pmem_address = 0;
  int pass = 0;   // OsOutput: which (pixel group, oc_tile) pass
  int group = 0;  // OsOutput: pixel group
  int pixel = 0;  // OsOutput: PE row r = pixel r of the group
  // OsOutput: sfp_out shows ReLU of the sum (else the raw sum pmem holds); Psum: the psum is
  // seen through the SFP's ReLU (a core that always applies it), so negative psums show as 0.
  bool relu = false;
};

// What the harness saw after the previous rising edge; the sequencer reacts in this cycle.
struct Observation {
  bool ofifo_valid = false;
};

struct SequencedCycle {
  BusCycle bus;
  Phase phase = Phase::Load;
  Expectation expect;
  bool progress = false;  // something moved (a memory access, a FIFO push or pop, an SFP step)
};

class Sequencer {
 public:
  virtual ~Sequencer() = default;
  virtual bool done() const = 0;
  // Decides this cycle's bus values from what was seen after the previous edge.
  virtual SequencedCycle next(const Observation& seen) = 0;
  // For a watchdog message: what the sequencer is waiting for and where it is.
  virtual std::string waiting_for(const Observation& seen) const = 0;
  virtual std::string position() const = 0;
  // Set when the core broke the bus protocol (a word in the OFIFO nobody asked for).
  virtual const std::string& protocol_error() const = 0;
  // Values the run will check: psums read back, outputs.
  virtual long long expected_psums() const = 0;
  virtual long long expected_outputs() const = 0;
  // Bus operations the layer needs: a yardstick for a default cycle limit.
  virtual std::size_t work_items() const = 0;
};

// A running count (FIFO pops) as it stood before each of the last `keep` cycles: a ring filled
// once per cycle, no allocation. at(back) is the count `back` cycles before the latest; beyond
// the kept window the oldest kept count, never more than the truth.
class CountHistory {
 public:
  explicit CountHistory(std::size_t keep) : values_(keep < 1 ? 1 : keep, 0) {}
  void push(long long count) {
    head_ = head_ + 1 == values_.size() ? 0 : head_ + 1;
    values_[head_] = count;
    if (size_ < values_.size()) ++size_;
  }
  long long at(std::uint64_t back) const {
    const std::size_t steps = back >= size_ ? size_ - 1 : static_cast<std::size_t>(back);
    return values_[head_ >= steps ? head_ - steps : head_ + values_.size() - steps];
  }

 private:
  std::vector<long long> values_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

// The start of every sequencer's cycle: `reset_left` reset cycles first (then `out` is that
// cycle, complete), then the contract's ofifo_valid check (a mismatch sets `protocol_error`).
// Returns true when `out` is complete and the sequencer must return it as it is; counts the
// cycle in `cycle` only for a reset cycle (the caller counts its own).
bool begin_cycle(int& reset_left, std::uint64_t& cycle, const OfifoTracker& ofifo,
                 bool check_ofifo_valid, const Observation& seen, SequencedCycle& out,
                 std::string& protocol_error);

}  // namespace tb
