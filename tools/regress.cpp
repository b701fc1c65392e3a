// regress: the run list (conv layers x models x arrays x seeds x dataflows) as a CTest folder, most expensive first; the table and shard.json of what CTest ran; the merge of shard folders (make regress, make regress-merge).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "regress/ctest_runs.hpp"
#include "regress/run_list.hpp"
#include "regress/shard_planner.hpp"
#include "regress/shard_results.hpp"
#include "tb/command_line.hpp"
#include "tb/layer_table.hpp"

namespace {

std::filesystem::path own_folder() {
  char self[PATH_MAX] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return std::filesystem::current_path();
  return std::filesystem::path(std::string(self, static_cast<std::size_t>(length))).parent_path();
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> items;
  for (std::size_t begin = 0; begin <= text.size();) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    items.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

std::vector<int> parse_list(const std::string& option, const std::string& text) {
  std::vector<int> values;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 0) {
      throw golden::InputError(
          fmt::format("{} {}: '{}' is not a number (expected a comma-separated list)", option,
                      text, item));
    }
    values.push_back(value);
    begin = end + 1;
  }
  return values;
}

// Copies a file of a shard into the merged folder, returning its path relative to it.
std::string copy_into(const std::string& source, const std::filesystem::path& folder) {
  if (source.empty() || !std::filesystem::exists(source)) return {};
  const std::filesystem::path relative =
      std::filesystem::path("runs") / std::filesystem::path(source).filename();
  std::filesystem::create_directories(folder / "runs");
  std::filesystem::copy_file(source, folder / relative,
                             std::filesystem::copy_options::overwrite_existing);
  return relative.string();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  if (!file || !(file << text) || !file.flush()) {
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path.string(),
                                         std::strerror(errno)));
  }
}

// The table, the failures and the verdict line of a set of rows; true when all passed.
bool print_results(std::vector<tb::LayerRow> rows, double elapsed, unsigned jobs) {
  std::stable_sort(rows.begin(), rows.end(), [](const tb::LayerRow& a, const tb::LayerRow& b) {
    return std::tie(a.model, a.array.row, a.seed, a.layer) <
           std::tie(b.model, b.array.row, b.seed, b.layer);
  });
  fmt::print("\n");
  tb::print_layer_table(stdout, rows);
  int failed = 0;
  for (const tb::LayerRow& row : rows) {
    if (row.pass) continue;
    ++failed;
    fmt::print("FAIL {}: {}\n", row.name(), row.failure);
  }
  fmt::print("{} runs={} failed={} elapsed_s={:.1f}{}\n", failed == 0 ? "PASS" : "FAIL",
             rows.size(), failed, elapsed, jobs > 0 ? fmt::format(" jobs={}", jobs) : "");
  return failed == 0;
}

// regress merge DIR...: every shard's folder into one result (see regress::merge_shards).
int merge_command(const std::vector<std::string>& folders, const std::string& out,
                  std::string junit) {
  regress::ShardResults merged;
  try {
    std::vector<regress::ShardResults> shards;
    for (const std::string& folder : folders) shards.push_back(regress::read_shard_results(folder));
    merged = regress::merge_shards(shards);
    fmt::print("regress merge: {} shards of {} runs\n", shards.size(), merged.run_list.size());
    const std::filesystem::path folder(out);
    std::filesystem::create_directories(folder);
    std::filesystem::remove_all(folder / "runs");
    for (regress::RunResult& run : merged.runs) {
      run.report = copy_into(run.report, folder);
      run.log = copy_into(run.log, folder);
    }
    regress::write_shard_results(out, merged);
    if (junit.empty()) junit = (folder / "regress.xml").string();
    const std::vector<tb::LayerRow> rows = regress::layer_rows(merged);
    tb::write_junit(junit, rows, merged.elapsed_s);
    write_text(folder / "summary.md", regress::markdown_summary(rows, merged.elapsed_s));
    fmt::print("JUnit XML: {}\nMarkdown summary: {}\nrun reports: {}\n", junit,
               (folder / "summary.md").string(), (folder / "runs").string());
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress merge: error: {}\n", error.what());
    return 2;
  }
  return print_results(regress::layer_rows(merged), merged.elapsed_s, 0) ? 0 : 1;
}

// What `regress` (without a subcommand) is asked to do: plan the run list into a CTest folder.
struct PlanOptions {
  std::string cosim;
  std::string models = "vgg16,vgg16_sq8";
  std::string arrays = "8,16";
  std::string seeds = "1";
  std::string layers = "all";
  std::string dataflows = "ws";
  std::string more_seeds;
  long long more_seeds_max_executes = 100000;
  std::string psum_check = "write";
  std::string shard = "1/1";
  bool list_only = false;
  std::string out = (std::filesystem::temp_directory_path() / "cosim_regress").string();
};

struct TableOptions {
  std::string out;
  std::string junit;
  std::string shard = "1/1";
  double elapsed_s = 0;
};

struct MergeOptions {
  std::vector<std::string> folders;
  std::string out = "regress-merged";
  std::string junit;
};

void add_plan_options(cmdline::App& app, PlanOptions& options) {
  app.add_option("--cosim", options.cosim, "The cosim program the tests run")
      ->capture_default_str();
  app.add_option("--models", options.models, "Comma-separated models")->capture_default_str();
  app.add_option("--arrays", options.arrays, "Comma-separated square array sizes")
      ->capture_default_str();
  app.add_option("--seeds", options.seeds, "Comma-separated seeds of the generated inputs")
      ->capture_default_str();
  app.add_option("--more-seeds", options.more_seeds,
                 "Comma-separated seeds run in addition, on the cheap layers only (at most "
                 "--more-seeds-max-executes)");
  app.add_option("--more-seeds-max-executes", options.more_seeds_max_executes,
                 "Largest layer --more-seeds applies to, in execute cycles on the array: "
                 "ic_tiles * oc_tiles * 9 * padded nij")
      ->capture_default_str();
  app.add_option("--layers", options.layers, "'all' or comma-separated features[i] indices")
      ->capture_default_str();
  app.add_option("--dataflows", options.dataflows,
                 "Comma-separated dataflows each layer runs in: ws (weight-stationary), os "
                 "(output-stationary)")
      ->capture_default_str()
      ->check([](const std::string& text) -> std::string {
        for (const std::string& item : split(text)) {
          if (item != "ws" && item != "os") return "'" + item + "' is not ws or os";
        }
        return {};
      });
  app.add_option("--psum-check", options.psum_check, "cosim's --psum-check: write or readback")
      ->capture_default_str()
      ->check(cmdline::IsMember({"readback", "write"}));
  cmdline::Option* list = app.add_flag(
      "--list", options.list_only,
      "Print the run list with each run's predicted cycles and shard, write nothing");
  app.add_option("--shard", options.shard,
                 "With --list: the slices of N shards (1 <= i <= N; only N matters), each the "
                 "runs `ctest -I i,,N` selects from the tests in cost order")
      ->capture_default_str()
      ->needs(list);
  app.add_option("--out", options.out,
                 "Folder of the CTest tests (CTestTestfile.cmake), plan.json and runs/ (each "
                 "run's JSON report and log); its old results are removed")
      ->capture_default_str();
}

cmdline::App* add_table_command(cmdline::App& app, TableOptions& options) {
  cmdline::App* table = app.add_subcommand(
      "table",
      "After `ctest --test-dir OUT --output-junit FILE`: the table of the runs CTest ran (from "
      "OUT/plan.json, the JUnit file and each run's JSON report), the failures, and "
      "OUT/shard.json for regress merge and make report. Exit 0 when every run passed, 1 when "
      "one failed, 2 for bad input.");
  table->add_option("--out", options.out, "The folder regress planned into")->required();
  table->add_option("--junit", options.junit, "The JUnit file ctest wrote")->required();
  table->add_option("--shard", options.shard,
                    "Which shard CTest ran (ctest -I i,,N for i/N), recorded in shard.json")
      ->capture_default_str();
  table->add_option("--elapsed-s", options.elapsed_s, "Wall time of the ctest run, seconds")
      ->check(cmdline::NonNegativeNumber());
  return table;
}

cmdline::App* add_merge_command(cmdline::App& app, MergeOptions& options) {
  cmdline::App* merge = app.add_subcommand(
      "merge",
      "Merge the folders of every shard of one run list into one: OUT/regress.xml (JUnit), "
      "OUT/summary.md (Markdown), OUT/runs (the runs' reports and logs), OUT/shard.json, and the "
      "table. Refused (exit 2) when a shard is missing, given twice, from another run list, or "
      "a run appears twice; otherwise exit 0 when every run passed, 1 when one failed.");
  merge->add_option("DIR", options.folders, "The shard folders (make regress: build/regress-shards/*)")->required();
  merge->add_option("--out", options.out, "Folder of the merged result")->capture_default_str();
  merge->add_option("--junit", options.junit, "Merged JUnit XML (default: OUT/regress.xml)")
      ->type_name("FILE");
  return merge;
}

regress::RunListOptions run_list_options(const PlanOptions& options) {
  regress::RunListOptions list;
  list.models = split(options.models);
  list.arrays = parse_list("--arrays", options.arrays);
  list.seeds = parse_list("--seeds", options.seeds);
  list.more_seeds = options.more_seeds.empty() ? std::vector<int>{}
                                               : parse_list("--more-seeds", options.more_seeds);
  list.more_seeds_max_executes = options.more_seeds_max_executes;
  if (options.layers != "all") list.layers = parse_list("--layers", options.layers);
  list.dataflows = split(options.dataflows);
  return list;
}

// regress --list: every shard with its runs, their predicted cycles and costs.
void print_plan(const std::vector<regress::RunSpec>& runs,
                const std::vector<regress::ShardItem>& items, const regress::ShardPlan& plan) {
  for (std::size_t shard = 0; shard < plan.members.size(); ++shard) {
    fmt::print("shard {}/{}: {} runs, cost {} (8x8-cycle units)\n", shard + 1,
               plan.members.size(), plan.members[shard].size(), plan.costs[shard]);
    for (const std::size_t position : plan.members[shard]) {
      fmt::print("  {:<40} predicted {:>9} cycles, cost {:>9}\n", runs[position].name(),
                 regress::predicted_cycles(runs[position]), items[position].cost);
    }
  }
}

// The planned runs, most expensive first, as pending results (their report and log paths).
std::vector<regress::RunResult> planned_runs(const std::vector<regress::RunSpec>& runs,
                                             const std::vector<regress::ShardItem>& items) {
  std::vector<regress::RunResult> planned;
  for (const std::size_t position : regress::cost_order(items)) {
    planned.push_back(regress::pending_result(runs[position]));
  }
  return planned;
}

// regress [options]: the run list into OUT as CTest tests and plan.json (or --list: printed).
int plan_command(const PlanOptions& options) {
  try {
    const std::vector<regress::RunSpec> runs = regress::build_run_list(run_list_options(options));
    const std::vector<regress::ShardItem> items = regress::shard_items(runs);
    if (options.list_only) {
      const regress::ShardSpec shard = regress::ShardSpec::parse(options.shard);
      print_plan(runs, items, regress::plan_shards(items, shard.count));
      return 0;
    }
    if (!std::filesystem::exists(options.cosim)) {
      throw golden::InputError(fmt::format("--cosim {}: no such program (build the cosim target)",
                                           options.cosim));
    }
    regress::ShardResults plan;
    for (const regress::RunSpec& run : runs) plan.run_list.push_back(run.name());
    plan.runs = planned_runs(runs, items);
    const std::filesystem::path folder(options.out);
    std::filesystem::remove(folder / regress::kShardFile);
    std::filesystem::remove_all(folder / "runs");
    std::filesystem::remove_all(folder / "Testing");
    std::filesystem::create_directories(folder / "runs");
    regress::write_shard_results(options.out, plan, regress::kPlanFile);
    regress::write_ctest_file(options.out, plan.runs,
                              std::filesystem::absolute(options.cosim).string(),
                              options.psum_check);
    fmt::print("regress: {} runs, most expensive first, psum check '{}', cosim {}: ctest "
               "--test-dir {} [-j N] [-I i,,N]\n",
               plan.runs.size(), options.psum_check, options.cosim, options.out);
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress: error: {}\n", error.what());
    return 2;
  }
  return 0;
}

// regress table: the runs CTest ran, as a table and shard.json; 0 when every run passed.
int table_command(const TableOptions& options) {
  regress::ShardResults results;
  try {
    const regress::ShardResults plan =
        regress::read_shard_results(options.out, regress::kPlanFile);
    results = regress::ctest_shard_results(plan, regress::read_ctest_junit(options.junit),
                                           options.out);
    results.shard = regress::ShardSpec::parse(options.shard);
    results.elapsed_s = options.elapsed_s;
    regress::write_shard_results(options.out, results);
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress table: error: {}\n", error.what());
    return 2;
  }
  const bool passed = print_results(regress::layer_rows(results), results.elapsed_s, 0);
  fmt::print("JUnit XML: {}\nshard {} ({} of {} runs): {}\n", options.junit,
             results.shard.text(), results.runs.size(), results.run_list.size(),
             (std::filesystem::path(options.out) / regress::kShardFile).string());
  return passed ? 0 : 1;
}

constexpr const char* kDescription =
    "regress: the regression's run list (conv layers of the catalog x models x arrays x seeds x\n"
    "dataflows, each a cosim run of the Verilated core against the golden model) written into\n"
    "the --out folder as CTest tests, most expensive first, labelled regress, the model, the\n"
    "array and the dataflow; `ctest --test-dir OUT -j N --output-junit FILE [-I i,,N]` runs\n"
    "them (shard i of N), then 'regress table' prints the table (model, layer, shape, tiles,\n"
    "cycles, ideal cycles, efficiency, wall time, cycles/s, PASS/FAIL; with both dataflows the\n"
    "output-stationary figures of the same layer on its line) with per-model totals and writes\n"
    "shard.json; 'regress merge' puts the N shard folders together. Exit code 0 when every run\n"
    "passed, 1 otherwise, 2 for bad usage (or a merge refused).";

}  // namespace

int main(int argc, char** argv) {
  cmdline::App app{kDescription, "regress"};
  app.require_subcommand(0, 1);
  PlanOptions plan_options;
  plan_options.cosim = (own_folder().parent_path() / "tb" / "cosim").string();
  add_plan_options(app, plan_options);
  TableOptions table_options;
  cmdline::App* table = add_table_command(app, table_options);
  MergeOptions merge_options;
  cmdline::App* merge = add_merge_command(app, merge_options);
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) return app.exit(error);
    fmt::print(stderr, "regress: error: {} (see regress --help)\n", error.what());
    return 2;
  }
  if (table->parsed()) return table_command(table_options);
  if (merge->parsed()) {
    return merge_command(merge_options.folders, merge_options.out, merge_options.junit);
  }
  return plan_command(plan_options);
}
