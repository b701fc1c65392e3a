// The end-of-run summary: printed table, JSON report and the PASS/FAIL line scripts rely on.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/sequencer.hpp"

namespace tb {

struct RunSummary {
  std::string layer_name;  // "vgg16_sq8 features[27]" or "vector set jaco-part3"
  std::string source;      // "generated, seed 1" or the set folder
  golden::ArrayShape array;
  golden::LayerShape shape;
  golden::Tiling tiling;
  int bands = 1;
  // The dataflows run, as --dataflow spells them: "ws", "os", "os-ws-os" (tb/dataflow.hpp)
  std::string dataflow = "ws";
  int os_passes = 0;            // output-stationary (pixel group, oc_tile) passes

  bool pass = false;
  std::string failure;  // why the run failed (first mismatch, hang, file defect, RTL error)
  std::vector<std::string> mismatch_lines;  // the first mismatches, described
  long long first_mismatch_cycle = -1;      // cycle of the first mismatch, -1 when none
  std::vector<std::string> notes;           // known file defects, wrapping, ...
  std::vector<std::string> file_errors;     // undeclared disagreements of the set's files

  long long psums = 0;    // psum values checked against the golden model
  long long outputs = 0;  // sfp_out values checked
  long long expected_psums = 0;
  long long expected_outputs = 0;
  long long mismatches = 0;
  long long psum_mismatches = 0;    // of mismatches: psums read back from pmem
  long long output_mismatches = 0;  // of mismatches: outputs after the SFP
  long long file_values_checked = 0;  // psum/out values of the set's own files
  long long file_disagreements = 0;   // undeclared ones
  long long known_defects = 0;        // declared ones found

  std::uint64_t cycles = 0;
  std::array<std::uint64_t, kPhaseCount> phase_cycles{};
  long long useful_macs = 0;
  double wall_ms = 0;  // whole run: files, golden model, simulation
  double sim_ms = 0;   // the clock loop only
  std::string trace_path;

  double mac_utilization() const;
  double cycles_per_second() const;
};

// The human summary (fmt table) to `out`.
void print_summary(std::FILE* out, const RunSummary& summary);
// "PASS psums=2592 outputs=128 mismatches=0 cycles=1003 wall_ms=4.1 ..." (always the last line).
std::string final_line(const RunSummary& summary);
// The JSON report (`cosim --report`): the one schema its writer and every reader go through.
// to_json also writes the derived mac_utilization and cycles_per_second; from_json throws
// nlohmann::json::exception for a missing or mistyped key.
void to_json(nlohmann::json& json, const RunSummary& summary);
void from_json(const nlohmann::json& json, RunSummary& summary);
// Writes / reads that file. Throw std::runtime_error naming the file when it cannot be
// written, or cannot be read as a report.
void write_json_report(const std::string& path, const RunSummary& summary);
RunSummary read_json_report(const std::string& path);
// That JSON as text, and back: every field of the summary survives the trip (how a layer run in
// a worker process hands its result to `cosim --layer all`). summary_from_json throws
// nlohmann's exceptions (std::exception) on text that is not such a report.
std::string json_report(const RunSummary& summary);
RunSummary summary_from_json(const std::string& text);

// A whole model's figures (`cosim --layer all --report FILE`).
struct WholeModelTotals {
  bool pass = false;
  std::string model;
  golden::ArrayShape array;
  std::uint64_t cycles = 0;
  double wall_ms = 0;
  int jobs = 1;
  std::string psum_check;
};
// {"result", "model", "array", "layer_count", "cycles", "wall_ms", "jobs", "psum_check",
// "layers": [one report per layer, as above, in catalog order]}.
void write_json_report(const std::string& path, const std::vector<RunSummary>& layers,
                       const WholeModelTotals& totals);

}  // namespace tb
