// Every set in ../shared/vectors (weight- or output-stationary) runs on the core it asks for and passes; skipped when the folder is absent.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tb/cosim.hpp"
#include "tb/errors.hpp"

namespace {

namespace fs = std::filesystem;

fs::path shared_vectors() {
  const char* from_environment = std::getenv("COSIM_SHARED_VECTORS");
  return from_environment != nullptr && *from_environment != '\0' ? fs::path(from_environment)
                                                                  : fs::path(COSIM_SHARED_VECTORS_DEFAULT);
}

std::vector<std::string> set_names() {
  std::vector<std::string> names;
  std::error_code error;
  if (!fs::is_directory(shared_vectors(), error)) return names;
  for (const fs::directory_entry& entry : fs::directory_iterator(shared_vectors(), error)) {
    if (entry.is_directory() && fs::exists(entry.path() / "meta.json")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json read_meta(const fs::path& set) {
  std::ifstream file(set / "meta.json");
  return nlohmann::json::parse(file);
}

class SharedVectorSet : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedVectorSet, PassesOnTheCoreItAsksFor) {
  const fs::path set = shared_vectors() / GetParam();
  if (!fs::is_directory(set)) GTEST_SKIP() << set << " is absent";
  const nlohmann::json meta = read_meta(set);
  tb::RunOptions options;
  options.vectors = set.string();
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_EQ(summary.dataflow, meta.value("dataflow", "ws"));
  EXPECT_TRUE(summary.pass) << summary.failure;
  EXPECT_EQ(summary.mismatches, 0);
  EXPECT_EQ(summary.file_disagreements, 0);
  EXPECT_EQ(summary.known_defects, static_cast<long long>(meta["known_defects"].size()));
  EXPECT_EQ(summary.array.row, meta["array"]["row"].get<int>());
  EXPECT_EQ(summary.array.col, meta["array"]["col"].get<int>());
  EXPECT_EQ(summary.psums, summary.expected_psums);
  EXPECT_EQ(summary.outputs, summary.expected_outputs);
  if (meta["files"].contains("psum") || meta["files"].contains("out")) {
    EXPECT_GT(summary.file_values_checked, 0);
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Shared, SharedVectorSet, ::testing::ValuesIn(set_names()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SharedVectorSet);

TEST(SharedVectors, FolderPresentOrSkipped) {
  if (set_names().empty()) GTEST_SKIP() << shared_vectors() << " holds no vector sets";
  SUCCEED();
}

TEST(SharedVectors, DeclaredDefectsAreNotesNotFailures) {
  const fs::path set = shared_vectors() / "brandon-project-negzero";
  if (!fs::is_directory(set)) GTEST_SKIP() << set << " is absent";
  tb::RunOptions options;
  options.vectors = set.string();
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_TRUE(summary.pass) << summary.failure;
  EXPECT_EQ(summary.known_defects, 2);
  const auto has_note = [&summary](const std::string& text) {
    return std::any_of(summary.notes.begin(), summary.notes.end(), [&text](const std::string& note) {
      return note.find(text) != std::string::npos;
    });
  };
  EXPECT_TRUE(has_note("psum_4_bin.txt line 13 col 3: file has -32768, its inputs give 0"));
  EXPECT_TRUE(has_note("psum_4_bin.txt line 19 col 5: file has -32768, its inputs give 0"));
}

}  // namespace
