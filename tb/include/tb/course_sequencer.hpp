// The course-flow sequencer for user cores: only bits 33..0 and the course's cycle counts (DESIGN.md 3a), every ic tile's psums kept in pmem.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "golden/tensor.hpp"
#include "tb/bus.hpp"
#include "golden/ws_model.hpp"
#include "tb/core_profile.hpp"
#include "tb/scoreboard.hpp"
#include "tb/sequencer.hpp"
#include "tb/ws_plan.hpp"

namespace tb {

// How psums are checked on a core that only has the course's bus.
enum class CoursePsumCheck {
  Sfp,       // each pmem word read back alone through the SFP (reset, one read, one acc)
  PmemPath,  // pmem's memory array read through the path the user named, after each write
  None,      // outputs only
};
const char* to_string(CoursePsumCheck check);

struct CourseSequencerOptions {
  CoreProfile profile;
  // The outputs compared are ReLU outputs (else raw sums). With relu "bit N" the sequencer
  // drives bit N to match; "always" and "never" cores must be given the matching value.
  bool relu = true;
  CoursePsumCheck psum_check = CoursePsumCheck::Sfp;
  int reset_cycles = 2;   // reset high, then one idle cycle, as the course testbench does
  int intermission = 0;   // idle cycles between kernel load and execute; 0: row + col
  int drain_margin = 2;   // idle cycles after the contract's psum latency before the drain
};

// A band: a run of consecutive output positions whose psums, for every ic tile and kij, fit
// pmem at once (9 x ic_tiles x positions words), and whose executes per kij fit L0 and the
// OFIFO. Each kij executes exactly the padded nij its outputs read, in output order.
struct CourseBand {
  int first_o_nij = 0;
  int count = 0;
  int first_nij = 0;  // activations of padded nij [first_nij, first_nij + nij_span) are in xmem
  int nij_span = 0;
};

class CourseSequencer final : public Sequencer {
 public:
  // `plan` supplies the packed weight words; it and the activations must outlive this.
  CourseSequencer(const WsPlan& plan, const golden::ActivationTensor& activations,
                  const CourseSequencerOptions& options);

  const std::vector<CourseBand>& bands() const { return bands_; }
  // pmem address of (ic_tile, kij, position k of the band).
  int psum_address(int ic_tile, int kij, int k) const;

  bool done() const override;
  SequencedCycle next(const Observation& seen) override;
  std::string waiting_for(const Observation& seen) const override;
  std::string position() const override;
  const std::string& protocol_error() const override { return protocol_error_; }
  long long expected_psums() const override { return expected_psums_; }
  long long expected_outputs() const override { return expected_outputs_; }
  std::size_t work_items() const override { return static_cast<std::size_t>(cycles_estimate_); }

  // What the run checks and how, one line each, for the report.
  std::vector<std::string> describe_checks() const;

 private:
  struct Unit {  // the next block of cycles to generate
    int band = 0, oc_tile = 0, ic_tile = 0, kij = 0;
    int stage = 0;  // 0: kij passes, 1: psum readback, 2: accumulate
  };

  bool generate();  // appends the next block of cycles to queue_; false at the end
  void emit(const Instruction& instruction, Phase phase, const Expectation& expect = {},
            bool reset = false, const XmemWord& d_xmem = {});
  void emit_reset();
  void emit_relu(Instruction& instruction, bool on) const;
  // One ic tile's psum of (band, oc_tile, kij, position k), as pmem holds it at psum_address.
  Expectation psum_expectation(int band_index, int oc_tile, int ic_tile, int kij, int k) const;
  void kij_pass(int band, int oc_tile, int ic_tile, int kij);
  void readback(int band, int oc_tile);
  void accumulate(int band, int oc_tile);
  XmemWord activation_word(int ic_tile, int nij) const;

  CourseSequencerOptions options_;
  golden::ArrayShape array_;
  golden::LayerShape shape_;
  golden::Tiling tiling_;
  const WsPlan* plan_;
  const golden::ActivationTensor* activations_;
  int read_delay_ = 1;  // SRAM read to consumer (l0_wr, acc)
  int pop_delay_ = 1;   // ofifo_rd to the pmem write that takes the word
  int latency_ = 0;
  int intermission_ = 0;
  int band_length_ = 0;
  std::vector<CourseBand> bands_;

  struct Queued {
    SequencedCycle cycle;
    std::uint64_t block = 0;  // index of its label
  };
  void label(std::string text);  // names the block whose cycles follow

  Unit unit_;
  bool finished_ = false;
  std::deque<Queued> queue_;
  std::deque<std::string> labels_;  // labels of blocks first_label_ .. first_label_ + size - 1
  std::uint64_t first_label_ = 0;
  std::uint64_t current_block_ = 0;  // block of the cycle applied last
  long long expected_psums_ = 0;
  long long expected_outputs_ = 0;
  long long cycles_estimate_ = 0;
  std::string protocol_error_;
};

// The contract item (DESIGN.md 3a) a failing course-flow run most likely breaks, from its first
// mismatches: the OFIFO read latency, ReLU, or the SRAM/array timing; with the first cycle and
// sfp_out column. Empty when there are no mismatches.
std::string diagnose_course_failure(const std::vector<Mismatch>& mismatches,
                                    const golden::WsResult& golden, const CoreProfile& profile,
                                    bool relu);

}  // namespace tb
