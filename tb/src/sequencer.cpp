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

}  // namespace tb
