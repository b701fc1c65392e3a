// The clock loop: sequencer -> core -> scoreboard, one cycle at a time, with the cycle limit and the no-progress watchdog.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "tb/core_driver.hpp"
#include "tb/scoreboard.hpp"
#include "tb/sequencer.hpp"

namespace tb {

struct LoopLimits {
  std::uint64_t max_cycles = 0;        // total cycles including reset; 0: no limit
  std::uint64_t stall_cycles = 10000;  // cycles in a row without any progress
  bool stop_on_first = false;          // stop at the first mismatching value
  // In every cycle that leaves an SRAM deselected (CEN=1), drive it as a careless master
  // would: WEN=0 (xmem: every cycle; pmem: every other one), the address it last used and, for
  // xmem, that word's data inverted. A core that honours CEN must ignore all of it.
  bool idle_noise = false;
};

struct LoopResult {
  std::string failure;  // empty when the layer ran to its end (mismatches are in the scoreboard)
  std::array<std::uint64_t, kPhaseCount> phase_cycles{};
};

// Runs the sequencer's whole layer on the core, checking each tagged sfp_out value, then a few
// idle cycles in which the OFIFO must stay empty. Stops early on a hang (watchdog), the cycle
// limit, an RTL error or a protocol violation, and says where.
LoopResult run_cycles(CoreDriver& core, Sequencer& sequencer, Scoreboard& scoreboard,
                      const LoopLimits& limits);

}  // namespace tb
