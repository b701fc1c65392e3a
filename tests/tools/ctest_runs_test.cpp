// The regression's CTest folder run by the real ctest: tests added most expensive first, ctest -I i,,N picks the planner's stride slice, JUnit read back into PASS/FAIL rows.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "golden/error.hpp"
#include "regress/ctest_runs.hpp"
#include "tb/report.hpp"
#include "text_pattern.hpp"

namespace {

namespace fs = std::filesystem;

const std::vector<regress::RunSpec> kCtestRuns{
    {"vgg16_sq8", 27, 8, 1, "ws"},  {"vgg16_sq8", 27, 16, 1, "ws"},
    {"vgg16_sq8", 24, 8, 1, "ws"},  {"vgg16_sq8", 27, 8, 1, "os"},
    {"vgg16_sq8", 29, 8, 1, "ws"},  {"vgg16_sq8", 24, 16, 1, "os"},
    {"vgg16_sq8", 29, 16, 1, "ws"}};

fs::path ctest_scratch(const std::string& name) {
  const fs::path folder = fs::path(TOOLS_TEST_SCRATCH_DIR) / name;
  fs::remove_all(folder);
  fs::create_directories(folder / "runs");
  return folder;
}

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A stand-in for cosim: prints its arguments and a line with XML specials; fails for layer 24.
std::string fake_cosim(const fs::path& folder) {
  const fs::path path = folder / "fake_cosim.sh";
  std::ofstream(path) << "#!/bin/sh\necho \"fake cosim $*\"\necho 'a <b> & \"c\"'\n"
                         "case \"$*\" in *'--layer 24 '*) exit 3;; esac\nexit 0\n";
  fs::permissions(path, fs::perms::owner_all);
  return path.string();
}

struct Planned {
  regress::ShardResults plan;
  std::vector<regress::ShardItem> items;
};

Planned plan_of(const std::vector<regress::RunSpec>& runs) {
  Planned planned;
  planned.items = regress::shard_items(runs);
  for (const regress::RunSpec& run : runs) planned.plan.run_list.push_back(run.name());
  for (const std::size_t position : regress::cost_order(planned.items)) {
    planned.plan.runs.push_back(regress::pending_result(runs[position]));
  }
  return planned;
}

int run_ctest(const fs::path& folder, const std::string& select) {
  const std::string command = std::string(TOOLS_TEST_CTEST) + " --test-dir " + folder.string() +
                              " -Q --output-junit " + (folder / "junit.xml").string() + " " +
                              select;
  return std::system(command.c_str());
}

TEST(CtestRuns, TestsAreAddedMostExpensiveFirstWithLabels) {
  const fs::path folder = ctest_scratch("ctest_order");
  const Planned planned = plan_of(kCtestRuns);
  regress::write_ctest_file(folder.string(), planned.plan.runs, "/bin/true", "write");
  const std::string text = read_text(folder / regress::kCtestFile);
  const std::string add_test =
      R"re(add_test\((run\.\S+) "/bin/true" "--model" "(\w+)" "--layer" )re"
      R"re("(\d+)" "--array" "(\d+)" "--seed" "(\d+)" "--dataflow" "(\w+)")re";
  long long previous = -1;
  std::set<std::string> names;
  for (const std::vector<std::string>& match : text_pattern::all_matches(text, add_test)) {
    const regress::RunSpec spec{match[2], std::stoi(match[3]), std::stoi(match[4]),
                                std::stoull(match[5]), match[6]};
    EXPECT_EQ(match[1], regress::test_name(spec));
    const long long cost = regress::run_cost(spec);
    if (previous >= 0) {
      EXPECT_LE(cost, previous) << spec.name() << " after a cheaper run";
    }
    previous = cost;
    names.insert(spec.name());
    EXPECT_NE(text.find("set_tests_properties(" + match[1] + " PROPERTIES LABELS \"regress;" +
                        spec.model + ";" + match[4] + "x" + match[4] + ";" +
                        spec.dataflow + "\")"),
              std::string::npos)
        << spec.name();
  }
  EXPECT_EQ(names.size(), kCtestRuns.size());
}

// What ctest -I i,,N runs is the planner's stride slice i of N, for every i.
TEST(CtestRuns, CtestStrideShardIsThePlannersSlice) {
  const fs::path folder = ctest_scratch("ctest_stride");
  const Planned planned = plan_of(kCtestRuns);
  regress::write_ctest_file(folder.string(), planned.plan.runs, "/bin/true", "write");
  const regress::ShardPlan slices = regress::plan_shards(planned.items, 3);
  for (int index = 1; index <= 3; ++index) {
    ASSERT_EQ(run_ctest(folder, "-I " + std::to_string(index) + ",,3"), 0);
    std::set<std::string> ran;
    for (const regress::CtestCase& test : regress::read_ctest_junit(
             (folder / "junit.xml").string())) {
      ran.insert(test.name);
    }
    std::set<std::string> planned_names;
    for (const std::size_t position : slices.members[static_cast<std::size_t>(index - 1)]) {
      planned_names.insert(regress::test_name(kCtestRuns[position]));
    }
    EXPECT_EQ(ran, planned_names) << "shard " << index << "/3";
  }
}

// Layer 27 8x8 ws has a passing report, layer 24 exits 3, the rest exit 0 without a report.
TEST(CtestRuns, ResultsComeFromTheReportAndCtestTogether) {
  const fs::path folder = ctest_scratch("ctest_results");
  const Planned planned = plan_of(kCtestRuns);
  regress::write_ctest_file(folder.string(), planned.plan.runs, fake_cosim(folder), "write");
  tb::RunSummary report;
  report.layer_name = "vgg16_sq8 features[27]";
  report.pass = true;
  report.cycles = 697;
  const regress::RunSpec good{"vgg16_sq8", 27, 8, 1, "ws"};
  tb::write_json_report((folder / "runs" / (good.file_stem() + ".json")).string(), report);
  EXPECT_NE(run_ctest(folder, ""), 0);  // layer 24 fails
  const std::vector<regress::CtestCase> cases =
      regress::read_ctest_junit((folder / "junit.xml").string());
  ASSERT_EQ(cases.size(), kCtestRuns.size());
  const regress::ShardResults results =
      regress::ctest_shard_results(planned.plan, cases, folder.string());
  ASSERT_EQ(results.runs.size(), kCtestRuns.size());
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const regress::RunResult& run = results.runs[i];
    EXPECT_EQ(run.spec.name(), planned.plan.runs[i].spec.name()) << "not in the plan's order";
    const std::string log = read_text(folder / run.log);
    EXPECT_NE(log.find("a <b> & \"c\""), std::string::npos) << log;
    EXPECT_NE(log.find("--layer " + std::to_string(run.spec.layer) + " "), std::string::npos);
    if (run.spec.name() == good.name()) {
      EXPECT_TRUE(run.row.pass) << run.row.failure;
      EXPECT_EQ(run.row.cycles, 697u);
    } else if (run.spec.layer == 24) {
      EXPECT_FALSE(run.row.pass);
      EXPECT_NE(run.row.failure.find("cosim wrote no report (ctest: fail)"), std::string::npos)
          << run.row.failure;
    } else {
      EXPECT_FALSE(run.row.pass);
      EXPECT_NE(run.row.failure.find("cosim wrote no report (ctest: passed)"), std::string::npos)
          << run.row.failure;
    }
  }
}

TEST(CtestRuns, RefusesATestOutsideThePlanAndAMissingJunit) {
  const Planned planned = plan_of({kCtestRuns[0], kCtestRuns[1]});
  const fs::path folder = ctest_scratch("ctest_outside");
  const std::vector<regress::CtestCase> cases{{regress::test_name(kCtestRuns[2]), 1.0, "run", ""}};
  EXPECT_THROW(regress::ctest_shard_results(planned.plan, cases, folder.string()),
               golden::InputError);
  EXPECT_THROW(regress::read_ctest_junit((folder / "none.xml").string()), golden::InputError);
}

}  // namespace
