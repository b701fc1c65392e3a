// The course-flow sequencer: reset, weights -> L0 -> load, execute, OFIFO -> pmem per kij; then the SFP sums 9 x ic_tiles words per output.
#include "tb/course_sequencer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "golden/ws_model.hpp"
#include "tb/errors.hpp"

namespace tb {

const char* to_string(CoursePsumCheck check) {
  switch (check) {
    case CoursePsumCheck::Sfp: return "sfp";
    case CoursePsumCheck::PmemPath: return "pmem-path";
    case CoursePsumCheck::None: return "none";
  }
  return "?";
}

CourseSequencer::CourseSequencer(const WsPlan& plan, const golden::ActivationTensor& activations,
                                 const CourseSequencerOptions& options)
    : options_(options),
      array_(plan.array()),
      shape_(plan.shape()),
      tiling_(plan.tiling()),
      plan_(&plan),
      activations_(&activations) {
  const CoreProfile& profile = options_.profile;
  read_delay_ = profile.sram_combinational ? 0 : 1;
  pop_delay_ = profile.ofifo_same_cycle ? 0 : 1;
  latency_ = profile.psum_latency > 0 ? profile.psum_latency : array_.row + array_.col;
  intermission_ = options_.intermission > 0 ? options_.intermission : array_.row + array_.col;
  // Band length: pmem holds 9 x ic_tiles words per output position; one kij executes one word
  // per position, all of which sit in L0 before the execute and in the OFIFO before the drain.
  const int per_position = golden::kKijCount * tiling_.ic_tiles;
  const int by_pmem = inst::kSramDepth / per_position;
  if (by_pmem < 1) {
    throw UsageError(fmt::format(
        "{} ic tiles need {} pmem words per output position in the course flow (no read-add-"
        "write), more than pmem's {}",
        tiling_.ic_tiles, per_position, inst::kSramDepth));
  }
  band_length_ = std::min({shape_.o_nij_count(), by_pmem, profile.fifo_depth});
  for (int first = 0; first < shape_.o_nij_count();) {
    CourseBand band;
    band.first_o_nij = first;
    band.first_nij = golden::nij_for(shape_, first, 0);
    while (band.count < band_length_ && first + band.count < shape_.o_nij_count()) {
      const int last = golden::nij_for(shape_, first + band.count, golden::kKijCount - 1);
      if (last - band.first_nij + 1 > inst::kXmemWeightBase) break;
      band.nij_span = last - band.first_nij + 1;
      ++band.count;
    }
    if (band.count == 0) {
      throw UsageError(fmt::format("one output position needs {} xmem words of activations, "
                                   "more than the {} below the weights",
                                   golden::nij_for(shape_, first, golden::kKijCount - 1) -
                                       band.first_nij + 1,
                                   inst::kXmemWeightBase));
    }
    bands_.push_back(band);
    first += band.count;
  }

  // What will be checked, and a cycle estimate for the default cycle limit.
  const long long positions = shape_.o_nij_count();
  const long long psum_words = positions * golden::kKijCount * tiling_.ic_tiles * tiling_.oc_tiles;
  if (options_.psum_check != CoursePsumCheck::None) expected_psums_ = psum_words * array_.col;
  expected_outputs_ = positions * tiling_.oc_tiles * array_.col;
  const long long per_kij = options_.reset_cycles + 1 + 2 * array_.col + read_delay_ +
                            intermission_ + read_delay_ + latency_ + options_.drain_margin + 1;
  const long long passes = static_cast<long long>(bands_.size()) * tiling_.oc_tiles *
                           tiling_.ic_tiles * golden::kKijCount;
  cycles_estimate_ = passes * per_kij + psum_words * 3 +
                     positions * tiling_.oc_tiles *
                         (options_.reset_cycles + 3 + per_position) +
                     (options_.psum_check == CoursePsumCheck::Sfp
                          ? psum_words * (options_.reset_cycles + 3 + read_delay_)
                          : 0) +
                     static_cast<long long>(bands_.size()) * tiling_.oc_tiles * tiling_.ic_tiles *
                         (golden::kKijCount * array_.col + inst::kXmemWeightBase);
}

int CourseSequencer::psum_address(int ic_tile, int kij, int k) const {
  return (ic_tile * golden::kKijCount + kij) * band_length_ + k;
}

Expectation CourseSequencer::psum_expectation(int band_index, int oc_tile, int ic_tile, int kij,
                                              int k) const {
  const CourseBand& band = bands_[static_cast<std::size_t>(band_index)];
  Expectation expect;
  expect.kind = Expectation::Kind::Psum;
  expect.oc_tile = oc_tile;
  expect.ic_tile = ic_tile;
  expect.band = band_index;
  expect.kij = kij;
  expect.nij = golden::nij_for(shape_, band.first_o_nij + k, kij);
  expect.o_nij = band.first_o_nij + k;
  expect.pmem_address = psum_address(ic_tile, kij, k);
  return expect;
}

XmemWord CourseSequencer::activation_word(int ic_tile, int nij) const {
  XmemWord word{};
  for (int r = 0; r < array_.row; ++r) {
    put_lane(word.data(), r, array_.bw, activations_->padded(ic_tile * array_.row + r, nij));
  }
  return word;
}

void CourseSequencer::label(std::string text) {
  labels_.push_back(std::move(text));
}

void CourseSequencer::emit(const Instruction& instruction, Phase phase, const Expectation& expect,
                           bool reset, const XmemWord& d_xmem) {
  Queued queued;
  queued.cycle.bus.reset = reset;
  queued.cycle.bus.inst = instruction.bits();
  queued.cycle.bus.d_xmem = d_xmem;
  queued.cycle.phase = phase;
  queued.cycle.expect = expect;
  queued.cycle.progress = true;  // the schedule is fixed: every cycle is planned work
  queued.block = first_label_ + labels_.size() - 1;
  queue_.push_back(queued);
}

// Reset re-arms the PEs, clears the FIFOs and the SFP's accumulator (DESIGN.md 3a).
void CourseSequencer::emit_reset() {
  for (int i = 0; i < options_.reset_cycles; ++i) emit(Instruction{}, Phase::Reset, {}, true);
  emit(Instruction{}, Phase::Reset);
}

void CourseSequencer::emit_relu(Instruction& instruction, bool on) const {
  if (options_.profile.relu == CoreProfile::Relu::Bit) {
    instruction.set(InstField{"relu", options_.profile.relu_bit, 1, false}, on ? 1 : 0);
  }
}

void CourseSequencer::kij_pass(int band_index, int oc_tile, int ic_tile, int kij) {
  const CourseBand& band = bands_[static_cast<std::size_t>(band_index)];
  const int n = band.count;
  label(fmt::format("band {} oc_tile {} ic_tile {} kij {}", band_index, oc_tile, ic_tile, kij));
  emit_reset();
  if (kij == 0) {
    // This pass's weights (9 kernels at 1024 + kij*col) and its activations (at 0).
    for (const XmemWrite& write : plan_->weight_writes(oc_tile, ic_tile)) {
      emit(Instruction{}.xmem_write(write.address), Phase::Load, {}, false, write.word);
    }
    for (int nij = band.first_nij; nij < band.first_nij + band.nij_span; ++nij) {
      emit(Instruction{}.xmem_write(nij - band.first_nij), Phase::Load, {}, false,
           activation_word(ic_tile, nij));
    }
  }
  // Weights into L0: l0_wr takes the word xmem shows read_delay_ cycles after its read.
  for (int t = 0; t < array_.col + read_delay_; ++t) {
    Instruction instruction;
    if (t < array_.col) instruction.xmem_read(plan_->weight_address(kij, t));
    if (t >= read_delay_) instruction.set(inst::kL0Wr);
    emit(instruction, Phase::Load);
  }
  for (int t = 0; t < array_.col; ++t) {
    emit(Instruction{}.set(inst::kL0Rd).set(inst::kLoad), Phase::Load);
  }
  for (int t = 0; t < intermission_; ++t) emit(Instruction{}, Phase::Load);
  // Activations: position k of the band reads padded nij_for(o_nij, kij).
  for (int t = 0; t < n + read_delay_; ++t) {
    Instruction instruction;
    if (t < n) {
      const int nij = golden::nij_for(shape_, band.first_o_nij + t, kij);
      instruction.xmem_read(nij - band.first_nij);
    }
    if (t >= read_delay_) instruction.set(inst::kL0Wr);
    emit(instruction, Phase::Load);
  }
  for (int t = 0; t < n; ++t) {
    emit(Instruction{}.set(inst::kL0Rd).set(inst::kExecute), Phase::Execute);
  }
  // The contract's cycle count, never ofifo_valid (some cores do not drive it).
  for (int t = 0; t < latency_ + options_.drain_margin; ++t) emit(Instruction{}, Phase::Drain);
  // OFIFO -> pmem: ofifo_rd pop_delay_ cycles before the write that stores the popped word.
  for (int t = 0; t < n + pop_delay_; ++t) {
    Instruction instruction;
    Expectation expect;
    if (t < n) instruction.set(inst::kOfifoRd);
    if (t >= pop_delay_) {
      const int k = t - pop_delay_;
      const int address = psum_address(ic_tile, kij, k);
      instruction.pmem_write(address);
      if (options_.psum_check == CoursePsumCheck::PmemPath) {
        expect = psum_expectation(band_index, oc_tile, ic_tile, kij, k);
        expect.source = Expectation::Source::PmemWrite;
      }
    }
    emit(instruction, Phase::Drain, expect);
  }
  emit(Instruction{}, Phase::Drain);
}

void CourseSequencer::readback(int band_index, int oc_tile) {
  const CourseBand& band = bands_[static_cast<std::size_t>(band_index)];
  label(fmt::format("band {} oc_tile {} psum readback through the SFP", band_index, oc_tile));
  const bool through_relu = options_.profile.relu == CoreProfile::Relu::Always;
  for (int ic_tile = 0; ic_tile < tiling_.ic_tiles; ++ic_tile) {
    for (int kij = 0; kij < golden::kKijCount; ++kij) {
      for (int k = 0; k < band.count; ++k) {
        emit_reset();
        const int address = psum_address(ic_tile, kij, k);
        for (int t = 0; t <= read_delay_; ++t) {
          Instruction instruction;
          emit_relu(instruction, false);
          if (t == 0) instruction.pmem_read(address);
          if (t == read_delay_) instruction.set(inst::kAcc);
          emit(instruction, Phase::Readback);
        }
        Expectation expect = psum_expectation(band_index, oc_tile, ic_tile, kij, k);
        expect.relu = through_relu;
        Instruction idle;
        emit_relu(idle, false);
        emit(idle, Phase::Readback, expect);
      }
    }
  }
}

void CourseSequencer::accumulate(int band_index, int oc_tile) {
  const CourseBand& band = bands_[static_cast<std::size_t>(band_index)];
  label(fmt::format("band {} oc_tile {} accumulation", band_index, oc_tile));
  const int terms = golden::kKijCount * tiling_.ic_tiles;
  for (int k = 0; k < band.count; ++k) {
    emit_reset();
    // Per output position: reset, then the 9 x ic_tiles reads with acc read_delay_ behind.
    for (int t = 0; t < terms + read_delay_; ++t) {
      Instruction instruction;
      emit_relu(instruction, options_.relu);
      if (t < terms) {
        const int ic_tile = t / golden::kKijCount;
        const int kij = t % golden::kKijCount;
        instruction.pmem_read(psum_address(ic_tile, kij, k));
      }
      if (t >= read_delay_) instruction.set(inst::kAcc);
      emit(instruction, Phase::Accumulate);
    }
    // Compared one edge after the last acc, as the course testbench does.
    Expectation expect;
    expect.kind = Expectation::Kind::Output;
    expect.oc_tile = oc_tile;
    expect.band = band_index;
    expect.ic_tiles = tiling_.ic_tiles;
    expect.o_nij = band.first_o_nij + k;
    Instruction idle;
    emit_relu(idle, options_.relu);
    emit(idle, Phase::Accumulate, expect);
  }
}

bool CourseSequencer::generate() {
  if (finished_) return false;
  Unit& u = unit_;
  if (u.stage == 0) {
    kij_pass(u.band, u.oc_tile, u.ic_tile, u.kij);
    if (++u.kij == golden::kKijCount) {
      u.kij = 0;
      if (++u.ic_tile == tiling_.ic_tiles) {
        u.ic_tile = 0;
        u.stage = options_.psum_check == CoursePsumCheck::Sfp ? 1 : 2;
      }
    }
    return true;
  }
  if (u.stage == 1) {
    readback(u.band, u.oc_tile);
    u.stage = 2;
    return true;
  }
  accumulate(u.band, u.oc_tile);
  u.stage = 0;
  if (++u.oc_tile == tiling_.oc_tiles) {
    u.oc_tile = 0;
    if (++u.band == static_cast<int>(bands_.size())) finished_ = true;
  }
  return true;
}

bool CourseSequencer::done() const { return queue_.empty() && finished_; }

SequencedCycle CourseSequencer::next(const Observation&) {
  if (queue_.empty() && !generate()) return SequencedCycle{};
  const Queued queued = queue_.front();
  queue_.pop_front();
  current_block_ = queued.block;
  while (first_label_ < current_block_ && !labels_.empty()) {
    labels_.pop_front();
    ++first_label_;
  }
  return queued.cycle;
}

std::string CourseSequencer::position() const {
  if (labels_.empty() || current_block_ < first_label_) return "the start of the layer";
  return labels_.front();
}

std::string CourseSequencer::waiting_for(const Observation&) const {
  return fmt::format("nothing: the course schedule is fixed (in {})", position());
}

std::vector<std::string> CourseSequencer::describe_checks() const {
  std::vector<std::string> lines;
  lines.push_back(fmt::format(
      "course flow (bits 33..0 only): {} band{} of up to {} output positions; per band, oc "
      "tile, ic tile and kij: reset, kernel load, execute, {} + {} cycles, OFIFO -> pmem; every "
      "ic tile's psums stay in pmem and the SFP sums {} words per output",
      bands_.size(), bands_.size() == 1 ? "" : "s", band_length_, latency_,
      options_.drain_margin, golden::kKijCount * tiling_.ic_tiles));
  lines.push_back(fmt::format("outputs: every sfp_out lane of every output position, compared "
                              "with the golden model's {} one edge after the last acc",
                              options_.relu ? "ReLU outputs" : "raw sums"));
  switch (options_.psum_check) {
    case CoursePsumCheck::Sfp:
      lines.push_back(fmt::format(
          "psums: every pmem word read back alone through the SFP (reset, one read, one acc){}",
          options_.profile.relu == CoreProfile::Relu::Always
              ? "; this core always applies ReLU, so negative psums are checked only as 0"
              : ""));
      break;
    case CoursePsumCheck::PmemPath:
      lines.push_back(fmt::format("psums: every pmem word as written, read from {}",
                                  options_.profile.pmem_path));
      break;
    case CoursePsumCheck::None:
      lines.push_back("psums: not checked (--psum-check none)");
      break;
  }
  return lines;
}

}  // namespace tb

namespace tb {

std::string diagnose_course_failure(const std::vector<Mismatch>& mismatches,
                                    const golden::WsResult& golden, const CoreProfile& profile,
                                    bool relu) {
  if (mismatches.empty()) return "";
  const golden::LayerShape& shape = golden.shape;
  int psums = 0, one_low = 0, one_high = 0;
  int outputs = 0, clamped = 0, raw = 0;
  for (const Mismatch& m : mismatches) {
    const Expectation& at = m.place;
    if (at.kind == Expectation::Kind::Psum && at.ic_tile >= 0) {
      const auto value = [&](int o_nij) -> std::int64_t {
        const std::int64_t psum = golden.psum.at(at.ic_tile, at.oc_tile, at.kij,
                                                 golden::nij_for(shape, o_nij, at.kij), m.column);
        return at.relu && psum < 0 ? 0 : psum;
      };
      ++psums;
      const std::int64_t raw_psum = golden.psum.at(at.ic_tile, at.oc_tile, at.kij, at.nij, m.column);
      if (at.relu && m.expected == 0 && m.got < 0 && m.got == raw_psum) ++raw;
      if (at.o_nij + 1 < shape.o_nij_count() && m.got == value(at.o_nij + 1)) ++one_low;
      if (at.o_nij > 0 && m.got == value(at.o_nij - 1)) ++one_high;
    } else if (at.kind == Expectation::Kind::Output) {
      ++outputs;
      const int oc = at.oc_tile * golden.array.col + m.column;
      if (oc >= shape.out_ch) continue;
      if (!relu && m.expected < 0 && m.got == 0) ++clamped;
      if (relu && m.got == golden.sum.at(oc, at.o_nij)) ++raw;
    }
  }
  const Mismatch& first = mismatches.front();
  const std::string where = fmt::format("first at cycle {}, sfp_out column {}", first.cycle,
                                        first.column);
  const auto most = [](int count, int of) { return of >= 2 && count * 5 >= of * 4; };
  if (most(one_low, psums)) {
    return fmt::format(
        "contract item OFIFO read (DESIGN.md 3a): pmem word n holds psum n+1, so the core pops "
        "at the edge of ofifo_rd itself, one cycle early{}; profile ofifo_pop: same_cycle ({})",
        profile.ofifo_same_cycle ? " even for ofifo_pop same_cycle" : "", where);
  }
  if (most(one_high, psums)) {
    return fmt::format(
        "contract item OFIFO read (DESIGN.md 3a): pmem word n holds psum n-1, so the core pops "
        "one cycle later than the profile's ofifo_pop {} assumes; profile ofifo_pop: course ({})",
        profile.ofifo_pop_text(), where);
  }
  if (psums == 0 && most(clamped, outputs)) {
    return fmt::format("contract item ReLU (DESIGN.md 3a): sfp_out is clamped at 0 where raw sums "
                       "are negative, so the core applies ReLU; profile relu: always ({})",
                       where);
  }
  if (most(raw, psums + outputs)) {
    return fmt::format("contract item ReLU (DESIGN.md 3a): sfp_out shows the raw sums, negative "
                       "ones too, so the core does not apply ReLU; profile relu: never ({})",
                       where);
  }
  if (psums > 0) {
    return fmt::format(
        "contract items SRAM read / L0 / PE timing (DESIGN.md 3a): the psums themselves are "
        "wrong ({}); check sram_read (now {}) and psum_latency (now {}); `cosim probe-core --rtl "
        "DIR` tries each",
        where, profile.sram_read_text(),
        profile.psum_latency == 0 ? std::string("row+col") : std::to_string(profile.psum_latency));
  }
  return fmt::format("contract item SFP (DESIGN.md 3a): psums are right but the accumulated "
                     "outputs are not ({}); check that acc adds pmem's Q one cycle after its "
                     "read and that reset clears the accumulator",
                     where);
}

}  // namespace tb
