// Replays every kept fuzz corpus file through its target's entry function (regular build, no
// libFuzzer).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_entries.hpp"

namespace {

namespace fs = std::filesystem;

using Entry = std::function<void(const std::uint8_t*, std::size_t)>;

const std::map<std::string, Entry>& entries() {
  static const std::map<std::string, Entry> table{
      {"record_file", fuzz::record_file_entry},
      {"meta", fuzz::meta_entry},
      {"doctor", fuzz::doctor_entry},
  };
  return table;
}

struct CorpusFile {
  std::string target;
  fs::path path;
};

std::vector<CorpusFile> corpus_files() {
  std::vector<CorpusFile> files;
  for (const auto& [target, entry] : entries()) {
    const fs::path dir = fs::path(FUZZ_CORPUS_DIR) / target;
    std::error_code error;
    if (!fs::is_directory(dir, error)) continue;
    for (const auto& item : fs::directory_iterator(dir, error))
      if (item.is_regular_file()) files.push_back({target, item.path()});
  }
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; });
  return files;
}

class CorpusReplay : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(CorpusReplay, EndsInAResultOrAnInputError) {
  std::ifstream stream(GetParam().path, std::ios::binary);
  ASSERT_TRUE(stream) << GetParam().path;
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  const std::string bytes = buffer.str();
  try {
    entries().at(GetParam().target)(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size());
  } catch (const std::exception& error) {
    FAIL() << GetParam().path
           << ": escaped with an exception other than InputError: " << error.what();
  }
}

TEST(CorpusReplay, EveryTargetKeepsACorpus) {
  for (const auto& [target, entry] : entries()) {
    const fs::path dir = fs::path(FUZZ_CORPUS_DIR) / target;
    EXPECT_TRUE(fs::is_directory(dir) && !fs::is_empty(dir)) << "no corpus in " << dir;
  }
}

INSTANTIATE_TEST_SUITE_P(Kept, CorpusReplay, ::testing::ValuesIn(corpus_files()),
                         [](const ::testing::TestParamInfo<CorpusFile>& info) {
                           std::string name =
                               info.param.target + "_" + info.param.path.filename().string();
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
