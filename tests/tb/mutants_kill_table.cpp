// mutants_kill_table: runs each mutation build of the core end to end and prints which deliberate fault the checker caught, and where.
//
// Every mutant runs layer 27 of vgg16_sq8 (8x8) in its own cosim process with a JSON report
// and a VCD waveform. A mutant counts as killed only when the process exits 1 and the
// failure is of the kind the fault must produce: psum mismatches for faults before pmem,
// sfp_out mismatches with every psum matching for SFP faults, ofifo_valid off the contract's
// cycle count at a named cycle for OFIFO handshake faults, the watchdog naming what it waited
// for on a hang, an RTL assertion for a FIFO misuse. Every waveform must be complete
// (header intact, last time stamp = the run's last cycle). The good core runs first and
// must pass the same checks. Exit code: 0 every mutant killed at the right place, 1 not,
// 2 bad usage. With --also NAME=ARGS every build also runs those cosim arguments (multi-tile
// layers, stress inputs, dataflow switching): one more column per run, killed or not; the good
// core must pass each of them, and a named fault listed with such a run must be killed there.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tb/command_line.hpp"
#include "tb/report.hpp"

namespace {

namespace fs = std::filesystem;

// Where a run's first failure showed up.
enum class Place { Pass, Psum, SfpOut, Contract, Watchdog, Assertion, Other };

const char* to_string(Place place) {
  switch (place) {
    case Place::Pass: return "none (pass)";
    case Place::Psum: return "psum";
    case Place::SfpOut: return "sfp_out";
    case Place::Contract: return "contract (ofifo_valid)";
    case Place::Watchdog: return "watchdog";
    case Place::Assertion: return "assertion";
    case Place::Other: return "other";
  }
  return "?";
}

struct MutantInfo {
  const char* description;
  Place expected;
};

// The named faults (tests/mutants/*.patch, tools/mutation/README.md) and where the end-to-end
// check must see each of them.
const std::map<std::string, MutantInfo>& known_mutants() {
  static const std::map<std::string, MutantInfo> mutants{
      {"MUTANT_NO_SIGN_EXT", {"weight read unsigned (sign extension dropped)", Place::Psum}},
      {"MUTANT_PSUM_STUCK_BIT", {"bit 3 of the south psum bus stuck at 1", Place::Psum}},
      {"MUTANT_LOAD_ORDER", {"kernel load: every PE of a row keeps word 0", Place::Psum}},
      {"MUTANT_SKEW_OFF_BY_ONE", {"L0 rows 1.. read one cycle late (skew off by one)", Place::Psum}},
      {"MUTANT_FIFO_PTR_WRAP", {"FIFO write pointer wraps one slot early", Place::Psum}},
      {"MUTANT_OFIFO_VALID_EARLY", {"o_valid when any (not every) column holds a word",
                                    Place::Contract}},
      {"MUTANT_OFIFO_VALID_STUCK_LOW", {"o_valid stuck at 0", Place::Contract}},
      {"MUTANT_SFP_DROP_ACC", {"SFP accumulates one kij too few", Place::SfpOut}},
      {"MUTANT_RELU_WRONG_SIGN", {"ReLU on the wrong sign", Place::SfpOut}},
      {"MUTANT_WEIGHT_MIN_AS_PLUS8", {"weight 1000 read as +8 (not -8)", Place::Pass}},
      {"MUTANT_RAW_IGNORES_OLD_WORD", {"read-add-write ignores the old pmem word", Place::Pass}},
  };
  return mutants;
}

struct Outcome {
  std::string mutant;
  std::string description;
  Place expected = Place::Other;
  int exit_code = -1;
  Place place = Place::Other;
  std::string first;  // the first mismatch or the failure line
  long long psum_mismatches = 0;
  long long output_mismatches = 0;
  bool traced = true;         // the build has waveform code (the run writes a waveform)
  std::string trace_problem;  // empty: the waveform is complete (or none was asked for)
  std::string verdict_problem;  // empty: killed at the right place (or, for the good core, passed)
  std::vector<int> also_exit;   // exit code of each --also run
};

// The faults layer 27 cannot show, and the --also run that must kill each of them.
const std::map<std::string, std::string>& killing_run() {
  static const std::map<std::string, std::string> runs{
      {"MUTANT_WEIGHT_MIN_AS_PLUS8", "stress"},
      {"MUTANT_RAW_IGNORES_OLD_WORD", "ic_tiles"},
  };
  return runs;
}

// Runs one more cosim command for a build: its exit code (-1 when it did not exit).
int run_also(const std::string& program, const std::string& mutant, const std::string& arguments,
             const fs::path& log) {
  std::string command = fmt::format("'{}' {} -q", program, arguments);
  if (!mutant.empty()) command += fmt::format(" --rtl-variant {}", mutant);
  command += fmt::format(" > '{}' 2>&1", log.string());
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The VCD must have its header and end at the run's last time stamp: cycle c's inputs are at
// 10c, so after `cycles` cycles the final dump is at 10*cycles.
std::string check_trace(const fs::path& path, unsigned long long cycles) {
  std::ifstream file(path);
  if (!file) return fmt::format("{}: missing", path.string());
  bool header_done = false;
  bool has_scope = false;
  std::string last_time;
  std::string line;
  while (std::getline(file, line)) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos) line.erase(0, start);
    if (line.rfind("$scope", 0) == 0) has_scope = true;
    if (line.rfind("$enddefinitions", 0) == 0) header_done = true;
    if (!line.empty() && line[0] == '#') last_time = line.substr(1);
  }
  if (!has_scope || !header_done) return fmt::format("{}: header incomplete", path.string());
  const std::string expected = std::to_string(10ULL * cycles);
  if (last_time != expected) {
    return fmt::format("{}: last time stamp #{} (expected #{} after {} cycles)", path.string(),
                       last_time, expected, cycles);
  }
  return {};
}

// The mutant's name, fault and expected place from the table (the good core for "").
Outcome outcome_of(const std::string& mutant) {
  Outcome outcome;
  outcome.mutant = mutant.empty() ? "(good core)" : mutant;
  const auto info = known_mutants().find(mutant);
  if (mutant.empty()) {
    outcome.description = "the real RTL";
    outcome.expected = Place::Pass;
  } else if (info != known_mutants().end()) {
    outcome.description = info->second.description;
    outcome.expected = info->second.expected;
  } else {
    outcome.description = "(not in this table)";
    outcome.expected = Place::Other;
  }
  return outcome;
}

// Where the report's first failure showed up, and its line.
void classify_failure(const tb::RunSummary& summary, Outcome& outcome) {
  const std::string& failure = summary.failure;
  const std::vector<std::string>& details = summary.mismatch_lines;
  if (summary.pass) {
    outcome.place = Place::Pass;
  } else if (failure.find(": ofifo_valid is ") != std::string::npos) {
    outcome.place = Place::Contract;
    outcome.first = failure;
  } else if (failure.rfind("watchdog:", 0) == 0) {
    outcome.place = Place::Watchdog;
    outcome.first = failure;
  } else if (failure.find("the RTL reported an error") != std::string::npos) {
    outcome.place = Place::Assertion;
    outcome.first = failure;
  } else if (!details.empty()) {
    outcome.first = details.front();
    outcome.place = details.front().find(": psum of ") != std::string::npos ? Place::Psum
                                                                            : Place::SfpOut;
  } else {
    outcome.first = failure;
  }
}

// True when the failure starts "at cycle <digits>: ofifo_valid is ".
bool names_contract_cycle(const std::string& failure) {
  const std::string head = "at cycle ";
  if (failure.compare(0, head.size(), head) != 0) return false;
  std::size_t end = head.size();
  while (end < failure.size() && failure[end] >= '0' && failure[end] <= '9') ++end;
  const std::string tail = ": ofifo_valid is ";
  return end > head.size() && failure.compare(end, tail.size(), tail) == 0;
}

// The verdict: the exit code and the kind of place the fault must show up at ("" when right).
std::string verdict_problem(const Outcome& outcome, const std::string& failure) {
  const int expected_exit = outcome.expected == Place::Pass ? 0 : 1;
  if (outcome.exit_code != expected_exit) {
    return fmt::format("exit {} (expected {})", outcome.exit_code, expected_exit);
  }
  if (outcome.place != outcome.expected && outcome.expected != Place::Other) {
    return fmt::format("caught at {}, expected {}", to_string(outcome.place),
                       to_string(outcome.expected));
  }
  if (outcome.expected == Place::SfpOut && outcome.psum_mismatches != 0) {
    return fmt::format("{} psum mismatches: an SFP fault must leave every psum right",
                       outcome.psum_mismatches);
  }
  if (outcome.expected == Place::SfpOut && outcome.output_mismatches == 0) {
    return "no sfp_out mismatch";
  }
  if (outcome.expected == Place::Psum && outcome.psum_mismatches == 0) return "no psum mismatch";
  if (outcome.expected == Place::Contract &&
      !names_contract_cycle(failure)) {
    return "the contract failure does not name the cycle";
  }
  if (!outcome.trace_problem.empty()) return "waveform incomplete";
  return {};
}

// traced: the build has waveform code; the run then writes a waveform, which must be complete.
Outcome run_one(const std::string& program, const std::string& mutant, const fs::path& scratch,
                const std::vector<std::string>& extra, bool traced) {
  Outcome outcome = outcome_of(mutant);
  outcome.traced = traced;
  const std::string stem = mutant.empty() ? "good" : mutant;
  const fs::path report = scratch / (stem + ".json");
  const fs::path trace = scratch / (stem + ".vcd");
  const fs::path log = scratch / (stem + ".log");
  fs::remove(report);
  std::string command = fmt::format("'{}' --layer 27 --array 8 --report '{}'", program,
                                    report.string());
  if (traced) command += fmt::format(" --trace '{}'", trace.string());
  if (!mutant.empty()) command += fmt::format(" --rtl-variant {}", mutant);
  for (const std::string& arg : extra) command += " '" + arg + "'";
  command += fmt::format(" > '{}' 2>&1", log.string());
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) {
    outcome.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    outcome.first = fmt::format("the process died (see {})", log.string());
    outcome.verdict_problem = "crashed";
    return outcome;
  }
  outcome.exit_code = WEXITSTATUS(status);
  if (!fs::exists(report)) {
    outcome.first = fmt::format("no report (see {})", log.string());
    outcome.verdict_problem = "no JSON report";
    return outcome;
  }
  tb::RunSummary summary;
  try {
    summary = tb::read_json_report(report.string());
  } catch (const std::runtime_error& error) {
    outcome.verdict_problem = error.what();
    return outcome;
  }
  outcome.psum_mismatches = summary.psum_mismatches;
  outcome.output_mismatches = summary.output_mismatches;
  classify_failure(summary, outcome);
  if (traced) outcome.trace_problem = check_trace(trace, summary.cycles);
  outcome.verdict_problem = verdict_problem(outcome, summary.failure);
  return outcome;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// "NAME=VALUE" options split at the first '='; false (with the error printed) when one is not.
bool split_pairs(const std::vector<std::string>& items, const char* option, const char* form,
                 bool value_required, Pairs& pairs) {
  for (const std::string& item : items) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0 ||
        (value_required && equals + 1 == item.size())) {
      fmt::print(stderr, "mutants_kill_table: error: {} {}: expected {}\n", option, item, form);
      return false;
    }
    pairs.emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  return true;
}

// Every --also run on every build (the good core first): the good core must pass each, and a
// fault layer 27 cannot show must be killed by its run, which must then be listed.
void run_also_runs(std::vector<Outcome>& outcomes, const Pairs& jobs, const Pairs& also,
                   const std::string& control, const std::string& scratch) {
  std::vector<std::string> programs{control};
  for (const auto& job : jobs) programs.push_back(job.second);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    Outcome& o = outcomes[i];
    const std::string mutant = i == 0 ? std::string() : jobs[i - 1].first;
    const auto must = killing_run().find(mutant);
    for (const auto& [name, arguments] : also) {
      const fs::path log =
          fs::path(scratch) / fmt::format("{}_{}.log", i == 0 ? "good" : mutant, name);
      o.also_exit.push_back(run_also(programs[i], mutant, arguments, log));
      const int code = o.also_exit.back();
      if (i == 0 && code != 0 && o.verdict_problem.empty()) {
        o.verdict_problem = fmt::format("{}: the good core fails (exit {}, see {})", name, code,
                                        log.string());
      } else if (must != killing_run().end() && must->second == name && code != 1) {
        o.verdict_problem = fmt::format("{}: not killed (exit {}, see {})", name, code,
                                        log.string());
      }
    }
    // A fault layer 27 cannot show counts as killed when its run kills it.
    if (must != killing_run().end() && o.verdict_problem.empty()) {
      bool listed = false;
      for (const auto& run : also) listed = listed || run.first == must->second;
      if (!listed) o.verdict_problem = fmt::format("needs --also {}=...", must->second);
    }
  }
}

// The kill table and its verdict line; 0 when every mutant is killed and the good core passes.
int print_kill_table(const std::vector<Outcome>& outcomes, const Pairs& also) {
  std::string also_header;
  for (const auto& run : also) also_header += fmt::format(" {:>10}", run.first);
  fmt::print("{:<30} {:<50} {:>4} {:<10} {:>7} {:>7} {:<6}{} {}\n", "mutant", "fault", "exit",
             "caught at", "psum_mm", "out_mm", "killed", also_header,
             "first mismatch / failure (layer 27)");
  int killed = 0;
  int problems = 0;
  for (const Outcome& o : outcomes) {
    const bool good = o.verdict_problem.empty();
    const bool is_control = &o == &outcomes.front();
    if (!is_control && good) ++killed;
    if (!good) ++problems;
    const std::string first = o.first.size() > 200 ? o.first.substr(0, 197) + "..." : o.first;
    std::string also_cells;
    for (const int code : o.also_exit) {
      also_cells += fmt::format(" {:>10}", code == 0 ? "passes" : code == 1 ? "killed"
                                                                  : fmt::format("exit {}", code));
    }
    fmt::print("{:<30} {:<50} {:>4} {:<10} {:>7} {:>7} {:<6}{} {}\n", o.mutant, o.description,
               o.exit_code, to_string(o.place), o.psum_mismatches, o.output_mismatches,
               is_control ? (good ? "passes" : "FAILS") : (good ? "yes" : "NO"), also_cells,
               first);
    if (!good) fmt::print("  problem: {}\n", o.verdict_problem);
    if (!o.trace_problem.empty()) fmt::print("  waveform: {}\n", o.trace_problem);
    if (!o.traced) fmt::print("  waveform: none (built without waveform code)\n");
  }
  fmt::print("{} of {} mutants killed at the right kind of place; good core {}\n", killed,
             outcomes.size() - 1, outcomes.front().verdict_problem.empty() ? "passes" : "FAILS");
  return problems == 0 ? 0 : 1;
}

// The good core, then every mutation build, then the --also runs and the table.
int run_table(const std::string& control, const Pairs& jobs, const Pairs& also,
              const std::string& scratch, const std::vector<std::string>& extra,
              const std::set<std::string>& untraced) {
  std::vector<Outcome> outcomes;
  outcomes.push_back(run_one(control, "", scratch, extra, true));
  for (const auto& [mutant, program] : jobs) {
    outcomes.push_back(run_one(program, mutant, scratch, extra, untraced.count(mutant) == 0));
  }
  run_also_runs(outcomes, jobs, also, control, scratch);
  return print_kill_table(outcomes, also);
}

constexpr const char* kDescription =
    "mutants_kill_table: runs layer 27 on every given mutation build of the core and prints\n"
    "the kill table: mutant, fault, exit code, where the failure showed up (psum, sfp_out,\n"
    "watchdog, assertion), the first mismatch, killed yes/no. Exit 0 when every mutant is\n"
    "killed at the kind of place its fault must show up at and the good core passes.";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> runs;
  std::string control;
  std::string scratch = "mutants";
  std::vector<std::string> extra;
  std::vector<std::string> also_runs;
  std::vector<std::string> untraced;
  cmdline::App app{kDescription, "mutants_kill_table"};
  app.add_option("--run", runs, "MUTANT_X=PROGRAM: a cosim program holding that mutation build")
      ->required();
  app.add_option("--control", control, "The cosim program with the real core (must pass)")
      ->required();
  app.add_option("--scratch", scratch, "Folder for the reports, logs and waveforms")
      ->capture_default_str();
  app.add_option("--cosim-arg", extra, "One more argument for every cosim run");
  app.add_option("--also", also_runs,
                 "NAME=ARGS: one more cosim run per build (ARGS space-separated), e.g. "
                 "ic_tiles='--layer 24 --psum-check write'");
  app.add_option("--untraced", untraced,
                 "MUTANT_X: a build without waveform code; its run writes no waveform (every "
                 "other run writes one, which must be complete)");
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) {
      app.exit(error);
      return 0;
    }
    fmt::print(stderr, "mutants_kill_table: error: {}\n", error.what());
    return 2;
  }
  Pairs jobs;  // mutant, program
  if (!split_pairs(runs, "--run", "MUTANT_X=PROGRAM", true, jobs)) return 2;
  std::error_code error;
  fs::create_directories(scratch, error);
  if (error) {
    fmt::print(stderr, "mutants_kill_table: error: {}: {}\n", scratch, error.message());
    return 2;
  }
  Pairs also;  // name, arguments
  if (!split_pairs(also_runs, "--also", "NAME=ARGS", false, also)) return 2;
  for (const std::string& name : untraced) {
    bool known = false;
    for (const auto& job : jobs) known = known || job.first == name;
    if (!known) {
      fmt::print(stderr, "mutants_kill_table: error: --untraced {}: no --run {}=PROGRAM\n",
                 name, name);
      return 2;
    }
  }
  return run_table(control, jobs, also, scratch, extra,
                   std::set<std::string>(untraced.begin(), untraced.end()));
}
