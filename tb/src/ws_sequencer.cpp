// The weight-stationary sequencer: xmem -> L0 -> kernel load / execute -> OFIFO -> pmem -> SFP, one cycle at a time.
#include "tb/ws_sequencer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/ws_model.hpp"
#include "tb/errors.hpp"

namespace tb {

const char* to_string(PsumCheck check) {
  switch (check) {
    case PsumCheck::Readback: return "readback";
    case PsumCheck::Write: return "write";
    case PsumCheck::None: return "none";
  }
  return "?";
}

WsSequencer::WsSequencer(const WsPlan& plan, const WsSequencerOptions& options)
    : options_(options),
      array_(plan.array()),
      plan_(&plan),
      reset_left_(options.reset_cycles),
      pop_history_(static_cast<std::size_t>(array_.row) + 2),
      ofifo_(options.psum_latency > 0 ? options.psum_latency : plan.array().row + plan.array().col) {
  if (options_.l0_depth < array_.col) {
    throw UsageError(fmt::format("an L0 of {} words cannot hold the {} weight words of a kernel",
                                 options_.l0_depth, array_.col));
  }
  if (options_.ofifo_depth < 1) throw UsageError("the OFIFO depth must be at least 1");
  build(plan);
}

void WsSequencer::build(const WsPlan& plan) {
  const golden::Tiling& tiling = plan.tiling();
  const int band_count = static_cast<int>(plan.bands().size());
  // Every op of the layer is listed up front: sized once (a big layer has millions).
  std::vector<std::vector<XmemWrite>> band_writes;
  std::size_t xmem_count = 0;
  std::size_t pop_count = 0;
  const std::size_t passes = static_cast<std::size_t>(tiling.oc_tiles) * tiling.ic_tiles;
  for (int band_index = 0; band_index < band_count; ++band_index) {
    band_writes.push_back(plan.activation_writes(band_index));
    const RowBand& band = plan.bands()[static_cast<std::size_t>(band_index)];
    pop_count += passes * golden::kKijCount * static_cast<std::size_t>(array_.col + band.nij_count);
    xmem_count += band_writes.back().size() +
                  passes * static_cast<std::size_t>(plan.pass_xmem_ops(band));
  }
  xmem_ops_.reserve(xmem_count);
  pop_ops_.reserve(pop_count);
  for (int band_index = 0; band_index < band_count; ++band_index) {
    for (const XmemWrite& write : band_writes[static_cast<std::size_t>(band_index)]) {
      xmem_ops_.push_back({true, write.address, write.word});
    }
    for (int oc_tile = 0; oc_tile < tiling.oc_tiles; ++oc_tile) {
      for (int ic_tile = 0; ic_tile < tiling.ic_tiles; ++ic_tile) {
        add_pass(plan, band_index, oc_tile, ic_tile);
      }
      add_accumulate(plan, band_index, oc_tile);
    }
  }
}

void WsSequencer::add_pass(const WsPlan& plan, int band_index, int oc_tile, int ic_tile) {
  const RowBand& band = plan.bands()[static_cast<std::size_t>(band_index)];
  // xmem is single-ported: the pass's weights go in after every read of the previous pass has
  // been issued, so overwriting them is safe.
  for (const XmemWrite& write : plan.weight_writes(oc_tile, ic_tile)) {
    xmem_ops_.push_back({true, write.address, write.word});
  }
  for (const XmemWrite& write : plan.pass_activation_writes(band_index, ic_tile)) {
    xmem_ops_.push_back({true, write.address, write.word});
  }
  // The kij loop: each kernel streams through L0 as col weight words followed by the band's
  // activations, so L0 order is exactly the order of pops.
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int c = 0; c < array_.col; ++c) {
      xmem_ops_.push_back({false, plan.weight_address(kij, c), {}});
      pop_ops_.push_back({true, c == 0, oc_tile, band_index, ic_tile, kij, -1});
    }
    for (int nij = band.first_nij; nij < band.first_nij + band.nij_count; ++nij) {
      xmem_ops_.push_back({false, plan.activation_address(band, ic_tile, nij), {}});
      pop_ops_.push_back({false, false, oc_tile, band_index, ic_tile, kij, nij});
    }
  }
  PmemJob drain;
  drain.kind = PmemJob::Kind::Drain;
  drain.oc_tile = oc_tile;
  drain.band = band_index;
  drain.ic_tile = ic_tile;
  drain.words = golden::kKijCount * band.nij_count;
  pmem_jobs_.push_back(drain);
  if (options_.psum_check == PsumCheck::Write) {
    expected_psums_ += static_cast<long long>(drain.words) * array_.col;
  }
  if (options_.psum_check == PsumCheck::Readback) add_readback(band, drain);
}

void WsSequencer::add_readback(const RowBand& band, const PmemJob& drain) {
  PmemJob readback = drain;
  readback.kind = PmemJob::Kind::Readback;
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    for (int nij = band.first_nij; nij < band.first_nij + band.nij_count; ++nij) {
      PmemRead read;
      read.address = WsPlan::psum_address(band, kij, nij);
      read.first_term = true;
      read.expect.kind = Expectation::Kind::Psum;
      read.expect.oc_tile = drain.oc_tile;
      read.expect.ic_tiles = drain.ic_tile + 1;
      read.expect.kij = kij;
      read.expect.nij = nij;
      read.expect.pmem_address = read.address;
      readback.reads.push_back(read);
      expected_psums_ += array_.col;
    }
  }
  pmem_jobs_.push_back(std::move(readback));
}

// SFP: each output sums the 9 kij psums at DESIGN.md's nij offsets.
void WsSequencer::add_accumulate(const WsPlan& plan, int band_index, int oc_tile) {
  const RowBand& band = plan.bands()[static_cast<std::size_t>(band_index)];
  const golden::LayerShape& shape = plan.shape();
  const int ic_tiles = plan.tiling().ic_tiles;
  PmemJob accumulate;
  accumulate.kind = PmemJob::Kind::Accumulate;
  accumulate.oc_tile = oc_tile;
  accumulate.band = band_index;
  accumulate.ic_tile = ic_tiles - 1;
  for (int oy = band.first_output_row; oy < band.end_output_row; ++oy) {
    for (int ox = 0; ox < shape.width; ++ox) {
      const int o_nij = oy * shape.width + ox;
      for (int kij = 0; kij < golden::kKijCount; ++kij) {
        PmemRead read;
        read.address = WsPlan::psum_address(band, kij, golden::nij_for(shape, o_nij, kij));
        read.first_term = kij == 0;
        if (kij == golden::kKijCount - 1) {
          read.expect.kind = Expectation::Kind::Output;
          read.expect.oc_tile = oc_tile;
          read.expect.ic_tiles = ic_tiles;
          read.expect.kij = kij;
          read.expect.o_nij = o_nij;
          read.expect.pmem_address = read.address;
          expected_outputs_ += array_.col;
        }
        accumulate.reads.push_back(read);
      }
    }
  }
  pmem_jobs_.push_back(std::move(accumulate));
}

bool WsSequencer::done() const {
  return reset_left_ == 0 && next_xmem_ == xmem_ops_.size() && next_pop_ == pop_ops_.size() &&
         pmem_job_ == pmem_jobs_.size() && !read_issued_last_cycle_ && !ofifo_.popping();
}

std::size_t WsSequencer::work_items() const {
  std::size_t items = xmem_ops_.size() + pop_ops_.size();
  for (const PmemJob& job : pmem_jobs_) {
    items += job.kind == PmemJob::Kind::Drain ? 2 * static_cast<std::size_t>(job.words)
                                              : job.reads.size() + 1;
  }
  return items;
}

long long WsSequencer::pops_before(std::uint64_t cycle) const {
  return pop_history_.at(cycle >= cycle_ ? 0 : cycle_ - cycle);
}

bool WsSequencer::try_xmem(Instruction& instruction, XmemWord& d_xmem) {
  if (next_xmem_ == xmem_ops_.size()) return false;
  const XmemOp& op = xmem_ops_[next_xmem_];
  if (op.write) {
    instruction.xmem_write(op.address);
    d_xmem = op.word;
    ++next_xmem_;
    return true;
  }
  // The word read now enters every L0 row at the next edge; row r only frees a slot at edge
  // t + 1 + r for an l0_rd at t (registered read enables), so count pops that have reached the
  // last row by then.
  const long long after_push = pushed_ + (read_issued_last_cycle_ ? 1 : 0) + 1;
  const std::uint64_t horizon = cycle_ + 1 >= static_cast<std::uint64_t>(array_.row)
                                    ? cycle_ + 1 - static_cast<std::uint64_t>(array_.row)
                                    : 0;
  if (after_push - pops_before(horizon) > options_.l0_depth) return false;
  instruction.xmem_read(op.address);
  ++next_xmem_;
  return true;
}

bool WsSequencer::try_pop(Instruction& instruction) {
  if (next_pop_ == pop_ops_.size()) return false;
  const PopOp& op = pop_ops_[next_pop_];
  const long long available = pushed_ - popped_;
  if (load_left_ > 0) {
    // Inside a kernel load: the col cycles must be consecutive, and all words were present
    // when it started.
    instruction.set(inst::kL0Rd).set(inst::kLoad);
    --load_left_;
  } else if (op.load) {
    const bool gap_ok = last_execute_cycle_ < 0 ||
                        static_cast<long long>(cycle_) - last_execute_cycle_ > options_.load_gap;
    if (available < array_.col || !gap_ok) return false;
    instruction.set(inst::kL0Rd).set(inst::kLoad);
    load_left_ = array_.col - 1;
  } else {
    if (available < 1 || executed_ - ofifo_popped_ >= options_.ofifo_depth) return false;
    instruction.set(inst::kL0Rd).set(inst::kExecute);
    in_flight_.push_back({op.oc_tile, op.band, op.ic_tile, op.kij, op.nij});
    ofifo_.expect_word(cycle_);
    ++executed_;
    last_execute_cycle_ = static_cast<long long>(cycle_);
  }
  ++next_pop_;
  return true;
}

bool WsSequencer::try_pmem(Instruction& instruction, Expectation& expect, Phase& phase) {
  if (pmem_job_ == pmem_jobs_.size()) return false;
  const PmemJob& job = pmem_jobs_[pmem_job_];
  const RowBand& band = plan_->bands()[static_cast<std::size_t>(job.band)];
  const auto finish_job = [this] {
    ++pmem_job_;
    pmem_step_ = 0;
  };
  switch (job.kind) {
    case PmemJob::Kind::Drain: {
      // ofifo_rd raised at t pops the head at edge t + 1, where this cycle's pmem write takes
      // it. Plain drain (ic_tile 0): ofifo_rd every cycle, one word per cycle. Read-add-write
      // (later ic tiles): read the old sum with ofifo_rd at t, write head + old sum at t + 1.
      phase = Phase::Drain;
      bool wrote = false;
      if (ofifo_.popping()) {
        const InFlight& front = in_flight_.front();
        const int address = WsPlan::psum_address(band, front.kij, front.nij);
        instruction.pmem_write(address);
        if (job.ic_tile > 0) instruction.set(inst::kPmemAcc);
        if (options_.psum_check == PsumCheck::Write) {
          // The word pmem takes at this edge: the sum over ic tiles 0..ic_tile of this psum.
          expect.kind = Expectation::Kind::Psum;
          expect.source = Expectation::Source::PmemWrite;
          expect.oc_tile = job.oc_tile;
          expect.ic_tiles = job.ic_tile + 1;
          expect.kij = front.kij;
          expect.nij = front.nij;
          expect.pmem_address = address;
        }
        in_flight_.pop_front();
        ofifo_.pop();
        ++ofifo_popped_;
        wrote = true;
      }
      const std::size_t requested = pmem_step_ + (wrote ? 1 : 0);
      if (requested < static_cast<std::size_t>(job.words) && ofifo_.can_request(cycle_) &&
          (job.ic_tile == 0 || !wrote)) {
        instruction.set(inst::kOfifoRd);
        if (job.ic_tile > 0) {
          const InFlight& next = in_flight_.front();
          instruction.pmem_read(WsPlan::psum_address(band, next.kij, next.nij));
        }
        ofifo_.request();
      }
      if (wrote && ++pmem_step_ == static_cast<std::size_t>(job.words)) finish_job();
      return wrote || ofifo_.popping();
    }
    case PmemJob::Kind::Readback:
    case PmemJob::Kind::Accumulate: {
      const bool readback = job.kind == PmemJob::Kind::Readback;
      phase = readback ? Phase::Readback : Phase::Accumulate;
      // Read at t, acc at t+1 (the SFP takes Q_pmem at that edge) while the next read goes
      // out: one psum per cycle.
      instruction.set(inst::kReluBypass, readback || !options_.relu ? 1 : 0);
      if (pmem_step_ < job.reads.size()) instruction.pmem_read(job.reads[pmem_step_].address);
      if (pmem_step_ > 0) {
        const PmemRead& previous = job.reads[pmem_step_ - 1];
        instruction.set(inst::kAcc);
        if (previous.first_term) instruction.set(inst::kSfpInit);
        expect = previous.expect;
      }
      if (++pmem_step_ == job.reads.size() + 1) finish_job();
      return true;
    }
  }
  return false;
}

SequencedCycle WsSequencer::next(const Observation& seen) {
  SequencedCycle out;
  pop_history_.push(popped_);
  if (begin_cycle(reset_left_, cycle_, ofifo_, options_.check_ofifo_valid, seen, out,
                  protocol_error_)) {
    return out;
  }
  Instruction instruction;
  const bool pushing = read_issued_last_cycle_;
  if (pushing) instruction.set(inst::kL0Wr);  // captures the xmem word read last cycle

  Phase pmem_phase = Phase::Load;
  const bool pmem_moved = try_pmem(instruction, out.expect, pmem_phase);
  const long long executed_before = executed_;
  const bool popped = try_pop(instruction);
  const bool xmem_moved = try_xmem(instruction, out.bus.d_xmem);
  const bool reading = xmem_moved && instruction.has(inst::kWenXmem);

  if (popped) {
    out.phase = executed_ > executed_before ? Phase::Execute : Phase::Load;
  } else if (xmem_moved && !reading) {
    out.phase = Phase::Load;  // writing xmem
  } else if (pmem_moved) {
    out.phase = pmem_phase;
  } else if (reading) {
    out.phase = Phase::Load;  // filling L0
  } else if (!in_flight_.empty()) {
    out.phase = Phase::Drain;  // psums still inside the array
  } else {
    out.phase = next_pop_ < pop_ops_.size() ? Phase::Load : pmem_phase;
  }
  out.progress = pushing || pmem_moved || popped || xmem_moved;
  out.bus.inst = instruction.bits();

  pushed_ += pushing ? 1 : 0;
  popped_ += popped ? 1 : 0;
  read_issued_last_cycle_ = reading;
  ++cycle_;
  return out;
}

std::string WsSequencer::position() const {
  if (next_pop_ < pop_ops_.size()) {
    const PopOp& op = pop_ops_[next_pop_];
    std::string where = fmt::format("oc_tile {} ic_tile {} kij {}", op.oc_tile, op.ic_tile, op.kij);
    if (plan_->bands().size() > 1) where += fmt::format(" band {}", op.band);
    return op.load ? where + " (kernel load)" : where + fmt::format(" nij {}", op.nij);
  }
  if (pmem_job_ < pmem_jobs_.size()) {
    const PmemJob& job = pmem_jobs_[pmem_job_];
    return fmt::format("oc_tile {} ic_tile {}", job.oc_tile, job.ic_tile);
  }
  return "the end of the layer";
}

std::string WsSequencer::waiting_for(const Observation& seen) const {
  if (pmem_job_ < pmem_jobs_.size()) {
    const PmemJob& job = pmem_jobs_[pmem_job_];
    if (job.kind == PmemJob::Kind::Drain) {
      std::string next;
      if (!in_flight_.empty()) {
        next = fmt::format(", next psum kij {} nij {}", in_flight_.front().kij,
                           in_flight_.front().nij);
      }
      return fmt::format("waiting for psum words in drain of oc_tile {} ic_tile {} ({} of {} "
                         "moved to pmem{}; ofifo_valid {})",
                         job.oc_tile, job.ic_tile, pmem_step_, job.words, next,
                         seen.ofifo_valid ? 1 : 0);
    }
  }
  if (next_pop_ < pop_ops_.size()) {
    const PopOp& op = pop_ops_[next_pop_];
    if (!op.load && executed_ - ofifo_popped_ >= options_.ofifo_depth) {
      return fmt::format("waiting for OFIFO space to execute {}", position());
    }
    return fmt::format("waiting for L0 data to {} {}", op.load ? "load" : "execute", position());
  }
  return fmt::format("waiting in {}", position());
}

}  // namespace tb
