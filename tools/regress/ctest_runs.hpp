// The regression as CTest tests: the test folder regress writes (one add_test per run, most expensive first) and each run's result from CTest's JUnit file and cosim's report.
#pragma once

#include <string>
#include <vector>

#include "run_list.hpp"
#include "shard_results.hpp"

namespace regress {

inline constexpr const char* kCtestFile = "CTestTestfile.cmake";

// The CTest name of a run: "run." + its file stem ("run.vgg16_sq8_layer27_8x8_seed1_os").
std::string test_name(const RunSpec& run);

// Writes folder/CTestTestfile.cmake: for each run, in the given order, an add_test running
// `cosim --model ... --psum-check <psum_check> --report <run.report> --quiet` (cosim's own
// cycle limit and stall watchdog apply) in the folder, labelled regress, the model, the array
// ("8x8") and the dataflow. `ctest --test-dir folder [-I i,,N] [-L label]` runs them. Throws
// std::runtime_error when it cannot be written.
void write_ctest_file(const std::string& folder, const std::vector<RunResult>& runs,
                      const std::string& cosim, const std::string& psum_check);

// One <testcase> of CTest's --output-junit file.
struct CtestCase {
  std::string name;
  double seconds = 0;
  std::string status;  // "run" (passed), "fail", "notrun", "disabled"
  std::string output;  // the test's output (<system-out>, unescaped)
};

// The testcases of a JUnit file CTest wrote; throws golden::InputError naming the file when it
// is missing or not CTest's JUnit.
std::vector<CtestCase> read_ctest_junit(const std::string& path);

// The shard CTest ran from the plan (kPlanFile) of `folder`: one result per testcase, in the
// plan's order, its figures from cosim's report (runs/<stem>.json), its wall time from CTest,
// PASS only when both cosim's report and CTest say so; the test's output written to the run's
// log (runs/<stem>.log). Throws golden::InputError for a testcase that is not in the plan.
ShardResults ctest_shard_results(const ShardResults& plan, const std::vector<CtestCase>& cases,
                                 const std::string& folder);

}  // namespace regress
