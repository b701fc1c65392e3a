// regress: every conv layer of both models on both array sizes through cosim, in parallel worker processes; table, totals and JUnit XML (make regress).
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
  tb::LayerRow row;  // model, layer, array, seed filled before the run; the rest from its report
  std::string report;
  std::string log;
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
pid_t start_run(const std::string& cosim, const std::string& psum_check, Job& job) {
  std::vector<std::string> args{cosim,
                                "--model", job.row.model,
                                "--layer", std::to_string(job.row.layer),
                                "--array", std::to_string(job.row.array.row),
                                "--seed", std::to_string(job.row.seed),
                                "--dataflow", job.row.dataflow,
                                "--psum-check", psum_check,
                                "--report", job.report,
                                "--quiet"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, job.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
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
void finish(Job& job, int status) {
  job.done = true;
  job.row.wall_ms = seconds_since(job.started) * 1000.0;
  tb::RunSummary report;
  try {
    report = tb::read_json_report(job.report);
  } catch (const std::runtime_error&) {
    job.row.pass = false;
    const std::string how = WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                                              : fmt::format("signal {}", WTERMSIG(status));
    job.row.failure = fmt::format("cosim ended with {} and no report: {} (log {})", how,
                                  last_line_of(job.log), job.log);
    return;
  }
  tb::LayerRow& row = job.row;
  const double wall_ms = row.wall_ms;  // the whole process, not only cosim's own run
  row = tb::layer_row(report, row.model, row.layer, row.seed);
  row.wall_ms = wall_ms;
  row.pass = report.pass && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!row.pass && row.failure.empty()) {
    row.failure = fmt::format("cosim exit status {}", status);
  }
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "regress: runs conv layers of the catalog through cosim (the Verilated core against the\n"
      "golden model), several at a time in separate processes, shows progress, prints a table\n"
      "(model, layer, shape, tiles, cycles, ideal cycles, efficiency, wall time, cycles/s,\n"
      "PASS/FAIL; with both dataflows the output-stationary cycles, efficiency and WS/OS cycle\n"
      "ratio of the same layer on its line) with per-model totals, and writes JUnit XML. Exit code 0 when every run\n"
      "passed, 1 otherwise, 2 for bad usage.",
      "regress"};
  std::string cosim = (own_folder().parent_path() / "tb" / "cosim").string();
  std::string models = "vgg16,vgg16_sq8";
  std::string arrays = "8,16";
  std::string seeds = "1";
  std::string layers = "all";
  std::string dataflows = "ws";
  std::string more_seeds;
  long long more_seeds_max_executes = 100000;
  std::string psum_check = "write";
  std::string junit;
  std::string scratch = (std::filesystem::temp_directory_path() / "cosim_regress").string();
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  app.add_option("--cosim", cosim, "The cosim program to run")->capture_default_str();
  app.add_option("--models", models, "Comma-separated models")->capture_default_str();
  app.add_option("--arrays", arrays, "Comma-separated square array sizes")->capture_default_str();
  app.add_option("--seeds", seeds, "Comma-separated seeds of the generated inputs")
      ->capture_default_str();
  app.add_option("--more-seeds", more_seeds,
                 "Comma-separated seeds run in addition, on the cheap layers only (at most "
                 "--more-seeds-max-executes)");
  app.add_option("--more-seeds-max-executes", more_seeds_max_executes,
                 "Largest layer --more-seeds applies to, in execute cycles on the array: "
                 "ic_tiles * oc_tiles * 9 * padded nij")
      ->capture_default_str();
  app.add_option("--layers", layers, "'all' or comma-separated features[i] indices")
      ->capture_default_str();
  app.add_option("--dataflows", dataflows,
                 "Comma-separated dataflows each layer runs in: ws (weight-stationary), os "
                 "(output-stationary)")
      ->capture_default_str()
      ->check([](const std::string& text) -> std::string {
        for (std::size_t begin = 0; begin <= text.size();) {
          const std::size_t end = std::min(text.find(',', begin), text.size());
          const std::string item = text.substr(begin, end - begin);
          if (item != "ws" && item != "os") return "'" + item + "' is not ws or os";
          begin = end + 1;
        }
        return {};
      });
  app.add_option("--psum-check", psum_check, "cosim's --psum-check: write or readback")
      ->capture_default_str()
      ->check(CLI::IsMember({"readback", "write"}));
  app.add_option("-j,--jobs", jobs, "Runs at a time (default: the number of cores)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--junit", junit, "Write JUnit XML here (one testcase per run)")
      ->type_name("FILE");
  app.add_option("--scratch", scratch, "Folder for each run's JSON report and log")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    fmt::print(stderr, "regress: error: {} (see regress --help)\n", error.what());
    return 2;
  }

  std::vector<Job> queue;
  try {
    if (!std::filesystem::exists(cosim)) {
      throw golden::InputError(fmt::format("--cosim {}: no such program (build the cosim target)",
                                           cosim));
    }
    std::filesystem::create_directories(scratch);
    std::vector<std::string> model_list;
    for (std::size_t begin = 0; begin <= models.size();) {
      const std::size_t end = std::min(models.find(',', begin), models.size());
      model_list.push_back(models.substr(begin, end - begin));
      begin = end + 1;
    }
    const std::vector<int> array_list = parse_list("--arrays", arrays);
    const std::vector<int> base_seeds = parse_list("--seeds", seeds);
    std::vector<int> seed_list = base_seeds;
    const std::vector<int> extra_seeds =
        more_seeds.empty() ? std::vector<int>{} : parse_list("--more-seeds", more_seeds);
    for (const int seed : extra_seeds) {
      if (std::find(seed_list.begin(), seed_list.end(), seed) == seed_list.end()) {
        seed_list.push_back(seed);
      }
    }
    for (const int seed : seed_list) {
      const bool extra = std::find(extra_seeds.begin(), extra_seeds.end(), seed) !=
                             extra_seeds.end() &&
                         std::find(base_seeds.begin(), base_seeds.end(), seed) ==
                             base_seeds.end();
      for (const std::string& model : model_list) {
        std::vector<int> indices;
        if (layers == "all") {
          for (const golden::ConvLayer& layer : golden::conv_layers(model)) {
            indices.push_back(layer.index);
          }
        } else {
          indices = parse_list("--layers", layers);
          for (const int index : indices) golden::find_layer(model, index);  // names a bad one
        }
        for (const int array : array_list) {
          for (const int index : indices) {
            if (extra) {
              const golden::ConvLayer& layer = golden::find_layer(model, index);
              const golden::Tiling tiling = layer.tiling(golden::ArrayShape::square(array));
              const long long executes = 9LL * tiling.ic_tiles * tiling.oc_tiles *
                                         layer.shape.nij_count();
              if (executes > more_seeds_max_executes) continue;
            }
            for (std::size_t begin = 0; begin <= dataflows.size();) {
              const std::size_t end = std::min(dataflows.find(',', begin), dataflows.size());
              Job job;
              job.row.model = model;
              job.row.layer = index;
              job.row.seed = static_cast<std::uint64_t>(seed);
              job.row.dataflow = dataflows.substr(begin, end - begin);
              job.row.array = golden::ArrayShape::square(array);
              begin = end + 1;
              const std::string stem =
                  fmt::format("{}/{}_layer{}_{}x{}_seed{}{}", scratch, model, index, array, array,
                              seed, job.row.dataflow == "os" ? "_os" : "");
              job.report = stem + ".json";
              job.log = stem + ".log";
              std::filesystem::remove(job.report);
              queue.push_back(std::move(job));
            }
          }
        }
      }
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress: error: {}\n", error.what());
    return 2;
  }

  // Largest layers first keeps the cores busy until the end.
  std::stable_sort(queue.begin(), queue.end(), [](const Job& a, const Job& b) {
    const golden::ConvLayer& la = golden::find_layer(a.row.model, a.row.layer);
    const golden::ConvLayer& lb = golden::find_layer(b.row.model, b.row.layer);
    const auto cost = [](const golden::ConvLayer& layer, int array) {
      const golden::Tiling tiling = layer.tiling(golden::ArrayShape::square(array));
      return static_cast<double>(tiling.ic_tiles) * tiling.oc_tiles * layer.shape.nij_count();
    };
    return cost(la, a.row.array.row) > cost(lb, b.row.array.row);
  });

  fmt::print("regress: {} runs, {} at a time, psum check '{}', cosim {}\n", queue.size(), jobs,
             psum_check, cosim);
  std::fflush(stdout);
  const Clock::time_point start = Clock::now();
  std::size_t next = 0;
  std::size_t finished = 0;
  int failed = 0;
  std::map<pid_t, std::size_t> running;
  Clock::time_point last_progress = start;
  try {
    // Ctrl-C or a CI timeout: stop the workers this run started, then report.
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    while (finished < queue.size()) {
      if (interrupted != 0) {
        for (const auto& [pid, index] : running) {
          kill(pid, SIGTERM);
          waitpid(pid, nullptr, 0);
        }
        fmt::print(stderr, "regress: interrupted after {} of {} runs\n", finished, queue.size());
        return 130;
      }
      while (running.size() < jobs && next < queue.size()) {
        Job& job = queue[next];
        job.started = Clock::now();
        job.pid = start_run(cosim, psum_check, job);
        running[job.pid] = next++;
      }
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid > 0 && running.count(pid) != 0) {
        Job& job = queue[running[pid]];
        running.erase(pid);
        finish(job, status);
        ++finished;
        failed += job.row.pass ? 0 : 1;
        fmt::print("[{:>3}/{}] {:>7.1f} s  {:<34} {} in {:.1f} s, {} cycles{}\n", finished,
                   queue.size(), seconds_since(start), job.row.name(),
                   job.row.pass ? "PASS" : "FAIL", job.row.wall_ms / 1000.0, job.row.cycles,
                   job.row.pass ? "" : ": " + job.row.failure);
        std::fflush(stdout);
        last_progress = Clock::now();
        continue;
      }
      if (seconds_since(last_progress) >= 15.0) {
        // Nothing finished for a while: say what is still running and for how long.
        std::string names;
        for (const auto& [running_pid, index] : running) {
          names += fmt::format("{}{} ({:.0f} s)", names.empty() ? "" : ", ",
                               queue[index].row.name(), seconds_since(queue[index].started));
        }
        fmt::print("[{:>3}/{}] {:>7.1f} s  running: {}\n", finished, queue.size(),
                   seconds_since(start), names);
        std::fflush(stdout);
        last_progress = Clock::now();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "regress: error: {}\n", error.what());
    for (const auto& [pid, index] : running) kill(pid, SIGTERM);
    return 2;
  }

  // The table in catalog order: model, array, seed, then layer.
  std::vector<tb::LayerRow> rows;
  for (const Job& job : queue) rows.push_back(job.row);
  std::stable_sort(rows.begin(), rows.end(), [](const tb::LayerRow& a, const tb::LayerRow& b) {
    return std::tie(a.model, a.array.row, a.seed, a.layer) <
           std::tie(b.model, b.array.row, b.seed, b.layer);
  });
  const double elapsed = seconds_since(start);
  fmt::print("\n");
  tb::print_layer_table(stdout, rows);
  for (const tb::LayerRow& row : rows) {
    if (!row.pass) fmt::print("FAIL {}: {}\n", row.name(), row.failure);
  }
  if (!junit.empty()) {
    try {
      if (std::filesystem::path(junit).has_parent_path()) {
        std::filesystem::create_directories(std::filesystem::path(junit).parent_path());
      }
      tb::write_junit(junit, rows, elapsed);
      fmt::print("JUnit XML: {}\n", junit);
    } catch (const std::exception& error) {
      fmt::print(stderr, "regress: error: {}\n", error.what());
      return 2;
    }
  }
  fmt::print("{} runs={} failed={} elapsed_s={:.1f} jobs={}\n", failed == 0 ? "PASS" : "FAIL",
             rows.size(), failed, elapsed, jobs);
  return failed == 0 ? 0 : 1;
}
