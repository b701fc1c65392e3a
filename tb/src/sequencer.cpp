// Names of the phases a cycle is counted in.
#include "tb/sequencer.hpp"

namespace tb {

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::Reset: return "reset";
    case Phase::Load: return "load";
    case Phase::Execute: return "execute";
    case Phase::Drain: return "drain";
    case Phase::Readback: return "readback";
    case Phase::Accumulate: return "accumulate";
  }
  return "?";
}

bool begin_cycle(int& reset_left, std::uint64_t& cycle, const OfifoTracker& ofifo,
                 bool check_ofifo_valid, const Observation& seen, SequencedCycle& out,
                 std::string& protocol_error) {
  if (reset_left > 0) {
    --reset_left;
    out.bus.reset = true;
    out.phase = Phase::Reset;
    out.progress = true;
    ++cycle;
    return true;
  }
  if (check_ofifo_valid) protocol_error = ofifo.check_valid(cycle, seen.ofifo_valid);
  return !protocol_error.empty();
}

}  // namespace tb
