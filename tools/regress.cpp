// regress: every conv layer of both models on both array sizes through cosim, in parallel worker processes, one shard of the list or all of it; table, totals, JUnit XML, and the merge of shards (make regress, make regress-merge).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "regress/run_list.hpp"
#include "regress/shard_planner.hpp"
#include "regress/shard_results.hpp"
#include "tb/layer_table.hpp"
#include "tb/report.hpp"

extern char** environ;

namespace {

volatile std::sig_atomic_t interrupted = 0;
void on_interrupt(int) { interrupted = 1; }

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Job {
  regress::RunResult run;  // regress::pending_result before the run; the row's figures after
  pid_t pid = -1;
  Clock::time_point started;
  bool done = false;
};

std::filesystem::path own_folder() {
  char self[PATH_MAX] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return std::filesystem::current_path();
  return std::filesystem::path(std::string(self, static_cast<std::size_t>(length))).parent_path();
}

// Starts cosim for one job with stdout/stderr in its log file.
pid_t start_run(const std::string& cosim, const std::string& psum_check,
                const std::filesystem::path& folder, Job& job) {
  const std::string report = (folder / job.run.report).string();
  const std::string log = (folder / job.run.log).string();
  std::vector<std::string> args{cosim,
                                "--model", job.run.row.model,
                                "--layer", std::to_string(job.run.row.layer),
                                "--array", std::to_string(job.run.row.array.row),
                                "--seed", std::to_string(job.run.row.seed),
                                "--dataflow", job.run.row.dataflow,
                                "--psum-check", psum_check,
                                "--report", report,
                                "--quiet"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, cosim.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error(fmt::format("{}: cannot start: {}", cosim, std::strerror(error)));
  }
  return pid;
}

std::string last_line_of(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::string last;
  while (std::getline(file, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// Fills the row from cosim's JSON report; a missing report (crash, bad input) is a failure
// carrying the process's exit status and last line of output.
void finish(const std::filesystem::path& folder, Job& job, int status) {
  job.done = true;
  job.run.row.wall_ms = seconds_since(job.started) * 1000.0;
  tb::RunSummary report;
  try {
    report = tb::read_json_report((folder / job.run.report).string());
  } catch (const std::runtime_error&) {
    job.run.row.pass = false;
    const std::string how = WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                              : fmt::format("signal {}", WTERMSIG(status));
    job.run.row.failure = fmt::format("cosim ended with {} and no report: {} (log {})", how,
                                      last_line_of((folder / job.run.log).string()),
                                      (folder / job.run.log).string());
    job.run.report.clear();
    return;
  }
  tb::LayerRow& row = job.run.row;
  const double wall_ms = row.wall_ms;  // the whole process, not only cosim's own run
  row = tb::layer_row(report, row.model, row.layer, row.seed);
  row.wall_ms = wall_ms;
  row.pass = report.pass && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!row.pass && row.failure.empty()) {
    row.failure = fmt::format("cosim exit status {}", status);
  }
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

// What `regress` (without a subcommand) is asked to do.
struct RunOptions {
  std::string cosim;
  std::string models = "vgg16,vgg16_sq8";
  std::string arrays = "8,16";
  std::string seeds = "1";
  std::string layers = "all";
  std::string dataflows = "ws";
  std::string more_seeds;
  long long more_seeds_max_executes = 100000;
  std::string psum_check = "write";
  std::string junit;
  std::string shard = "1/1";
  bool list_only = false;
  std::string out = (std::filesystem::temp_directory_path() / "cosim_regress").string();
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
};

struct MergeOptions {
  std::vector<std::string> folders;
  std::string out = "regress-merged";
  std::string junit;
};

void add_run_options(CLI::App& app, RunOptions& options) {
  app.add_option("--cosim", options.cosim, "The cosim program to run")->capture_default_str();
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
      ->check(CLI::IsMember({"readback", "write"}));
  app.add_option("-j,--jobs", options.jobs, "Runs at a time (default: the number of cores)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--shard", options.shard,
                 "Run slice i of N of the run list (1 <= i <= N): every run lands in exactly one "
                 "slice, slices balanced by predicted cycles (the same options give the same "
                 "slices on any machine)")
      ->capture_default_str();
  app.add_flag("--list", options.list_only,
               "Print the run list with each run's predicted cycles and shard, run nothing");
  app.add_option("--out,--scratch", options.out,
                 "Folder for shard.json, the JUnit XML (unless --junit) and runs/ (each run's "
                 "JSON report and log)")
      ->capture_default_str();
  app.add_option("--junit", options.junit, "Write JUnit XML here (default: OUT/regress.xml)")
      ->type_name("FILE");
}

CLI::App* add_merge_command(CLI::App& app, MergeOptions& options) {
  CLI::App* merge = app.add_subcommand(
      "merge",
      "Merge the folders of every shard of one run list into one: OUT/regress.xml (JUnit), "
      "OUT/summary.md (Markdown), OUT/runs (the runs' reports and logs), OUT/shard.json, and the "
      "table. Refused (exit 2) when a shard is missing, given twice, from another run list, or "
      "a run appears twice; otherwise exit 0 when every run passed, 1 when one failed.");
  merge->add_option("DIR", options.folders, "The shard folders (regress --out)")->required();
  merge->add_option("--out", options.out, "Folder of the merged result")->capture_default_str();
  merge->add_option("--junit", options.junit, "Merged JUnit XML (default: OUT/regress.xml)")
      ->type_name("FILE");
  return merge;
}

regress::RunListOptions run_list_options(const RunOptions& options) {
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

// This shard's jobs in the plan's order (most expensive first keeps the workers busy until the
// end), with the output folder cleared of their old reports; fills results' shard and run list.
std::vector<Job> shard_jobs(const std::vector<regress::RunSpec>& runs,
                            const regress::ShardPlan& plan, const std::filesystem::path& folder,
                            const regress::ShardResults& results) {
  std::filesystem::create_directories(folder / "runs");
  std::filesystem::remove(folder / regress::kShardFile);
  std::vector<Job> queue;
  for (const std::size_t position :
       plan.members[static_cast<std::size_t>(results.shard.index - 1)]) {
    queue.push_back(Job{regress::pending_result(runs[position])});
    std::filesystem::remove(folder / queue.back().run.report);
  }
  return queue;
}

void print_finished(const Job& job, std::size_t finished, std::size_t total,
                    Clock::time_point start) {
  const tb::LayerRow& row = job.run.row;
  fmt::print("[{:>3}/{}] {:>7.1f} s  {:<34} {} in {:.1f} s, {} cycles{}\n", finished, total,
             seconds_since(start), row.name(), row.pass ? "PASS" : "FAIL", row.wall_ms / 1000.0,
             row.cycles, row.pass ? "" : ": " + row.failure);
  std::fflush(stdout);
}

// Nothing finished for a while: say what is still running and for how long.
void print_running(const std::vector<Job>& queue, const std::map<pid_t, std::size_t>& running,
                   std::size_t finished, Clock::time_point start) {
  std::string names;
  for (const auto& [pid, index] : running) {
    names += fmt::format("{}{} ({:.0f} s)", names.empty() ? "" : ", ",
                         queue[index].run.row.name(), seconds_since(queue[index].started));
  }
  fmt::print("[{:>3}/{}] {:>7.1f} s  running: {}\n", finished, queue.size(), seconds_since(start),
             names);
  std::fflush(stdout);
}

// Runs the queue, `jobs` cosim processes at a time, printing each run as it ends. Returns 0,
// or 130 when interrupted (Ctrl-C or a CI timeout: the workers this run started are stopped).
int run_queue(std::vector<Job>& queue, const RunOptions& options,
              const std::filesystem::path& folder) {
  const Clock::time_point start = Clock::now();
  std::size_t next = 0;
  std::size_t finished = 0;
  std::map<pid_t, std::size_t> running;
  Clock::time_point last_progress = start;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  try {
    while (finished < queue.size()) {
      if (interrupted != 0) {
        for (const auto& [pid, index] : running) {
          kill(pid, SIGTERM);
          waitpid(pid, nullptr, 0);
        }
        fmt::print(stderr, "regress: interrupted after {} of {} runs\n", finished, queue.size());
        return 130;
      }
      while (running.size() < options.jobs && next < queue.size()) {
        Job& job = queue[next];
        job.started = Clock::now();
        job.pid = start_run(options.cosim, options.psum_check, folder, job);
        running[job.pid] = next++;
      }
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid > 0 && running.count(pid) != 0) {
        Job& job = queue[running[pid]];
        running.erase(pid);
        finish(folder, job, status);
        print_finished(job, ++finished, queue.size(), start);
        last_progress = Clock::now();
        continue;
      }
      if (seconds_since(last_progress) >= 15.0) {
        print_running(queue, running, finished, start);
        last_progress = Clock::now();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } catch (const std::exception&) {
    for (const auto& [pid, index] : running) kill(pid, SIGTERM);
    throw;
  }
  return 0;
}

// The table, the JUnit XML and shard.json of the finished queue; 0 when every run passed.
int write_results(const std::vector<Job>& queue, double elapsed, const RunOptions& options,
                  regress::ShardResults& results) {
  const std::filesystem::path folder(options.out);
  const std::string junit =
      options.junit.empty() ? (folder / "regress.xml").string() : options.junit;
  results.elapsed_s = elapsed;
  std::vector<tb::LayerRow> rows;
  for (const Job& job : queue) {
    rows.push_back(job.run.row);
    results.runs.push_back(job.run);
  }
  const bool passed = print_results(rows, elapsed, options.jobs);
  if (std::filesystem::path(junit).has_parent_path()) {
    std::filesystem::create_directories(std::filesystem::path(junit).parent_path());
  }
  tb::write_junit(junit, rows, elapsed);
  regress::write_shard_results(options.out, results);
  fmt::print("JUnit XML: {}\nshard {}: {}\n", junit, results.shard.text(),
             (folder / regress::kShardFile).string());
  return passed ? 0 : 1;
}

// regress [options]: the shard's runs through cosim, then the table and the files.
int run_command(const RunOptions& options) {
  regress::ShardResults results;
  std::vector<Job> queue;
  const std::filesystem::path folder(options.out);
  try {
    results.shard = regress::ShardSpec::parse(options.shard);
    const std::vector<regress::RunSpec> runs = regress::build_run_list(run_list_options(options));
    const std::vector<regress::ShardItem> items = regress::shard_items(runs);
    for (const regress::RunSpec& run : runs) results.run_list.push_back(run.name());
    const regress::ShardPlan plan = regress::plan_shards(items, results.shard.count);
    if (options.list_only) {
      print_plan(runs, items, plan);
      return 0;
    }
    if (!std::filesystem::exists(options.cosim)) {
      throw golden::InputError(fmt::format("--cosim {}: no such program (build the cosim target)",
                                           options.cosim));
    }
    queue = shard_jobs(runs, plan, folder, results);
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress: error: {}\n", error.what());
    return 2;
  }
  fmt::print("regress: {} runs{}, {} at a time, psum check '{}', cosim {}\n", queue.size(),
             results.shard.count > 1
                 ? fmt::format(" (shard {} of a list of {})", results.shard.text(),
                               results.run_list.size())
                 : "",
             options.jobs, options.psum_check, options.cosim);
  std::fflush(stdout);
  try {
    const Clock::time_point start = Clock::now();
    const int status = run_queue(queue, options, folder);
    if (status != 0) return status;
    return write_results(queue, seconds_since(start), options, results);
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress: error: {}\n", error.what());
    return 2;
  }
}

constexpr const char* kDescription =
    "regress: runs conv layers of the catalog through cosim (the Verilated core against the\n"
    "golden model), several at a time in separate processes, shows progress, prints a table\n"
    "(model, layer, shape, tiles, cycles, ideal cycles, efficiency, wall time, cycles/s,\n"
    "PASS/FAIL; with both dataflows the output-stationary cycles, efficiency and WS/OS cycle\n"
    "ratio of the same layer on its line) with per-model totals, and writes JUnit XML, each\n"
    "run's JSON report and shard.json into the --out folder.\n"
    "--shard i/N runs slice i of N, balanced by the cycles each run's plan predicts; 'regress\n"
    "merge' puts the N folders together. Exit code 0 when every run passed, 1 otherwise, 2 for\n"
    "bad usage (or a merge refused).";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "regress"};
  app.require_subcommand(0, 1);
  RunOptions run_options;
  run_options.cosim = (own_folder().parent_path() / "tb" / "cosim").string();
  add_run_options(app, run_options);
  MergeOptions merge_options;
  CLI::App* merge = add_merge_command(app, merge_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    fmt::print(stderr, "regress: error: {} (see regress --help)\n", error.what());
    return 2;
  }
  if (merge->parsed()) {
    return merge_command(merge_options.folders, merge_options.out, merge_options.junit);
  }
  return run_command(run_options);
}
