// One co-simulation run: inputs (generated or a vector set), golden model, Verilated core, scoreboard, summary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/core_driver.hpp"
#include "tb/course_sequencer.hpp"
#include "tb/report.hpp"
#include "tb/ws_sequencer.hpp"

namespace tb {

struct RunOptions {
  std::string model{golden::kDefaultModel};
  int layer = 27;
  std::uint64_t seed = 1;
  bool stress = false;  // generated inputs at the formats' corners (golden::Stimulus::Stress)
  std::string vectors;  // a vector-set folder instead of generated inputs
  // Generated inputs: a dataflow of the registry (tb/dataflow.hpp), or several joined by '-'
  // ("os-ws-os"); a set says its own.
  std::string dataflow = "ws";
  int array = 8;        // square array for generated inputs
  bool array_given = false;
  TraceOptions trace;
  std::string gtkw;      // GTKWave save file for the trace
  std::string stimulus;  // per-cycle stimulus export (reset, inst, D_xmem)
  std::string export_stimulus;  // folder of $readmemh files for tb/replay_tb.v
  std::uint64_t max_cycles = 0;  // 0: derived from the layer's size
  std::uint64_t stall_cycles = 10000;  // watchdog: cycles without any progress
  bool stop_on_first = false;
  bool idle_noise = false;  // deselected SRAM cycles carry WEN=0 and live addresses (see LoopLimits)
  std::vector<std::string> plusargs;  // +verilator+... for the VerilatedContext
  std::string rtl_variant;  // a mutation build of the core (checker tests), empty: the real one
  BusRecorder* recorder = nullptr;  // also sees every applied cycle (not owned; cosim_bench)
  WsSequencerOptions sequencer;
  // A user core (cosim --rtl): the course flow on bits 33..0 only (CourseSequencer) instead of
  // this core's extended schedule.
  bool course_flow = false;
  CoreProfile profile;
  CoursePsumCheck course_psum_check = CoursePsumCheck::Sfp;
};

// The array a run needs: the set's (meta.json or inferred) with --vectors, else the square
// --array. Throws like run_cosim for bad input.
golden::ArrayShape array_for(const RunOptions& options);

// Runs one layer and returns its summary (pass or fail with the reason). Throws
// golden::InputError for bad input files or parameters and UsageError for what this build
// or harness cannot run; both are the user's to fix (exit 2).
RunSummary run_cosim(const RunOptions& options);

}  // namespace tb
