// Waveforms: the VCD holds the core's signals and only the requested cycles; the .gtkw names only signals in it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tb/cosim.hpp"
#include "tb/errors.hpp"
#include "tb/gtkw.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  fs::create_directories(TB_TEST_SCRATCH_DIR);
  return fs::path(TB_TEST_SCRATCH_DIR) / name;
}

TEST(Trace, VcdHoldsTheCoreSignalsAndOnlyTheWindow) {
  tb::RunOptions options;
  options.trace.path = scratch("window.vcd").string();
  options.trace.from_cycle = 100;
  options.trace.to_cycle = 250;
  const tb::RunSummary summary = tb::run_cosim(options);
  ASSERT_TRUE(summary.pass) << summary.failure;

  const tb::TraceContents trace = tb::read_trace(options.trace.path);
  ASSERT_FALSE(trace.times.empty());
  // Cycle c: inputs at 10c, rising edge at 10c + 5.
  EXPECT_EQ(*std::min_element(trace.times.begin(), trace.times.end()), 1000U);
  EXPECT_EQ(*std::max_element(trace.times.begin(), trace.times.end()), 2505U);
  EXPECT_EQ(trace.times.size(), 2U * 151U);
  std::set<std::string> names;
  for (const tb::TraceSignal& signal : trace.signals) names.insert(signal.name);
  for (const char* name : {"clk", "reset", "inst", "D_xmem", "ofifo_valid", "sfp_out", "out_s",
                           "in_w", "o_valid"}) {
    EXPECT_EQ(names.count(name), 1U) << name << " is not in the trace";
  }
}

TEST(Trace, GtkwNamesOnlySignalsThatAreInTheTrace) {
  tb::RunOptions options;
  options.trace.path = scratch("gtkw.vcd").string();
  options.trace.to_cycle = 50;
  options.gtkw = scratch("gtkw.gtkw").string();
  const tb::RunSummary summary = tb::run_cosim(options);
  ASSERT_TRUE(summary.pass) << summary.failure;

  std::set<std::string> in_trace;
  for (const tb::TraceSignal& signal : tb::read_trace(options.trace.path, false).signals) {
    in_trace.insert(signal.full_name());
  }
  std::ifstream file(options.gtkw);
  std::string line;
  int traces = 0;
  std::set<std::string> aliases;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '@' || line[0] == '[' || line[0] == '*' || line[0] == '-') continue;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word.rfind("+{", 0) == 0 || word.rfind("#{", 0) == 0) {
        std::string alias = word.substr(2);
        while (alias.find('}') == std::string::npos && words >> word) alias += " " + word;
        aliases.insert(alias.substr(0, alias.find('}')));
        continue;
      }
      if (word[0] == '(') word = word.substr(word.find(')') + 1);  // one bit of a vector
      EXPECT_EQ(in_trace.count(word), 1U) << word << " is not in the trace";
      ++traces;
    }
  }
  EXPECT_GT(traces, 20);
  for (const tb::InstField& field : tb::inst::kFields) {
    EXPECT_EQ(aliases.count(std::string(field.name)), 1U) << field.name;
  }
  EXPECT_EQ(aliases.count("sfp_out col0"), 1U);
}

TEST(Trace, FstWithoutTheFstBuildIsAClearUsageError) {
  tb::RunOptions options;
  options.trace.path = scratch("wanted.fst").string();
  try {
    tb::run_cosim(options);
    FAIL() << "an FST trace was accepted by a VCD build";
  } catch (const tb::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("cosim_fst"), std::string::npos) << error.what();
  }
}

}  // namespace
