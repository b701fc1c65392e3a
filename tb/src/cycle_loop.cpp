// The clock loop with its watchdog: what the harness does every cycle, and how it stops.
#include "tb/cycle_loop.hpp"

#include <fmt/format.h>

namespace tb {

LoopResult run_cycles(CoreDriver& core, Sequencer& sequencer, Scoreboard& scoreboard,
                      const LoopLimits& limits) {
  LoopResult result;
  Observation seen;
  SfpWord sfp_out{};
  std::uint64_t stalled = 0;
  Phase phase = Phase::Reset;
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
    core.step(step.bus);
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
  // Every executed nij has been moved to pmem: nothing may appear in the OFIFO any more.
  const int settle = core.array().row + core.array().col + 4;
  for (int i = 0; i < settle; ++i) {
    core.step(BusCycle{});
    ++result.phase_cycles[static_cast<std::size_t>(Phase::Drain)];
    if (core.ofifo_valid()) {
      result.failure = fmt::format(
          "the OFIFO holds a psum word at cycle {} after every executed nij was moved to pmem",
          core.cycle() - 1);
      return result;
    }
    if (core.rtl_error()) {
      result.failure = fmt::format("the RTL reported an error at cycle {} after the layer",
                                   core.cycle() - 1);
      return result;
    }
  }
  return result;
}

}  // namespace tb
