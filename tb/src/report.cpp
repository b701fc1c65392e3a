// Formats a run's result: the summary table, the key=value final line and the JSON report.
#include "tb/report.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tb/dataflow.hpp"
#include "tb/errors.hpp"

namespace tb {

double RunSummary::mac_utilization() const {
  const double capacity = static_cast<double>(array.row) * array.col * static_cast<double>(cycles);
  return capacity > 0 ? static_cast<double>(useful_macs) / capacity : 0.0;
}

double RunSummary::cycles_per_second() const {
  return sim_ms > 0 ? static_cast<double>(cycles) / (sim_ms / 1000.0) : 0.0;
}

namespace {

// The "layer" line of each dataflow the run used, as that dataflow describes the layer.
void print_layer_lines(std::FILE* out, const RunSummary& s) {
  std::vector<const DataflowStrategy*> used;
  try {
    used = dataflow_sequence(s.dataflow);
  } catch (const UsageError&) {
    fmt::print(out, "  layer      {}->{} channels, {}x{} map, dataflow {}\n", s.shape.in_ch,
               s.shape.out_ch, s.shape.height, s.shape.width, s.dataflow);
    return;
  }
  std::vector<const DataflowStrategy*> described;
  for (const DataflowStrategy* dataflow : used) {
    if (std::find(described.begin(), described.end(), dataflow) != described.end()) continue;
    described.push_back(dataflow);
    fmt::print(out, "  layer      {}\n", dataflow->describe_layer(s));
  }
}

}  // namespace

void print_summary(std::FILE* out, const RunSummary& s) {
  fmt::print(out, "{} on a {}x{} array ({})\n", s.layer_name, s.array.row, s.array.col, s.source);
  print_layer_lines(out, s);
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

void to_json(nlohmann::json& json, const RunSummary& s) {
  nlohmann::json phases = nlohmann::json::object();
  for (int p = 0; p < kPhaseCount; ++p) {
    phases[to_string(static_cast<Phase>(p))] = s.phase_cycles[static_cast<std::size_t>(p)];
  }
  json = {
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

void from_json(const nlohmann::json& json, RunSummary& s) {
  s.pass = json.at("result").get<std::string>() == "PASS";
  json.at("layer").get_to(s.layer_name);
  json.at("source").get_to(s.source);
  const nlohmann::json& array = json.at("array");
  s.array = golden::ArrayShape{array.at("row").get<int>(), array.at("col").get<int>(),
                               array.at("bw").get<int>(), array.at("psum_bw").get<int>()};
  const nlohmann::json& shape = json.at("shape");
  s.shape = golden::LayerShape{shape.at("in_ch").get<int>(), shape.at("out_ch").get<int>(),
                               shape.at("height").get<int>(), shape.at("width").get<int>()};
  s.tiling = golden::Tiling{json.at("tiles").at("ic").get<int>(),
                            json.at("tiles").at("oc").get<int>()};
  json.at("row_bands").get_to(s.bands);
  json.at("dataflow").get_to(s.dataflow);
  json.at("os_passes").get_to(s.os_passes);
  json.at("psums").get_to(s.psums);
  json.at("outputs").get_to(s.outputs);
  json.at("expected_psums").get_to(s.expected_psums);
  json.at("expected_outputs").get_to(s.expected_outputs);
  json.at("mismatches").get_to(s.mismatches);
  json.at("psum_mismatches").get_to(s.psum_mismatches);
  json.at("output_mismatches").get_to(s.output_mismatches);
  json.at("mismatch_details").get_to(s.mismatch_lines);
  json.at("file_values_checked").get_to(s.file_values_checked);
  json.at("file_defects").get_to(s.file_disagreements);
  json.at("file_defect_details").get_to(s.file_errors);
  json.at("known_defects").get_to(s.known_defects);
  json.at("notes").get_to(s.notes);
  json.at("failure").get_to(s.failure);
  json.at("cycles").get_to(s.cycles);
  for (int p = 0; p < kPhaseCount; ++p) {
    json.at("phase_cycles")
        .at(to_string(static_cast<Phase>(p)))
        .get_to(s.phase_cycles[static_cast<std::size_t>(p)]);
  }
  json.at("useful_macs").get_to(s.useful_macs);
  json.at("wall_ms").get_to(s.wall_ms);
  json.at("sim_ms").get_to(s.sim_ms);
  json.at("trace").get_to(s.trace_path);
}

namespace {

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

std::string json_report(const RunSummary& summary) { return nlohmann::json(summary).dump(2); }

RunSummary summary_from_json(const std::string& text) {
  return nlohmann::json::parse(text).get<RunSummary>();
}

void write_json_report(const std::string& path, const RunSummary& s) {
  write_text(path, nlohmann::json(s).dump(2) + '\n');
}

RunSummary read_json_report(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw std::runtime_error(
        fmt::format("{}: cannot read the JSON report: {}", path, std::strerror(errno)));
  }
  try {
    return nlohmann::json::parse(file).get<RunSummary>();
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(fmt::format("{}: not a cosim JSON report: {}", path, error.what()));
  }
}

void write_json_report(const std::string& path, const std::vector<RunSummary>& layers,
                       const WholeModelTotals& totals) {
  const nlohmann::json report = {
      {"result", totals.pass ? "PASS" : "FAIL"},
      {"model", totals.model},
      {"array", {{"row", totals.array.row}, {"col", totals.array.col}}},
      {"layer_count", layers.size()},
      {"cycles", totals.cycles},
      {"wall_ms", totals.wall_ms},
      {"jobs", totals.jobs},
      {"psum_check", totals.psum_check},
      {"layers", layers},
  };
  write_text(path, report.dump(2) + '\n');
}

}  // namespace tb
