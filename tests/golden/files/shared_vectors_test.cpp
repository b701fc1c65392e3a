// Every real vector set in ${COSIM_SHARED_VECTORS}: its files agree with the golden model
// computed from its own inputs, or disagree exactly at its declared known defects.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "golden/error.hpp"
#include "test_support.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;

const char* const kAbsent = "absent";

// Set folders present at test discovery; one placeholder entry when there are none, so the
// suite reports a clean skip instead of disappearing.
std::vector<std::string> shared_sets() {
  std::vector<std::string> sets;
  std::error_code error;
  const fs::path root = golden_test::shared_vectors_dir();
  if (fs::is_directory(root, error)) {
    for (const auto& entry : fs::directory_iterator(root, error))
      if (entry.is_directory()) sets.push_back(entry.path().filename().string());
  }
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) sets.push_back(kAbsent);
  return sets;
}

class SharedVectorSet : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path folder() const { return golden_test::shared_vectors_dir() / GetParam(); }
  void SetUp() override {
    if (GetParam() == kAbsent || !fs::is_directory(folder()))
      GTEST_SKIP() << "no shared vector sets at " << golden_test::shared_vectors_dir();
  }
};

TEST_P(SharedVectorSet, FilesAgreeWithGoldenModelExceptDeclaredDefects) {
  const VectorSet set = load_vector_set(folder());
  const CheckReport report = check_vector_set(set);
  EXPECT_GT(report.psums_checked + report.outputs_checked, 0) << "nothing to compare";
  for (const Disagreement& disagreement : report.disagreements)
    EXPECT_TRUE(disagreement.known_defect) << disagreement.message();
  for (const KnownDefect& defect : report.missing_defects)
    ADD_FAILURE() << "declared defect not found: " << defect.file << ":" << defect.line << ":"
                  << defect.element << ": " << defect.what;
  if (set.meta.expect_defects) {
    EXPECT_EQ(report.disagreements.size(), set.meta.known_defects.size());
  } else {
    EXPECT_TRUE(report.disagreements.empty());
  }
}

TEST_P(SharedVectorSet, DeclaredDefectsAreNamedLikeTheirMetaEntry) {
  const VectorSet set = load_vector_set(folder());
  if (set.meta.known_defects.empty()) return;
  const CheckReport report = check_vector_set(set);
  for (const KnownDefect& defect : set.meta.known_defects) {
    const std::string prefix =
        defect.file + " line " + std::to_string(defect.line) + " col " + std::to_string(defect.element) + ": file has ";
    const bool named = std::any_of(report.disagreements.begin(), report.disagreements.end(),
                                   [&](const Disagreement& d) {
                                     return d.message().rfind(prefix, 0) == 0;
                                   });
    EXPECT_TRUE(named) << prefix;
  }
}

TEST_P(SharedVectorSet, ElementIndexOfADefectIsItsColumnCountedFromTheRight) {
  // known_defects give "file:line:element"; read that element straight from the text and
  // compare it with what the loader placed there.
  const VectorSet set = load_vector_set(folder());
  for (const KnownDefect& defect : set.meta.known_defects) {
    const std::string text = golden_test::read_text(folder() / defect.file);
    std::size_t start = 0;
    for (int i = 1; i < defect.line; ++i) start = text.find('\n', start) + 1;
    const int width = set.array.psum_bw;
    const int lanes = set.array.col;
    const int position = set.meta.element_order == ElementOrder::HighFirst
                             ? lanes - 1 - defect.element
                             : defect.element;
    const std::string bits = text.substr(start + static_cast<std::size_t>(position * width),
                                         static_cast<std::size_t>(width));
    std::int64_t value = std::stoll(bits, nullptr, 2);
    if (bits[0] == '1') value -= std::int64_t{1} << width;
    const CheckReport report = check_vector_set(set);
    const auto it = std::find_if(report.disagreements.begin(), report.disagreements.end(),
                                 [&](const Disagreement& d) {
                                   return d.origin.line == defect.line &&
                                          d.origin.element == defect.element;
                                 });
    ASSERT_NE(it, report.disagreements.end());
    EXPECT_EQ(it->file_value, value) << bits;
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, SharedVectorSet, ::testing::ValuesIn(shared_sets()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return golden_test::param_name(info.param);
                         });

}  // namespace
}  // namespace golden
