// `cosim --layer all` in worker processes against the same model run layer after layer in one process: same lines, same reports.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "golden/catalog.hpp"
#include "tb/whole_model.hpp"
#include "text_pattern.hpp"

namespace {

struct WholeRun {
  bool pass = false;
  std::string printed;
  nlohmann::json report;
};

WholeRun run_whole(const tb::RunOptions& options, int jobs) {
  const std::filesystem::path folder = TB_TEST_SCRATCH_DIR;
  std::filesystem::create_directories(folder);
  const std::string report = (folder / ("whole_model_j" + std::to_string(jobs) + ".json")).string();
  std::filesystem::remove(report);
  WholeRun run;
  ::testing::internal::CaptureStdout();
  run.pass = tb::run_whole_model(options, false, jobs, report);
  run.printed = ::testing::internal::GetCapturedStdout();
  std::ifstream file(report);
  file >> run.report;
  return run;
}

// Everything but the times, which differ from run to run.
std::string without_times(const std::string& text) {
  const std::string kept =
      text_pattern::replace(text, R"((wall_ms|sim_ms|cycles_per_s)=[0-9.]+)", "$1=T");
  // The tables' time columns: drop every table line's figures after the efficiency.
  return text_pattern::replace(
      kept, R"(( [0-9]+\.[0-9]) +[0-9.]+ +[0-9.]+( +[0-9.]+)?( +[0-9]+)?  (PASS|FAIL))",
      "$1 T  $4");
}

// A whole-model printout: the progress lines as printed ("[k/N] " dropped into `numbers`; a
// layer's entry is its line and the error line under it, keyed by its catalog index), and
// everything from the table on.
struct Printout {
  std::vector<int> numbers;
  std::vector<std::pair<int, std::string>> layers;
  std::string table;
};

Printout split_printout(const std::string& printed) {
  Printout out;
  const std::size_t table = printed.find("\n\n");
  out.table = table == std::string::npos ? std::string() : printed.substr(table);
  std::istringstream lines(printed.substr(0, table));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("[", 0) == 0) {
      const std::size_t rest = line.find("] ") + 2;
      out.numbers.push_back(std::stoi(line.substr(1)));
      const int index = std::stoi(line.substr(line.find('[', rest) + 1));
      out.layers.emplace_back(index, line.substr(rest) + "\n");
    } else if (!out.layers.empty()) {
      out.layers.back().second += line + "\n";
    }
  }
  return out;
}

// The layers' entries in catalog order, as one text.
std::string by_layer(std::vector<std::pair<int, std::string>> layers) {
  std::stable_sort(layers.begin(), layers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text;
  for (const auto& layer : layers) text += layer.second;
  return text;
}

nlohmann::json without_times(nlohmann::json report) {
  report.erase("wall_ms");
  report.erase("jobs");
  for (nlohmann::json& layer : report["layers"]) {
    layer.erase("wall_ms");
    layer.erase("sim_ms");
    layer.erase("cycles_per_second");
  }
  return report;
}

TEST(WholeModel, WorkersTakeTheLayersInTheOrderOfTheirCycleCounts) {
  tb::RunOptions options;
  options.model = "vgg16_sq8";
  options.array = 8;
  const std::vector<golden::ConvLayer>& layers = golden::conv_layers(options.model);
  std::vector<int> started;
  for (const std::size_t i : tb::longest_first(tb::predicted_layer_cycles(options, layers))) {
    started.push_back(layers[i].index);
  }
  // The order of the cycle counts the layers take on the 8x8 core (make bench's table:
  // features[3] 1,876,457 cycles, [17] and [20] 1,837,985, [10] 1,668,309, [33] to [39]
  // 1,180,836, [14] 916,385, [7] 829,397, [0] 192,826, [29] 30,874, [24] 20,900, [27] 697),
  // equal counts in catalog order.
  EXPECT_EQ(started, (std::vector<int>{3, 17, 20, 10, 33, 36, 39, 14, 7, 0, 29, 24, 27}));
}

TEST(WholeModel, WorkerProcessesReportWhatOneProcessReports) {
  tb::RunOptions options;
  options.model = "vgg16_sq8";
  options.array = 8;
  options.sequencer.psum_check = tb::PsumCheck::Write;
  // Just enough cycles for features[27] to pass; every bigger layer stops at the limit and
  // fails, so both outcomes travel back from the workers.
  tb::RunOptions layer27 = options;
  layer27.layer = 27;
  const tb::RunSummary alone = tb::run_cosim(layer27);
  ASSERT_TRUE(alone.pass) << alone.failure;
  options.max_cycles = alone.cycles;
  const WholeRun one = run_whole(options, 1);
  const WholeRun workers = run_whole(options, 2);
  EXPECT_FALSE(one.pass);
  EXPECT_FALSE(workers.pass);
  ASSERT_EQ(one.report["layers"].size(), 13U);
  EXPECT_EQ(one.report["layers"][8]["layer"], "vgg16_sq8 features[27]");
  EXPECT_EQ(one.report["layers"][8]["result"], "PASS");
  EXPECT_EQ(one.report["layers"][8]["psums"], 2592);
  EXPECT_EQ(one.report["layers"][8]["cycles"], alone.cycles);
  EXPECT_EQ(one.report["layers"][0]["result"], "FAIL");
  EXPECT_EQ(one.report["jobs"], 1);
  EXPECT_EQ(workers.report["jobs"], 2);
  EXPECT_EQ(without_times(workers.report), without_times(one.report));
  // One process prints the layers in catalog order, workers as they end: each numbered 1 to
  // 13 in the order printed, the same lines, and the same table.
  const Printout alone_printed = split_printout(one.printed);
  const Printout workers_printed = split_printout(workers.printed);
  std::vector<int> one_to_13(13);
  std::iota(one_to_13.begin(), one_to_13.end(), 1);
  EXPECT_EQ(alone_printed.numbers, one_to_13);
  EXPECT_EQ(workers_printed.numbers, one_to_13);
  std::vector<int> catalog;
  for (const auto& layer : alone_printed.layers) catalog.push_back(layer.first);
  EXPECT_TRUE(std::is_sorted(catalog.begin(), catalog.end()));
  EXPECT_EQ(without_times(by_layer(workers_printed.layers)),
            without_times(by_layer(alone_printed.layers)));
  EXPECT_EQ(without_times(workers_printed.table), without_times(alone_printed.table));
  // The first line says what is about to run.
  EXPECT_EQ(one.printed.rfind("vgg16_sq8: 13 layers on 8x8, ", 0), 0U) << one.printed;
  EXPECT_NE(one.printed.find(" cycles predicted; one after the other in this process\n"),
            std::string::npos);
  EXPECT_NE(workers.printed.find(" cycles predicted; 2 worker processes, longest first\n"),
            std::string::npos);
  EXPECT_NE(workers.printed.find("\nFAIL model=vgg16_sq8 array=8x8 layers=13 cycles="),
            std::string::npos);
  EXPECT_NE(workers.printed.find(fmt::format("  error: cycle limit: {} cycles reached", alone.cycles)),
            std::string::npos);
  EXPECT_TRUE(text_pattern::search(
      without_times(workers.printed),
      fmt::format("\nvgg16_sq8 +27 +8->8@4 +8x8 +1 +1x1 +{} +324 +[0-9.]+ T  PASS\n",
                  alone.cycles)))
      << without_times(workers.printed);
}

}  // namespace
