// Reading a waveform's signal list and writing a GTKWave save file that groups the core's signals readably.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/catalog.hpp"

namespace tb {

// One $var of a VCD header, named the way GTKWave names it ("TOP.core.inst[38:0]").
struct TraceSignal {
  std::string scope;  // "TOP.core.u_corelet"
  std::string name;   // "inst"
  std::string range;  // "[38:0]", empty for one bit
  int width = 1;

  std::string full_name() const { return scope + "." + name + range; }
};

struct TraceContents {
  std::vector<TraceSignal> signals;
  std::vector<std::uint64_t> times;  // every #time stamp, in file order (VCD only)
};

// Reads a VCD (header and time stamps), or an FST's header through fst2vcd. Throws
// std::runtime_error naming the file when it cannot be read.
TraceContents read_trace(const std::string& path, bool with_times = true);

// Writes a .gtkw for `trace_path`: clock and reset; the instruction bus split into its named
// fields; xmem and pmem data; the L0 and OFIFO handshakes; the array's west, north and south
// edges; the SFP and sfp_out one signed column each. Uses the names found in the trace.
// With marker_time >= 0, GTKWave's primary marker sits at that time (e.g. a first mismatch).
void write_gtkw(const std::string& gtkw_path, const std::string& trace_path,
                const golden::ArrayShape& array, std::int64_t marker_time = -1);

}  // namespace tb
