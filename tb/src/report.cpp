// Formats a run's result: the summary table, the key=value final line and the JSON report.
#include "tb/report.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tb {

double RunSummary::mac_utilization() const {
  const double capacity = static_cast<double>(array.row) * array.col * static_cast<double>(cycles);
  return capacity > 0 ? static_cast<double>(useful_macs) / capacity : 0.0;
}

double RunSummary::cycles_per_second() const {
  return sim_ms > 0 ? static_cast<double>(cycles) / (sim_ms / 1000.0) : 0.0;
}

void print_summary(std::FILE* out, const RunSummary& s) {
  fmt::print(out, "{} on a {}x{} array ({})\n", s.layer_name, s.array.row, s.array.col, s.source);
  if (s.dataflow == "os") {
    fmt::print(out, "  layer      {}->{} channels, {}x{} map, output-stationary: {} passes (pixel "
               "group x oc_tile) of {} steps\n",
               s.shape.in_ch, s.shape.out_ch, s.shape.height, s.shape.width, s.os_passes,
               s.shape.in_ch * 9);
  } else {
    fmt::print(out, "  layer      {}->{} channels, {}x{} map, {} nij, {} ic x {} oc tiles{}\n",
               s.shape.in_ch, s.shape.out_ch, s.shape.height, s.shape.width, s.shape.nij_count(),
               s.tiling.ic_tiles, s.tiling.oc_tiles,
               s.bands > 1 ? fmt::format(", {} row bands", s.bands) : std::string());
  }
  fmt::print(out, "  psums      {} of {} checked\n", s.psums, s.expected_psums);
  fmt::print(out, "  outputs    {} of {} checked\n", s.outputs, s.expected_outputs);
  fmt::print(out, "  mismatches {} ({} psums, {} outputs)\n", s.mismatches, s.psum_mismatches,
             s.output_mismatches);
  if (s.file_values_checked > 0) {
    fmt::print(out, "  files      {} psum/out values of the set checked, {} disagree ({} declared)\n",
               s.file_values_checked, s.file_disagreements + s.known_defects, s.known_defects);
  }
  fmt::print(out, "  cycles     {} total", s.cycles);
  for (int p = 0; p < kPhaseCount; ++p) {
    fmt::print(out, ", {} {}", to_string(static_cast<Phase>(p)), s.phase_cycles[static_cast<std::size_t>(p)]);
  }
  fmt::print(out, "\n");
  fmt::print(out, "  MACs       {} useful, utilization {:.1f}% of {}x{}x{} cycles\n", s.useful_macs,
             100.0 * s.mac_utilization(), s.array.row, s.array.col, s.cycles);
  fmt::print(out, "  speed      {:.2f} ms wall, {:.2f} ms simulating, {:.0f} cycles/s\n", s.wall_ms,
             s.sim_ms, s.cycles_per_second());
  if (!s.trace_path.empty()) fmt::print(out, "  waveform   {}\n", s.trace_path);
  for (const std::string& note : s.notes) fmt::print(out, "note: {}\n", note);
  for (const std::string& line : s.file_errors) fmt::print(out, "file defect: {}\n", line);
  for (const std::string& line : s.mismatch_lines) fmt::print(out, "mismatch: {}\n", line);
  if (s.mismatches > static_cast<long long>(s.mismatch_lines.size())) {
    fmt::print(out, "mismatch: ... and {} more\n",
               s.mismatches - static_cast<long long>(s.mismatch_lines.size()));
  }
  if (!s.failure.empty()) fmt::print(out, "error: {}\n", s.failure);
}

std::string final_line(const RunSummary& s) {
  std::string line = fmt::format(
      "{} psums={} outputs={} mismatches={} cycles={} wall_ms={:.2f} sim_ms={:.2f} "
      "cycles_per_s={:.0f} mac_util={:.3f} file_defects={} known_defects={}",
      s.pass ? "PASS" : "FAIL", s.psums, s.outputs, s.mismatches, s.cycles, s.wall_ms, s.sim_ms,
      s.cycles_per_second(), s.mac_utilization(), s.file_disagreements, s.known_defects);
  for (int p = 0; p < kPhaseCount; ++p) {
    line += fmt::format(" {}={}", to_string(static_cast<Phase>(p)),
                        s.phase_cycles[static_cast<std::size_t>(p)]);
  }
  return line;
}

namespace {

nlohmann::json report_of(const RunSummary& s) {
  nlohmann::json phases = nlohmann::json::object();
  for (int p = 0; p < kPhaseCount; ++p) {
    phases[to_string(static_cast<Phase>(p))] = s.phase_cycles[static_cast<std::size_t>(p)];
  }
  return {
      {"result", s.pass ? "PASS" : "FAIL"},
      {"layer", s.layer_name},
      {"source", s.source},
      {"array", {{"row", s.array.row}, {"col", s.array.col}, {"bw", s.array.bw},
                 {"psum_bw", s.array.psum_bw}}},
      {"shape", {{"in_ch", s.shape.in_ch}, {"out_ch", s.shape.out_ch},
                 {"height", s.shape.height}, {"width", s.shape.width}}},
      {"tiles", {{"ic", s.tiling.ic_tiles}, {"oc", s.tiling.oc_tiles}}},
      {"row_bands", s.bands},
      {"dataflow", s.dataflow},
      {"os_passes", s.os_passes},
      {"psums", s.psums},
      {"outputs", s.outputs},
      {"expected_psums", s.expected_psums},
      {"expected_outputs", s.expected_outputs},
      {"mismatches", s.mismatches},
      {"psum_mismatches", s.psum_mismatches},
      {"output_mismatches", s.output_mismatches},
      {"mismatch_details", s.mismatch_lines},
      {"file_values_checked", s.file_values_checked},
      {"file_defects", s.file_disagreements},
      {"file_defect_details", s.file_errors},
      {"known_defects", s.known_defects},
      {"notes", s.notes},
      {"failure", s.failure},
      {"cycles", s.cycles},
      {"phase_cycles", phases},
      {"useful_macs", s.useful_macs},
      {"mac_utilization", s.mac_utilization()},
      {"wall_ms", s.wall_ms},
      {"sim_ms", s.sim_ms},
      {"cycles_per_second", s.cycles_per_second()},
      {"trace", s.trace_path},
  };
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  if (!file) {
    throw std::runtime_error(
        fmt::format("{}: cannot write the JSON report: {}", path, std::strerror(errno)));
  }
  file << text;
  if (!file.flush()) throw std::runtime_error(fmt::format("{}: writing the JSON report failed", path));
}

}  // namespace

std::string json_report(const RunSummary& summary) { return report_of(summary).dump(2); }

RunSummary summary_from_json(const std::string& text) {
  const nlohmann::json report = nlohmann::json::parse(text);
  RunSummary s;
  s.pass = report.at("result") == "PASS";
  s.layer_name = report.at("layer");
  s.source = report.at("source");
  const nlohmann::json& array = report.at("array");
  s.array = golden::ArrayShape{array.at("row").get<int>(), array.at("col").get<int>(),
                              array.at("bw").get<int>(), array.at("psum_bw").get<int>()};
  const nlohmann::json& shape = report.at("shape");
  s.shape.in_ch = shape.at("in_ch");
  s.shape.out_ch = shape.at("out_ch");
  s.shape.height = shape.at("height");
  s.shape.width = shape.at("width");
  s.tiling.ic_tiles = report.at("tiles").at("ic");
  s.tiling.oc_tiles = report.at("tiles").at("oc");
  s.bands = report.at("row_bands");
  s.dataflow = report.at("dataflow");
  s.os_passes = report.at("os_passes");
  s.psums = report.at("psums");
  s.outputs = report.at("outputs");
  s.expected_psums = report.at("expected_psums");
  s.expected_outputs = report.at("expected_outputs");
  s.mismatches = report.at("mismatches");
  s.psum_mismatches = report.at("psum_mismatches");
  s.output_mismatches = report.at("output_mismatches");
  s.mismatch_lines = report.at("mismatch_details").get<std::vector<std::string>>();
  s.file_values_checked = report.at("file_values_checked");
  s.file_disagreements = report.at("file_defects");
  s.file_errors = report.at("file_defect_details").get<std::vector<std::string>>();
  s.known_defects = report.at("known_defects");
  s.notes = report.at("notes").get<std::vector<std::string>>();
  s.failure = report.at("failure");
  s.cycles = report.at("cycles");
  for (int p = 0; p < kPhaseCount; ++p) {
    s.phase_cycles[static_cast<std::size_t>(p)] =
        report.at("phase_cycles").at(to_string(static_cast<Phase>(p)));
  }
  s.useful_macs = report.at("useful_macs");
  s.wall_ms = report.at("wall_ms");
  s.sim_ms = report.at("sim_ms");
  s.trace_path = report.at("trace");
  return s;
}

void write_json_report(const std::string& path, const RunSummary& s) {
  write_text(path, report_of(s).dump(2) + '\n');
}

void write_json_report(const std::string& path, const std::vector<RunSummary>& layers,
                       const WholeModelTotals& totals) {
  nlohmann::json reports = nlohmann::json::array();
  for (const RunSummary& layer : layers) reports.push_back(report_of(layer));
  const nlohmann::json report = {
      {"result", totals.pass ? "PASS" : "FAIL"},
      {"model", totals.model},
      {"array", {{"row", totals.array.row}, {"col", totals.array.col}}},
      {"layer_count", layers.size()},
      {"cycles", totals.cycles},
      {"wall_ms", totals.wall_ms},
      {"jobs", totals.jobs},
      {"psum_check", totals.psum_check},
      {"layers", reports},
  };
  write_text(path, report.dump(2) + '\n');
}

}  // namespace tb
