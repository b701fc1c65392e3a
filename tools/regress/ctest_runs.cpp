// The regression's CTest folder (CTestTestfile.cmake from the planned runs) and the shard's results from CTest's JUnit file and cosim's reports.
#include "ctest_runs.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "golden/error.hpp"
#include "tb/report.hpp"

namespace regress {

namespace {

// A CMake quoted argument: backslash, double quote and dollar escaped.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"' || c == '$') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The value of attribute `name` in the start tag `tag` ("" when absent).
std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t begin = tag.find(key);
  if (begin == std::string::npos) return {};
  const std::size_t value = begin + key.size();
  const std::size_t end = tag.find('"', value);
  return end == std::string::npos ? std::string() : tag.substr(value, end - value);
}

std::string unescaped(const std::string& text) {
  static const std::map<std::string, char> kEntities{
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i];
  }
  return out;
}

std::string last_line_of(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::string last;
  while (std::getline(lines, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  if (!file || !(file << text) || !file.flush()) {
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path.string(),
                                         std::strerror(errno)));
  }
}

// A planned run finished as CTest says: figures from cosim's report, or a failure naming how
// the test ended and its last line of output when cosim wrote no report.
RunResult finished_run(RunResult run, const CtestCase& test, const std::filesystem::path& folder) {
  write_text(folder / run.log, test.output);
  const double wall_ms = test.seconds * 1000.0;
  const bool passed = test.status == "run";
  tb::RunSummary report;
  try {
    report = tb::read_json_report((folder / run.report).string());
  } catch (const std::runtime_error&) {
    run.row.pass = false;
    run.row.wall_ms = wall_ms;
    run.row.failure = fmt::format("cosim wrote no report (ctest: {}): {} (log {})",
                                  passed ? "passed" : test.status, last_line_of(test.output),
                                  (folder / run.log).string());
    run.report.clear();
    return run;
  }
  tb::LayerRow& row = run.row;
  row = tb::layer_row(report, run.spec.model, run.spec.layer, run.spec.seed);
  row.wall_ms = wall_ms;  // the whole process, not only cosim's own run
  row.pass = report.pass && passed;
  if (!row.pass && row.failure.empty()) {
    row.failure = fmt::format("ctest: {}: {}", test.status, last_line_of(test.output));
  }
  return run;
}

}  // namespace

std::string test_name(const RunSpec& run) { return "run." + run.file_stem(); }

void write_ctest_file(const std::string& folder, const std::vector<RunResult>& runs,
                      const std::string& cosim, const std::string& psum_check) {
  std::string text = fmt::format(
      "# The regression's runs, most expensive first (regress --out {}): ctest --test-dir {}\n",
      folder, folder);
  for (const RunResult& run : runs) {
    const RunSpec& spec = run.spec;
    const std::vector<std::string> command{
        cosim, "--model", spec.model, "--layer", std::to_string(spec.layer),
        "--array", std::to_string(spec.array), "--seed", std::to_string(spec.seed),
        "--dataflow", spec.dataflow, "--psum-check", psum_check, "--report", run.report,
        "--quiet"};
    const std::string name = test_name(spec);
    text += "add_test(" + name;
    for (const std::string& word : command) text += " " + quoted(word);
    text += fmt::format(")\nset_tests_properties({} PROPERTIES LABELS {})\n", name,
                        quoted(fmt::format("regress;{};{}x{};{}", spec.model, spec.array,
                                           spec.array, spec.dataflow)));
  }
  std::filesystem::create_directories(folder);
  write_text(std::filesystem::path(folder) / kCtestFile, text);
}

std::vector<CtestCase> read_ctest_junit(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw golden::InputError(path, "missing: ctest did not finish (or was not given "
                                   "--output-junit this file)");
  }
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (text.find("<testsuite") == std::string::npos) {
    throw golden::InputError(path, "not a JUnit file of ctest (no <testsuite>)");
  }
  std::vector<CtestCase> cases;
  for (std::size_t at = text.find("<testcase "); at != std::string::npos;
       at = text.find("<testcase ", at + 1)) {
    const std::size_t tag_end = text.find('>', at);
    const std::size_t end = text.find("</testcase>", at);
    if (tag_end == std::string::npos || end == std::string::npos) {
      throw golden::InputError(path, fmt::format("testcase at byte {} is not closed", at));
    }
    const std::string tag = text.substr(at, tag_end - at);
    CtestCase test{attribute(tag, "name"), 0, attribute(tag, "status"), {}};
    try {
      test.seconds = std::stod(attribute(tag, "time"));
    } catch (const std::exception&) {
      throw golden::InputError(path, fmt::format("testcase '{}': time '{}' is not a number",
                                                 test.name, attribute(tag, "time")));
    }
    const std::string body = text.substr(tag_end + 1, end - tag_end - 1);
    const std::size_t out = body.find("<system-out>");
    const std::size_t out_end = body.find("</system-out>");
    if (out != std::string::npos && out_end != std::string::npos && out_end > out) {
      test.output = unescaped(body.substr(out + 12, out_end - out - 12));
    }
    cases.push_back(test);
  }
  return cases;
}

ShardResults ctest_shard_results(const ShardResults& plan, const std::vector<CtestCase>& cases,
                                 const std::string& folder) {
  std::map<std::string, const CtestCase*> by_name;
  for (const CtestCase& test : cases) by_name[test.name] = &test;
  ShardResults results;
  results.run_list = plan.run_list;
  for (const RunResult& run : plan.runs) {
    const auto found = by_name.find(test_name(run.spec));
    if (found == by_name.end()) continue;
    results.runs.push_back(finished_run(run, *found->second, folder));
    by_name.erase(found);
  }
  if (!by_name.empty()) {
    throw golden::InputError(fmt::format(
        "ctest ran '{}', which is not a run of {}: the plan changed after ctest started",
        by_name.begin()->first, (std::filesystem::path(folder) / kPlanFile).string()));
  }
  return results;
}

}  // namespace regress
