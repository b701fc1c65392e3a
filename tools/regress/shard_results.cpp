// shard.json of a regression shard (write, read) and the merge of shards into one result.
#include "shard_results.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace regress {

namespace {

nlohmann::json to_json(const RunResult& run) {
  const tb::LayerRow& row = run.row;
  return {
      {"name", run.spec.name()},
      {"model", run.spec.model},
      {"layer", run.spec.layer},
      {"array", run.spec.array},
      {"seed", run.spec.seed},
      {"dataflow", run.spec.dataflow},
      {"predicted_cycles", run.predicted_cycles},
      {"report", run.report},
      {"log", run.log},
      {"result", row.pass ? "PASS" : "FAIL"},
      {"failure", row.failure},
      {"shape", {{"in_ch", row.shape.in_ch}, {"out_ch", row.shape.out_ch},
                 {"height", row.shape.height}, {"width", row.shape.width}}},
      {"tiles", {{"ic", row.tiling.ic_tiles}, {"oc", row.tiling.oc_tiles}}},
      {"row_bands", row.bands},
      {"cycles", row.cycles},
      {"useful_macs", row.useful_macs},
      {"psums", row.psums},
      {"outputs", row.outputs},
      {"mismatches", row.mismatches},
      {"wall_ms", row.wall_ms},
      {"sim_ms", row.sim_ms},
  };
}

RunResult run_from_json(const nlohmann::json& item) {
  RunResult run;
  run.spec.model = item.at("model").get<std::string>();
  run.spec.layer = item.at("layer").get<int>();
  run.spec.array = item.at("array").get<int>();
  run.spec.seed = item.at("seed").get<std::uint64_t>();
  run.spec.dataflow = item.at("dataflow").get<std::string>();
  run.predicted_cycles = item.at("predicted_cycles").get<long long>();
  run.report = item.at("report").get<std::string>();
  run.log = item.at("log").get<std::string>();
  tb::LayerRow& row = run.row;
  row.model = run.spec.model;
  row.layer = run.spec.layer;
  row.seed = run.spec.seed;
  row.dataflow = run.spec.dataflow;
  row.array = golden::ArrayShape::square(run.spec.array);
  row.shape.in_ch = item.at("shape").at("in_ch").get<int>();
  row.shape.out_ch = item.at("shape").at("out_ch").get<int>();
  row.shape.height = item.at("shape").at("height").get<int>();
  row.shape.width = item.at("shape").at("width").get<int>();
  row.tiling.ic_tiles = item.at("tiles").at("ic").get<int>();
  row.tiling.oc_tiles = item.at("tiles").at("oc").get<int>();
  row.bands = item.at("row_bands").get<int>();
  row.cycles = item.at("cycles").get<std::uint64_t>();
  row.useful_macs = item.at("useful_macs").get<long long>();
  row.psums = item.at("psums").get<long long>();
  row.outputs = item.at("outputs").get<long long>();
  row.mismatches = item.at("mismatches").get<long long>();
  row.wall_ms = item.at("wall_ms").get<double>();
  row.sim_ms = item.at("sim_ms").get<double>();
  row.pass = item.at("result").get<std::string>() == "PASS";
  row.failure = item.at("failure").get<std::string>();
  return run;
}

}  // namespace

void write_shard_results(const std::string& folder, const ShardResults& results,
                         const std::string& file_name) {
  nlohmann::json runs = nlohmann::json::array();
  for (const RunResult& run : results.runs) runs.push_back(to_json(run));
  const nlohmann::json document = {
      {"shard", results.shard.text()},
      {"elapsed_s", results.elapsed_s},
      {"run_list", results.run_list},
      {"runs", runs},
  };
  std::filesystem::create_directories(folder);
  const std::string path = (std::filesystem::path(folder) / file_name).string();
  std::ofstream file(path);
  if (!file) {
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  file << document.dump(1) << '\n';
  if (!file.flush()) throw std::runtime_error(fmt::format("{}: writing failed", path));
}

ShardResults read_shard_results(const std::string& folder, const std::string& file_name) {
  const std::string path = (std::filesystem::path(folder) / file_name).string();
  std::ifstream file(path);
  if (!file) {
    throw golden::InputError(path, !std::filesystem::is_directory(folder) ? "no such folder"
                                   : file_name == kShardFile
                                       ? "missing: the shard did not finish (or this is not a "
                                         "shard folder of make regress)"
                                       : "missing (write it with regress --out this folder)");
  }
  ShardResults results;
  results.folder = folder;
  try {
    const nlohmann::json document = nlohmann::json::parse(file);
    results.shard = ShardSpec::parse(document.at("shard").get<std::string>());
    results.elapsed_s = document.at("elapsed_s").get<double>();
    results.run_list = document.at("run_list").get<std::vector<std::string>>();
    for (const nlohmann::json& item : document.at("runs")) {
      results.runs.push_back(run_from_json(item));
    }
  } catch (const nlohmann::json::exception& error) {
    throw golden::InputError(path, fmt::format("not a shard file of regress: {}", error.what()));
  } catch (const golden::InputError& error) {
    throw golden::InputError(path, error.what());
  }
  return results;
}

ShardResults merge_shards(const std::vector<ShardResults>& shards) {
  if (shards.empty()) throw golden::InputError("merge: no shard folders given");
  std::vector<std::string> problems;
  const ShardResults& first = shards.front();
  std::map<int, std::string> folder_of_index;
  std::map<std::string, std::string> folder_of_run;
  ShardResults merged;
  merged.shard = ShardSpec{1, 1};
  merged.run_list = first.run_list;
  std::map<std::string, RunResult> by_name;
  for (const ShardResults& shard : shards) {
    if (shard.shard.count != first.shard.count) {
      problems.push_back(fmt::format("{} is shard {} but {} is shard {}: different shard counts",
                                     shard.folder, shard.shard.text(), first.folder,
                                     first.shard.text()));
      continue;
    }
    if (shard.run_list != first.run_list) {
      problems.push_back(fmt::format("{} and {} were planned from different run lists ({} and {} "
                                     "runs): run every shard with the same options",
                                     shard.folder, first.folder, shard.run_list.size(),
                                     first.run_list.size()));
      continue;
    }
    const auto [index_at, new_index] = folder_of_index.emplace(shard.shard.index, shard.folder);
    if (!new_index) {
      problems.push_back(fmt::format("shard {} given twice: {} and {}", shard.shard.text(),
                                     index_at->second, shard.folder));
      continue;
    }
    merged.elapsed_s = std::max(merged.elapsed_s, shard.elapsed_s);
    for (const RunResult& run : shard.runs) {
      const std::string name = run.spec.name();
      const auto [run_at, new_run] = folder_of_run.emplace(name, shard.folder);
      if (!new_run) {
        problems.push_back(
            fmt::format("run '{}' appears twice: in {} and in {}", name, run_at->second,
                        shard.folder));
        continue;
      }
      RunResult located = run;
      const auto relocate = [&shard](const std::string& path) {
        return path.empty() ? path : (std::filesystem::path(shard.folder) / path).string();
      };
      located.report = relocate(run.report);
      located.log = relocate(run.log);
      by_name.emplace(name, located);
    }
  }
  for (int index = 1; index <= first.shard.count; ++index) {
    if (folder_of_index.count(index) == 0) {
      problems.push_back(fmt::format("shard {}/{} is missing", index, first.shard.count));
    }
  }
  if (problems.empty()) {
    const std::set<std::string> listed(first.run_list.begin(), first.run_list.end());
    for (const std::string& name : first.run_list) {
      if (by_name.count(name) == 0) problems.push_back(fmt::format("run '{}' was not run", name));
    }
    for (const auto& [name, run] : by_name) {
      if (listed.count(name) == 0) {
        problems.push_back(fmt::format("run '{}' ({}) is not in the run list", name,
                                       folder_of_run[name]));
      }
    }
  }
  if (!problems.empty()) {
    std::string text = fmt::format("merge refused ({} problem{}): ", problems.size(),
                                   problems.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < problems.size(); ++i) text += (i > 0 ? "; " : "") + problems[i];
    throw golden::InputError(text);
  }
  for (const std::string& name : first.run_list) merged.runs.push_back(by_name.at(name));
  return merged;
}

RunResult pending_result(const RunSpec& spec) {
  RunResult run;
  run.spec = spec;
  run.predicted_cycles = predicted_cycles(spec);
  run.row.model = spec.model;
  run.row.layer = spec.layer;
  run.row.seed = spec.seed;
  run.row.dataflow = spec.dataflow;
  run.row.array = golden::ArrayShape::square(spec.array);
  run.report = "runs/" + spec.file_stem() + ".json";
  run.log = "runs/" + spec.file_stem() + ".log";
  return run;
}

std::vector<tb::LayerRow> layer_rows(const ShardResults& results) {
  std::vector<tb::LayerRow> rows;
  for (const RunResult& run : results.runs) rows.push_back(run.row);
  return rows;
}

std::string markdown_summary(const std::vector<tb::LayerRow>& rows, double elapsed_s) {
  int failed = 0;
  for (const tb::LayerRow& row : rows) failed += row.pass ? 0 : 1;
  std::string text = fmt::format("### cosim regression: {}, {} runs, {} failed, {:.1f} s\n\n",
                                 failed == 0 ? "PASS" : "FAIL", rows.size(), failed, elapsed_s);
  text += "| run | shape | tiles | cycles | ideal | eff % | cycles/s | result |\n";
  text += "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n";
  for (const tb::LayerRow& row : rows) {
    text += fmt::format("| {} | {}->{}@{} | {}x{}{} | {} | {:.0f} | {:.1f} | {:.0f} | {} |\n",
                        row.name(), row.shape.in_ch, row.shape.out_ch, row.shape.height,
                        row.tiling.ic_tiles, row.tiling.oc_tiles,
                        row.bands > 1 ? fmt::format(" b{}", row.bands) : std::string(),
                        row.cycles, row.ideal_cycles(), 100.0 * row.efficiency(),
                        row.cycles_per_second(), row.pass ? "PASS" : "**FAIL**");
  }
  if (failed > 0) {
    text += "\nFailures:\n\n";
    for (const tb::LayerRow& row : rows) {
      if (row.pass) continue;
      std::string failure = row.failure;
      for (char& c : failure) {
        if (c == '\n' || c == '|') c = ' ';
      }
      text += fmt::format("- {}: {}\n", row.name(), failure);
    }
  }
  return text;
}

}  // namespace regress
