// The output-stationary sequencer: steps through L0 and IFIFO, the drain, OFIFO -> pmem -> SFP readback.
#include "tb/os_sequencer.hpp"

#include <fmt/format.h>

#include "tb/errors.hpp"

namespace tb {

OsSequencer::OsSequencer(const OsPlan& plan, const OsSequencerOptions& options)
    : options_(options),
      plan_(&plan),
      array_(plan.array()),
      steps_(plan.steps()),
      passes_(static_cast<int>(plan.passes().size())),
      reset_left_(options.reset_cycles),
      pop_history_(static_cast<std::size_t>(std::max(array_.row, array_.col)) + 2),
      words_moved_(plan.passes().size(), 0),
      ofifo_(options.psum_latency > 0 ? options.psum_latency : plan.array().row + plan.array().col) {
  for (int pass = 0; pass < passes_; ++pass) {
    for (int chunk = 0; chunk < plan.chunks(); ++chunk) {
      for (const XmemWrite& write : plan.writes(pass, chunk)) {
        xmem_ops_.push_back({true, Target::None, write.address, write.word});
      }
      // Both FIFOs fill in step order: activation then weight of each step.
      const int first = chunk * OsPlan::kStepsPerChunk;
      for (int step = first; step < first + plan.chunk_steps(chunk); ++step) {
        xmem_ops_.push_back({false, Target::L0, OsPlan::activation_address(step), {}});
        xmem_ops_.push_back({false, Target::Ififo, OsPlan::weight_address(step), {}});
      }
    }
  }
  expected_psums_ = static_cast<long long>(passes_) * array_.row * array_.col;
}

bool OsSequencer::done() const {
  return reset_left_ == 0 && next_xmem_ == xmem_ops_.size() && array_pass_ == passes_ &&
         pmem_pass_ == passes_ && pending_push_ == Target::None && !ofifo_.popping();
}

std::size_t OsSequencer::work_items() const {
  return xmem_ops_.size() + static_cast<std::size_t>(passes_) * (steps_ + 5 * array_.row + 4);
}

long long OsSequencer::fifo_pops_before(std::uint64_t cycle) const {
  return pop_history_.at(cycle >= cycle_ ? 0 : cycle_ - cycle);
}

bool OsSequencer::try_xmem(Instruction& instruction, XmemWord& d_xmem, Target& read_target) {
  if (next_xmem_ == xmem_ops_.size()) return false;
  const XmemOp& op = xmem_ops_[next_xmem_];
  // xmem is single-ported: a pass's (chunk's) words are rewritten after every read of the
  // previous one has been issued, so overwriting them is safe.
  if (op.write) {
    instruction.xmem_write(op.address);
    d_xmem = op.word;
    ++next_xmem_;
    return true;
  }
  // Row r of the L0 (column c of the IFIFO) frees a slot at edge t + 1 + r (c) for a read at t
  // (registered read enables).
  const bool to_l0 = op.target == Target::L0;
  const int lanes = to_l0 ? array_.row : array_.col;
  const long long pushed = (to_l0 ? l0_pushed_ : ififo_pushed_) +
                           (pending_push_ == op.target ? 1 : 0) + 1;
  const std::uint64_t horizon = cycle_ + 1 >= static_cast<std::uint64_t>(lanes)
                                    ? cycle_ + 1 - static_cast<std::uint64_t>(lanes)
                                    : 0;
  if (pushed - fifo_pops_before(horizon) > (to_l0 ? options_.l0_depth : options_.ififo_depth)) {
    return false;
  }
  instruction.xmem_read(op.address);
  read_target = op.target;
  ++next_xmem_;
  return true;
}

bool OsSequencer::try_array(Instruction& instruction, Phase& phase) {
  if (array_pass_ == passes_) return false;
  if (steps_done_ < steps_) {
    // The accumulators start clean only once the previous pass's sums all left the array.
    if (array_pass_ > 0 && words_moved_[static_cast<std::size_t>(array_pass_ - 1)] < array_.row) {
      return false;
    }
    if (l0_pushed_ <= popped_ || ififo_pushed_ <= popped_) return false;
    instruction.set(inst::kL0Rd).set(inst::kIfifoRd).set(inst::kExecute).set(inst::kOs);
    ++steps_done_;
    phase = Phase::Execute;
    return true;
  }
  instruction.set(inst::kOsDrain).set(inst::kOs);
  ofifo_.expect_word(cycle_);
  phase = Phase::Drain;
  if (++drain_done_ == array_.row) {
    ++array_pass_;
    steps_done_ = 0;
    drain_done_ = 0;
  }
  return true;
}

bool OsSequencer::try_pmem(Instruction& instruction, Expectation& expect, Phase& phase) {
  if (pmem_pass_ == passes_) return false;
  if (!pmem_readback_) {
    // ofifo_rd at t pops the head at edge t + 1, where that cycle's pmem write takes it.
    // OFIFO word k holds the sums of PE row row-1-k (the bottom row leaves first).
    phase = Phase::Drain;
    bool wrote = false;
    if (ofifo_.popping()) {
      instruction.pmem_write(pmem_step_);
      ++words_moved_[static_cast<std::size_t>(pmem_pass_)];
      ofifo_.pop();
      wrote = true;
    }
    if (pmem_step_ + (wrote ? 1 : 0) < array_.row && ofifo_.can_request(cycle_)) {
      instruction.set(inst::kOfifoRd);
      ofifo_.request();
    }
    if (wrote && ++pmem_step_ == array_.row) {
      pmem_readback_ = true;
      pmem_step_ = 0;
    }
    return wrote || ofifo_.popping();
  }
  phase = Phase::Readback;
  // Each word is read back raw (relu_bypass, as out_os.txt holds it) and, when the layer has
  // ReLU, a second time through the SFP's ReLU: read at t, acc+sfp_init at t+1.
  const int per_word = options_.relu ? 2 : 1;
  const int readbacks = array_.row * per_word;
  if (pmem_step_ < readbacks) instruction.pmem_read(pmem_step_ / per_word);
  if (pmem_step_ > 0) {
    const int item = pmem_step_ - 1;
    const int k = item / per_word;
    const bool relu = item % per_word == 1;
    const OsPass& pass = plan_->passes()[static_cast<std::size_t>(pmem_pass_)];
    instruction.set(inst::kAcc).set(inst::kSfpInit).set(inst::kReluBypass, relu ? 0 : 1);
    expect.kind = Expectation::Kind::OsOutput;
    expect.relu = relu;
    expect.pass = pmem_pass_;
    expect.group = pass.group;
    expect.oc_tile = pass.oc_tile;
    expect.pixel = array_.row - 1 - k;
    expect.o_nij = pass.group * array_.row + expect.pixel;
    expect.pmem_address = k;
  }
  if (++pmem_step_ == readbacks + 1) {
    ++pmem_pass_;
    pmem_readback_ = false;
    pmem_step_ = 0;
  }
  return true;
}

SequencedCycle OsSequencer::next(const Observation& seen) {
  SequencedCycle out;
  pop_history_.push(popped_);
  if (begin_cycle(reset_left_, cycle_, ofifo_, options_.check_ofifo_valid, seen, out,
                  protocol_error_)) {
    return out;
  }
  Instruction instruction;
  const Target pushing = pending_push_;
  if (pushing == Target::L0) instruction.set(inst::kL0Wr);
  if (pushing == Target::Ififo) instruction.set(inst::kIfifoWr);

  Phase pmem_phase = Phase::Drain;
  const bool pmem_moved = try_pmem(instruction, out.expect, pmem_phase);
  Phase array_phase = Phase::Execute;
  const bool array_moved = try_array(instruction, array_phase);
  const bool executed = array_moved && array_phase == Phase::Execute;
  Target read_target = Target::None;
  const bool xmem_moved = try_xmem(instruction, out.bus.d_xmem, read_target);

  if (array_moved) {
    out.phase = array_phase;
  } else if (xmem_moved) {
    out.phase = Phase::Load;
  } else {
    out.phase = pmem_phase;
  }
  out.progress = pushing != Target::None || pmem_moved || array_moved || xmem_moved;
  out.bus.inst = instruction.bits();

  if (pushing == Target::L0) ++l0_pushed_;
  if (pushing == Target::Ififo) ++ififo_pushed_;
  if (executed) ++popped_;
  pending_push_ = read_target;
  ++cycle_;
  return out;
}

std::string OsSequencer::position() const {
  if (array_pass_ < passes_) {
    const OsPass& pass = plan_->passes()[static_cast<std::size_t>(array_pass_)];
    return fmt::format("output-stationary pass {} (pixel group {}, oc_tile {}), step {} of {}",
                       array_pass_, pass.group, pass.oc_tile, steps_done_, steps_);
  }
  if (pmem_pass_ < passes_) return fmt::format("the readback of output-stationary pass {}", pmem_pass_);
  return "the end of the layer";
}

std::string OsSequencer::waiting_for(const Observation& seen) const {
  if (pmem_pass_ < passes_ && !pmem_readback_ && (array_pass_ > pmem_pass_ || drain_done_ > 0)) {
    return fmt::format("waiting for the drained words of output-stationary pass {} ({} of {} "
                       "moved to pmem; ofifo_valid {})",
                       pmem_pass_, pmem_step_, array_.row, seen.ofifo_valid ? 1 : 0);
  }
  return fmt::format("waiting for L0/IFIFO data in {}", position());
}

}  // namespace tb
