// Formats whole-model runs: the per-layer table with totals (fmt) and the JUnit XML for CI dashboards.
#include "tb/layer_table.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

namespace tb {

std::string LayerRow::name() const {
  return fmt::format("{} features[{}] {}x{} seed {}{}", model, layer, array.row, array.col, seed,
                     dataflow == "os" ? " os" : "");
}

double LayerRow::ideal_cycles() const {
  const double lanes = static_cast<double>(array.row) * array.col;
  return lanes > 0 ? static_cast<double>(useful_macs) / lanes : 0.0;
}

double LayerRow::efficiency() const {
  return cycles > 0 ? ideal_cycles() / static_cast<double>(cycles) : 0.0;
}

double LayerRow::cycles_per_second() const {
  return sim_ms > 0 ? static_cast<double>(cycles) / (sim_ms / 1000.0) : 0.0;
}

LayerRow layer_row(const RunSummary& summary, const std::string& model, int layer,
                   std::uint64_t seed) {
  LayerRow row;
  row.model = model;
  row.layer = layer;
  row.seed = seed;
  row.dataflow = summary.dataflow;
  row.array = summary.array;
  row.shape = summary.shape;
  row.tiling = summary.tiling;
  row.bands = summary.bands;
  row.cycles = summary.cycles;
  row.useful_macs = summary.useful_macs;
  row.psums = summary.psums;
  row.outputs = summary.outputs;
  row.mismatches = summary.mismatches;
  row.wall_ms = summary.wall_ms;
  row.sim_ms = summary.sim_ms;
  row.pass = summary.pass;
  row.failure = summary.failure;
  return row;
}

namespace {

std::string shape_text(const golden::LayerShape& shape) {
  return fmt::format("{}->{}@{}", shape.in_ch, shape.out_ch, shape.height);
}

std::string tiles_text(const LayerRow& row) {
  std::string text = fmt::format("{}x{}", row.tiling.ic_tiles, row.tiling.oc_tiles);
  if (row.bands > 1) text += fmt::format(" b{}", row.bands);
  return text;
}

std::string xml_escape(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          escaped += ' ';
        } else {
          escaped += c;
        }
    }
  }
  return escaped;
}

}  // namespace

void print_layer_table(std::FILE* out, const std::vector<LayerRow>& rows) {
  // Output-stationary runs with a weight-stationary run of the same layer go on its line.
  using RunKey = std::tuple<std::string, int, int, int, std::uint64_t>;
  const auto run_key = [](const LayerRow& row) {
    return RunKey{row.model, row.layer, row.array.row, row.array.col, row.seed};
  };
  std::map<RunKey, const LayerRow*> ws_runs;
  std::map<RunKey, const LayerRow*> os_runs;
  for (const LayerRow& row : rows) (row.dataflow == "os" ? os_runs : ws_runs)[run_key(row)] = &row;
  const bool side_by_side = !os_runs.empty() && !ws_runs.empty();
  // The dataflow column only when output-stationary runs are there (WS tables stay as they were).
  const auto flow = [&os_runs](const std::string& dataflow) {
    return os_runs.empty() ? std::string() : fmt::format(" {:>4}", dataflow);
  };

  fmt::print(out, "{:<10} {:>5} {:>12} {:>5} {:>4}{} {:>8} {:>11} {:>11} {:>6} {:>8} {:>11}",
             "model", "layer", "shape", "array", "seed", flow("flow"), "tiles", "cycles", "ideal",
             "eff%", "wall s", "cycles/s");
  if (side_by_side) fmt::print(out, " {:>11} {:>7} {:>7}", "os cycles", "os eff%", "ws/os");
  fmt::print(out, "  {}\n", "result");
  // Totals per (model, array, seed, dataflow): a whole network's simulated cycles and wall time.
  struct Total {
    std::uint64_t cycles = 0;
    double ideal = 0;
    double wall_ms = 0;
    double sim_ms = 0;
    int layers = 0;
    int failed = 0;
  };
  std::map<std::tuple<std::string, int, int, std::uint64_t, std::string>, Total> totals;
  for (const LayerRow& row : rows) {
    Total& total = totals[{row.model, row.array.row, row.array.col, row.seed, row.dataflow}];
    total.cycles += row.cycles;
    total.ideal += row.ideal_cycles();
    total.wall_ms += row.wall_ms;
    total.sim_ms += row.sim_ms;
    ++total.layers;
    total.failed += row.pass ? 0 : 1;

    const LayerRow* os = nullptr;
    if (row.dataflow == "os") {
      if (side_by_side && ws_runs.count(run_key(row)) != 0) continue;  // on the WS line
    } else if (side_by_side) {
      const auto found = os_runs.find(run_key(row));
      if (found != os_runs.end()) os = found->second;
    }
    std::string result = row.pass ? "PASS" : "FAIL";
    if (os != nullptr && !os->pass) result += " (os FAIL)";
    fmt::print(out, "{:<10} {:>5} {:>12} {:>5} {:>4}{} {:>8} {:>11} {:>11.0f} {:>6.1f} "
               "{:>8.2f} {:>11.0f}",
               row.model, row.layer, shape_text(row.shape),
               fmt::format("{}x{}", row.array.row, row.array.col), row.seed, flow(row.dataflow),
               tiles_text(row), row.cycles, row.ideal_cycles(), 100.0 * row.efficiency(),
               row.wall_ms / 1000.0, row.cycles_per_second());
    if (side_by_side) {
      if (os != nullptr && os->cycles > 0) {
        fmt::print(out, " {:>11} {:>7.1f} {:>7.2f}", os->cycles, 100.0 * os->efficiency(),
                   static_cast<double>(row.cycles) / static_cast<double>(os->cycles));
      } else {
        fmt::print(out, " {:>11} {:>7} {:>7}", "-", "-", "-");
      }
    }
    fmt::print(out, "  {}\n", result);
  }
  fmt::print(out, "\n{:<10} {:>5} {:>4}{} {:>6} {:>12} {:>12} {:>6} {:>9} {:>9} {:>11}  {}\n",
             "model", "array", "seed", flow("flow"), "layers", "cycles", "ideal", "eff%", "wall s",
             "sim s", "cycles/s", "result");
  for (const auto& [key, total] : totals) {
    const auto& [model, row, col, seed, dataflow] = key;
    fmt::print(out, "{:<10} {:>5} {:>4}{} {:>6} {:>12} {:>12.0f} {:>6.1f} {:>9.2f} {:>9.2f} "
               "{:>11.0f}  {}\n",
               model, fmt::format("{}x{}", row, col), seed, flow(dataflow), total.layers, total.cycles,
               total.ideal, total.cycles > 0 ? 100.0 * total.ideal / total.cycles : 0.0,
               total.wall_ms / 1000.0, total.sim_ms / 1000.0,
               total.sim_ms > 0 ? total.cycles / (total.sim_ms / 1000.0) : 0.0,
               total.failed == 0 ? "PASS" : fmt::format("FAIL ({} layers)", total.failed));
  }
}

void write_junit(const std::string& path, const std::vector<LayerRow>& rows, double elapsed_s) {
  std::map<std::string, std::vector<const LayerRow*>> suites;
  int failures = 0;
  for (const LayerRow& row : rows) {
    suites[row.model].push_back(&row);
    failures += row.pass ? 0 : 1;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites name=\"cosim regress\" tests=\"{}\" failures=\"{}\" "
                     "time=\"{:.3f}\">\n",
                     rows.size(), failures, elapsed_s);
  for (const auto& [model, members] : suites) {
    int suite_failures = 0;
    double suite_time = 0;
    for (const LayerRow* row : members) {
      suite_failures += row->pass ? 0 : 1;
      suite_time += row->wall_ms / 1000.0;
    }
    xml += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                       xml_escape(model), members.size(), suite_failures, suite_time);
    for (const LayerRow* row : members) {
      xml += fmt::format("    <testcase classname=\"cosim.{}\" name=\"{}\" time=\"{:.3f}\">\n",
                         xml_escape(model),
                         xml_escape(fmt::format("features[{}] {}x{} seed {}{}", row->layer,
                                                row->array.row, row->array.col, row->seed,
                                                row->dataflow == "os" ? " os" : "")),
                         row->wall_ms / 1000.0);
      xml += fmt::format("      <system-out>shape {} tiles {} cycles {} ideal {:.0f} "
                         "efficiency {:.3f} psums {} outputs {}</system-out>\n",
                         shape_text(row->shape), tiles_text(*row), row->cycles,
                         row->ideal_cycles(), row->efficiency(), row->psums, row->outputs);
      if (!row->pass) {
        xml += fmt::format("      <failure message=\"{}\"/>\n", xml_escape(row->failure));
      }
      xml += "    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  std::ofstream file(path);
  if (!file) {
    throw std::runtime_error(
        fmt::format("{}: cannot write the JUnit XML: {}", path, std::strerror(errno)));
  }
  file << xml;
  if (!file.flush()) {
    throw std::runtime_error(fmt::format("{}: writing the JUnit XML failed", path));
  }
}

}  // namespace tb
