// `cosim --layer all`: every conv layer of a model, in worker processes, with progress, the layer table and the model's totals.
#include "tb/whole_model.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tb/dataflow.hpp"
#include "tb/errors.hpp"
#include "tb/layer_table.hpp"

namespace tb {
namespace {

// What a layer's run ended with: its summary, or the bad-input error that stopped it.
struct LayerOutcome {
  std::optional<RunSummary> summary;
  std::string error;  // the exception's message (exit code 2 for the whole run)
};

// A worker: the layer's index in the catalog list, its process and the pipe it reports on.
struct Worker {
  std::size_t layer = 0;
  pid_t pid = -1;
  int pipe = -1;
  std::string text;  // what the worker wrote so far
};

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// The message a worker sends: 'S' and the JSON summary, or 'E' and the error message.
std::string run_in_worker(const RunOptions& options) {
  try {
    return "S" + json_report(run_cosim(options));
  } catch (const std::exception& error) {
    return std::string("E") + error.what();
  }
}

LayerOutcome outcome_of(const std::string& text, int status, const std::string& layer_name) {
  LayerOutcome outcome;
  if (!text.empty() && text[0] == 'E') {
    outcome.error = text.substr(1);
    return outcome;
  }
  if (!text.empty() && text[0] == 'S') {
    try {
      outcome.summary = summary_from_json(text.substr(1));
      return outcome;
    } catch (const std::exception&) {
      // Reported below as a worker that ended without a result.
    }
  }
  // The worker died before reporting (a crash in the model, a kill): the layer fails.
  RunSummary failed;
  failed.layer_name = layer_name;
  failed.pass = false;
  failed.failure = WIFSIGNALED(status)
                       ? fmt::format("the layer's worker process was killed by signal {} ({})",
                                     WTERMSIG(status), strsignal(WTERMSIG(status)))
                       : fmt::format("the layer's worker process ended with exit code {} and no "
                                     "result",
                                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  outcome.summary = failed;
  return outcome;
}

// Runs every layer, `jobs` worker processes at a time (fork: each worker runs run_cosim on its
// own copy of this process and sends its summary back through a pipe), in `order` (catalog
// positions). `finished(i, outcome)` is called for layer i as soon as its worker ends; it
// returns false to stop (the workers still running are then killed).
template <class Finished>
void run_in_workers(const RunOptions& options, const std::vector<golden::ConvLayer>& layers,
                    const std::vector<std::size_t>& order, int jobs, Finished finished) {
  std::vector<Worker> workers;
  std::size_t next_layer = 0;  // position in order
  std::size_t ended = 0;
  bool stop = false;
  const auto kill_workers = [&workers] {
    for (Worker& worker : workers) {
      ::kill(worker.pid, SIGKILL);
      ::close(worker.pipe);
      int status = 0;
      while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    workers.clear();
  };
  while (!stop && ended < layers.size()) {
    while (static_cast<int>(workers.size()) < jobs && next_layer < order.size()) {
      int fds[2];
      if (::pipe(fds) != 0) {
        kill_workers();
        throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
      }
      std::fflush(stdout);
      std::fflush(stderr);
      const pid_t pid = ::fork();
      if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        kill_workers();
        throw std::runtime_error(fmt::format("cannot start a worker: {}", std::strerror(errno)));
      }
      if (pid == 0) {
        ::close(fds[0]);
        for (const Worker& worker : workers) ::close(worker.pipe);
        RunOptions layer_options = options;
        layer_options.layer = layers[order[next_layer]].index;
        write_all(fds[1], run_in_worker(layer_options));
        ::close(fds[1]);
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(0);  // no atexit handlers or static destructors of the parent's copy
      }
      ::close(fds[1]);
      workers.push_back({order[next_layer], pid, fds[0], {}});
      ++next_layer;
    }
    std::vector<pollfd> polls;
    for (const Worker& worker : workers) polls.push_back({worker.pipe, POLLIN, 0});
    if (::poll(polls.data(), polls.size(), -1) < 0) {
      if (errno == EINTR) continue;
      kill_workers();
      throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    }
    for (std::size_t i = polls.size(); i-- > 0;) {
      if (polls[i].revents == 0) continue;
      Worker& worker = workers[i];
      char buffer[65536];
      const ssize_t n = ::read(worker.pipe, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        worker.text.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      ::close(worker.pipe);
      int status = 0;
      while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
      }
      const std::size_t layer = worker.layer;
      const LayerOutcome outcome = outcome_of(worker.text, status, layers[layer].name());
      workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(i));
      ++ended;
      if (!stop) stop = !finished(layer, outcome);
    }
  }
  kill_workers();
}

}  // namespace

std::vector<long long> predicted_layer_cycles(const RunOptions& options,
                                              const std::vector<golden::ConvLayer>& layers) {
  std::vector<long long> cycles(layers.size(), 0);
  const golden::ArrayShape array = golden::ArrayShape::square(options.array);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    try {
      for (const DataflowStrategy* dataflow : dataflow_sequence(options.dataflow)) {
        cycles[i] += dataflow->predicted_cycles(array, layers[i].shape);
      }
    } catch (const std::exception&) {
      cycles[i] = -1;
    }
  }
  return cycles;
}

std::vector<std::size_t> longest_first(std::vector<long long> cycles) {
  for (long long& count : cycles) {
    if (count < 0) count = std::numeric_limits<long long>::max();
  }
  std::vector<std::size_t> order(cycles.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&cycles](std::size_t a, std::size_t b) { return cycles[a] > cycles[b]; });
  return order;
}

int default_jobs() {
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  return cores > 0 ? static_cast<int>(cores) : 1;
}

bool run_whole_model(const RunOptions& options, bool quiet, int jobs,
                     const std::string& report_path) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<golden::ConvLayer>& layers = golden::conv_layers(options.model);
  // Every layer writes the same waveform or stimulus file: workers side by side would write
  // it at once, so those runs stay one after the other.
  if (!options.trace.path.empty() || !options.stimulus.empty() ||
      !options.export_stimulus.empty()) {
    jobs = 1;
  }
  // What the run is about to do, before the first layer's wait.
  const std::vector<long long> predicted_cycles = predicted_layer_cycles(options, layers);
  long long predicted = 0;
  bool all_predicted = true;
  for (const long long count : predicted_cycles) {
    if (count < 0) all_predicted = false;
    predicted += count < 0 ? 0 : count;
  }
  // (A user core runs the course's flow, which these predictions, of this core's schedule, do
  // not price: its line leaves them out.)
  fmt::print("{}: {} layers on {}x{}{}; {}\n", options.model, layers.size(), options.array,
             options.array,
             options.course_flow ? std::string()
                                 : fmt::format(", {}{} cycles predicted",
                                               all_predicted ? "" : "at least ", predicted),
             jobs <= 1 ? std::string("one after the other in this process")
                       : fmt::format("{} worker processes, longest first", jobs));
  std::fflush(stdout);
  // Filled as layers end; the table and the report list them in catalog order.
  std::vector<std::optional<RunSummary>> summaries(layers.size());
  std::size_t printed = 0;
  const auto progress = [&](std::size_t i) {
    fmt::print("[{}/{}] {} on {}x{}: ", ++printed, layers.size(), layers[i].name(), options.array,
               options.array);
  };
  const auto result = [&](std::size_t i, const RunSummary& summary) {
    summaries[i] = summary;
    if (quiet) {
      fmt::print("{} cycles={} wall_ms={:.0f}\n", summary.pass ? "PASS" : "FAIL", summary.cycles,
                 summary.wall_ms);
    } else {
      fmt::print("{}\n", final_line(summary));
    }
    if (!summary.pass) fmt::print("  error: {}\n", summary.failure);
    std::fflush(stdout);
  };
  if (jobs <= 1) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      RunOptions layer_options = options;
      layer_options.layer = layers[i].index;
      progress(i);
      std::fflush(stdout);
      result(i, run_cosim(layer_options));
    }
  } else {
    std::string error;
    run_in_workers(options, layers, longest_first(predicted_cycles), jobs,
                   [&](std::size_t i, const LayerOutcome& outcome) {
                     progress(i);
                     if (!outcome.summary) {
                       std::fflush(stdout);
                       error = outcome.error;
                       return false;
                     }
                     result(i, *outcome.summary);
                     return true;
                   });
    // Bad input stops the whole model at the first layer that reports it, as in one process.
    if (!error.empty()) throw UsageError(error);
  }
  std::vector<LayerRow> rows;
  std::vector<RunSummary> in_order;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    rows.push_back(layer_row(*summaries[i], options.model, layers[i].index, options.seed));
    in_order.push_back(*summaries[i]);
  }
  fmt::print("\n");
  print_layer_table(stdout, rows);
  WholeModelTotals totals;
  totals.pass = true;
  for (const LayerRow& row : rows) {
    totals.cycles += row.cycles;
    totals.pass = totals.pass && row.pass;
  }
  totals.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  totals.model = options.model;
  totals.array = golden::ArrayShape::square(options.array);
  totals.jobs = jobs < 1 ? 1 : jobs;
  totals.psum_check = to_string(options.sequencer.psum_check);
  if (!report_path.empty()) write_json_report(report_path, in_order, totals);
  fmt::print("{} model={} array={}x{} layers={} cycles={} wall_ms={:.0f} psum_check={}\n",
             totals.pass ? "PASS" : "FAIL", options.model, options.array, options.array,
             rows.size(), totals.cycles, totals.wall_ms, totals.psum_check);
  return totals.pass;
}

}  // namespace tb
