// The clock loop with its watchdog: what the harness does every cycle, and how it stops.
#include "tb/cycle_loop.hpp"

#include <fmt/format.h>

#include "tb/bus.hpp"

namespace tb {

namespace {

// --idle-noise: while xmem or pmem is deselected, its address, data and write enable carry
// noise (the last address used, inverted data, a toggling write enable) that a correct core
// ignores.
class IdleNoise {
 public:
  BusCycle apply(BusCycle bus, std::uint64_t cycle) {
    if (inst::get(bus.inst, inst::kCenXmem) != 0) {
      bus.inst = inst::with(bus.inst, inst::kWenXmem, 0);
      bus.inst = inst::with(bus.inst, inst::kAXmem, last_xmem_address_);
      for (std::size_t w = 0; w < bus.d_xmem.size(); ++w) bus.d_xmem[w] = ~last_xmem_data_[w];
    } else {
      last_xmem_address_ = inst::get(bus.inst, inst::kAXmem);
      if (inst::get(bus.inst, inst::kWenXmem) == 0) last_xmem_data_ = bus.d_xmem;
    }
    if (inst::get(bus.inst, inst::kCenPmem) != 0) {
      bus.inst = inst::with(bus.inst, inst::kWenPmem, cycle % 2);
      bus.inst = inst::with(bus.inst, inst::kAPmem, last_pmem_address_);
    } else {
      last_pmem_address_ = inst::get(bus.inst, inst::kAPmem);
    }
    return bus;
  }
  std::uint64_t last_pmem_address() const { return last_pmem_address_; }

 private:
  std::uint64_t last_xmem_address_ = 0;
  std::uint64_t last_pmem_address_ = 0;
  XmemWord last_xmem_data_{};
};

// Every executed nij has been moved to pmem: nothing may appear in the OFIFO any more. The
// SFP's sums change only at an edge with acc, so sfp_out must hold through these idle cycles.
// Returns the failure, or "".
std::string settle_after_layer(CoreDriver& core, LoopResult& result) {
  const int settle = core.array().row + core.array().col + 4;
  SfpWord held{};
  SfpWord now{};
  core.read_sfp_out(held);
  for (int i = 0; i < settle; ++i) {
    core.step(BusCycle{});
    ++result.phase_cycles[static_cast<std::size_t>(Phase::Drain)];
    if (core.ofifo_valid()) {
      return fmt::format(
          "the OFIFO holds a psum word at cycle {} after every executed nij was moved to pmem",
          core.cycle() - 1);
    }
    if (core.rtl_error()) {
      return fmt::format("the RTL reported an error at cycle {} after the layer",
                         core.cycle() - 1);
    }
    core.read_sfp_out(now);
    if (now != held) {
      return fmt::format(
          "sfp_out changed at cycle {} after the layer without an acc (the SFP must hold its sums "
          "between accumulates)",
          core.cycle() - 1);
    }
  }
  return {};
}

// pmem's Q must hold the registered word while pmem is deselected: read the last address
// used, leave pmem deselected for a cycle with another address (holding another word) on A,
// then take Q into the SFP and compare it with the word in the memory. Returns the failure,
// or "".
std::string check_pmem_holds_q(CoreDriver& core, int address, LoopResult& result) {
  SfpWord word{};
  SfpWord other_word{};
  core.read_pmem(address, word);
  int other = (address + 1) % inst::kSramDepth;
  for (int i = 0; i < inst::kSramDepth; ++i, other = (other + 1) % inst::kSramDepth) {
    core.read_pmem(other, other_word);
    if (other_word != word) break;
  }
  BusCycle bus;
  bus.inst = Instruction().pmem_read(address).bits();
  core.step(bus);
  bus.inst = Instruction().set(inst::kAPmem, static_cast<std::uint64_t>(other)).bits();
  core.step(bus);
  bus.inst = Instruction()
                 .set(inst::kAPmem, static_cast<std::uint64_t>(other))
                 .set(inst::kAcc)
                 .set(inst::kSfpInit)
                 .set(inst::kReluBypass)
                 .bits();
  core.step(bus);
  result.phase_cycles[static_cast<std::size_t>(Phase::Drain)] += 3;
  SfpWord now{};
  core.read_sfp_out(now);
  if (now != word) {
    return fmt::format(
        "pmem Q did not hold the word of address {} through a deselected cycle with address {} "
        "on A (cycle {})",
        address, other, core.cycle() - 1);
  }
  return {};
}

}  // namespace

LoopResult run_cycles(CoreDriver& core, Sequencer& sequencer, Scoreboard& scoreboard,
                      const LoopLimits& limits) {
  LoopResult result;
  Observation seen;
  SfpWord sfp_out{};
  std::uint64_t stalled = 0;
  Phase phase = Phase::Reset;
  IdleNoise noise;
  while (!sequencer.done()) {
    if (limits.max_cycles != 0 && core.cycle() >= limits.max_cycles) {
      result.failure = fmt::format("cycle limit: {} cycles reached in {} of {} (--max-cycles)",
                                   limits.max_cycles, to_string(phase), sequencer.position());
      return result;
    }
    // Decide from what was seen after the previous edge, apply, then look after this edge.
    const SequencedCycle step = sequencer.next(seen);
    if (!sequencer.protocol_error().empty()) {
      result.failure = fmt::format("at cycle {}: {}", core.cycle(), sequencer.protocol_error());
      return result;
    }
    const std::uint64_t cycle = core.cycle();
    if (limits.idle_noise) {
      core.step(noise.apply(step.bus, cycle));
    } else {
      core.step(step.bus);
    }
    phase = step.phase;
    ++result.phase_cycles[static_cast<std::size_t>(step.phase)];
    if (core.rtl_error()) {
      result.failure = fmt::format(
          "the RTL reported an error ($error, $fatal or a failed assertion, printed above) at "
          "cycle {} in {} of {}",
          cycle, to_string(step.phase), sequencer.position());
      return result;
    }
    seen.ofifo_valid = core.ofifo_valid();
    if (step.expect.kind != Expectation::Kind::None) {
      if (step.expect.source == Expectation::Source::PmemWrite) {
        core.read_pmem(step.expect.pmem_address, sfp_out);
      } else {
        core.read_sfp_out(sfp_out);
      }
      scoreboard.check(step.expect, sfp_out, cycle);
      if (limits.stop_on_first && scoreboard.mismatch_count() > 0) return result;
    }
    stalled = step.progress ? 0 : stalled + 1;
    if (stalled >= limits.stall_cycles) {
      result.failure = fmt::format("watchdog: no progress for {} cycles: {}", stalled,
                                   sequencer.waiting_for(seen));
      return result;
    }
  }
  result.failure = settle_after_layer(core, result);
  if (result.failure.empty() && limits.idle_noise) {
    result.failure =
        check_pmem_holds_q(core, static_cast<int>(noise.last_pmem_address()), result);
  }
  return result;
}

}  // namespace tb
