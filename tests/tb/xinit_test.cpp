// Uninitialized state: the end-to-end layers give identical results whatever Verilator's random reset puts in the registers, and the seed really reaches the model.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mutants_test_support.hpp"
#include "text_pattern.hpp"

namespace {

using fault_test::run_program;
using fault_test::scratch;

const char* const kRandomReset = "+verilator+rand+reset+2";
const std::vector<std::string> kSeeds{"+verilator+seed+3", "+verilator+seed+1234",
                                      "+verilator+seed+987654"};

// The final line without the wall-clock figures, which differ from run to run.
std::string stable_part(const std::string& final_line) {
  return text_pattern::replace(final_line, " (wall_ms|sim_ms|cycles_per_s)=[0-9.]+", "");
}

// The values the model shows at time 0, before the first clock edge: the initial state.
std::string initial_values(const std::string& vcd_path) {
  std::ifstream file(vcd_path);
  std::string line;
  std::string values;
  bool in_time_zero = false;
  while (std::getline(file, line)) {
    if (line == "#0") {
      in_time_zero = true;
      continue;
    }
    if (in_time_zero && !line.empty() && line[0] == '#') break;
    if (in_time_zero) values += line + "\n";
  }
  return values;
}

TEST(RandomReset, CoreModelIsBuiltWithUniqueXAssignAndXInitial) {
  // Verilator records its command line in the model's __verFiles.dat.
  const std::string path = std::string(TB_COSIM_MODELS_DIR) + "/Vcore_8x8.dir/Vcore_8x8__verFiles.dat";
  std::ifstream file(path);
  ASSERT_TRUE(file) << path;
  std::string command;
  std::getline(file, command);
  std::getline(file, command);  // line 1 is a comment, line 2 the command
  EXPECT_NE(command.find("--x-assign unique"), std::string::npos) << command;
  EXPECT_NE(command.find("--x-initial unique"), std::string::npos) << command;
}

// Two seeds under random reset start the core in different states (the plusargs reach the
// VerilatedContext); without random reset the seed changes nothing.
TEST(RandomReset, SeedPlusargReachesTheModel) {
  std::vector<std::string> with_random;
  std::vector<std::string> with_zeros;
  for (const std::string& mode : {std::string("2"), std::string("0")}) {
    for (const std::string& seed : {std::string("11"), std::string("22")}) {
      const std::string trace = scratch("xinit_reset" + mode + "_seed" + seed + ".vcd").string();
      const fault_test::ProcessResult run = run_program(
          TB_COSIM_PROGRAM, {"--trace", trace, "--trace-to", "0", "+verilator+rand+reset+" + mode,
                             "+verilator+seed+" + seed});
      ASSERT_EQ(run.exit_code, 0) << run.output;
      const std::string values = initial_values(trace);
      ASSERT_FALSE(values.empty()) << trace << " has no #0 dump";
      (mode == "2" ? with_random : with_zeros).push_back(values);
    }
  }
  EXPECT_NE(with_random[0], with_random[1]) << "seeds 11 and 22 gave the same initial state";
  EXPECT_EQ(with_zeros[0], with_zeros[1]);
  EXPECT_NE(with_random[0], with_zeros[0]);
}

struct EndToEndLayer {
  const char* name;
  std::vector<std::string> args;
};

void PrintTo(const EndToEndLayer& layer, std::ostream* out) { *out << layer.name; }

class RandomResetLayer : public ::testing::TestWithParam<EndToEndLayer> {};

// The end-to-end layers of the default suite (cosim_test.cpp's catalog and the cosim CLI
// tests), each under three random-reset seeds: the same PASS line every time.
TEST_P(RandomResetLayer, GivesIdenticalResultsForEverySeed) {
  std::set<std::string> lines;
  for (const std::string& seed : kSeeds) {
    std::vector<std::string> args = GetParam().args;
    args.push_back(kRandomReset);
    args.push_back(seed);
    const fault_test::ProcessResult run = run_program(TB_COSIM_PROGRAM, args);
    ASSERT_EQ(run.exit_code, 0) << seed << "\n" << run.output;
    const std::string last = fault_test::last_line(run.output);
    ASSERT_EQ(last.rfind("PASS psums=", 0), 0U) << seed << ": " << last;
    EXPECT_NE(last.find(" mismatches=0 "), std::string::npos) << last;
    lines.insert(stable_part(last));
  }
  EXPECT_EQ(lines.size(), 1U) << "different results under different seeds: "
                              << ::testing::PrintToString(lines);
}

INSTANTIATE_TEST_SUITE_P(
    DefaultSuite, RandomResetLayer,
    ::testing::Values(
        EndToEndLayer{"features27_array8_ws", {"--layer", "27", "--array", "8"}},
        EndToEndLayer{"features27_array16_ws", {"--layer", "27", "--array", "16"}},
        EndToEndLayer{"features29_array8_ws", {"--layer", "29", "--array", "8"}},
        EndToEndLayer{"features24_array16_ws", {"--layer", "24", "--array", "16"}},
        EndToEndLayer{"features27_array8_os", {"--layer", "27", "--array", "8", "--dataflow", "os"}},
        EndToEndLayer{"features27_array16_os",
                      {"--layer", "27", "--array", "16", "--dataflow", "os"}},
        EndToEndLayer{"features29_array8_os", {"--layer", "29", "--array", "8", "--dataflow", "os"}},
        EndToEndLayer{"features27_array8_seed99_ws", {"--layer", "27", "--seed", "99"}}),
    [](const ::testing::TestParamInfo<EndToEndLayer>& info) { return std::string(info.param.name); });

// The shared vector sets (vector_sets_test.cpp runs each of them), each under three seeds:
// the same final line and exit code every time. Sets whose array shape this build lacks, or
// that use a dataflow with no model here, are left out (exit 2 names the missing model).
TEST(RandomReset, SharedVectorSetsGiveIdenticalResultsForEverySeed) {
  const char* root = std::getenv("COSIM_SHARED_VECTORS");
  if (root == nullptr || !fault_test::fs::is_directory(root)) {
    GTEST_SKIP() << "no shared vector sets (COSIM_SHARED_VECTORS)";
  }
  std::vector<fault_test::fs::path> sets;
  for (const auto& entry : fault_test::fs::directory_iterator(root)) {
    if (entry.is_directory()) sets.push_back(entry.path());
  }
  std::sort(sets.begin(), sets.end());
  int compared = 0;
  for (const fault_test::fs::path& set : sets) {
    std::set<std::string> lines;
    std::set<int> exit_codes;
    bool skipped = false;
    for (const std::string& seed : kSeeds) {
      const fault_test::ProcessResult run =
          run_program(TB_COSIM_PROGRAM, {"--vectors", set.string(), kRandomReset, seed});
      if (run.exit_code == 2 && run.output.find("core model in this build") != std::string::npos) {
        skipped = true;
        break;
      }
      ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << set << " " << seed << "\n"
                                                            << run.output;
      exit_codes.insert(run.exit_code);
      lines.insert(stable_part(fault_test::last_line(run.output)));
    }
    if (skipped) continue;
    ++compared;
    EXPECT_EQ(exit_codes.size(), 1U) << set;
    EXPECT_EQ(lines.size(), 1U) << set << ": " << ::testing::PrintToString(lines);
  }
  EXPECT_GT(compared, 0) << "no shared set could run in this build";
  std::cout << compared << " of " << sets.size() << " shared sets compared under "
            << kSeeds.size() << " seeds\n";
}

}  // namespace
