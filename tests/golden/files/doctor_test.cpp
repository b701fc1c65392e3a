// The vector-set doctor: real sets as declared and without meta.json, and each fault planted
// into copies (in the build tree) named as exactly that cause with the field that fixes it.
#include "vector_files/doctor.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/ws_model.hpp"
#include "test_support.hpp"
#include "vector_files/generator.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_file.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using golden_test::read_text;
using golden_test::write_meta;
using golden_test::write_text;
using json = nlohmann::ordered_json;

fs::path scratch_root() { return fs::path(DOCTOR_SCRATCH_DIR); }

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return golden_test::param_name(
      info ? std::string(info->test_suite_name()) + "_" + info->name() : "doctor");
}

// A copy of a set folder under the build tree's scratch folder, removed at the end of the
// test. The source is never written to.
class SetCopy {
 public:
  explicit SetCopy(const fs::path& source) {
    path_ = scratch_root() / (current_test_name() + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_.parent_path());
    fs::copy(source, path_, fs::copy_options::recursive);
  }
  ~SetCopy() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  SetCopy(const SetCopy&) = delete;
  SetCopy& operator=(const SetCopy&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

json read_meta(const fs::path& dir) { return json::parse(read_text(dir / "meta.json")); }

// ---- sources: generated sets (always) and the real shared sets (when present) -------------

const char* const kGeneratedLayer27 = "generated_layer27";
const char* const kGeneratedTiled = "generated_tiled";
const char* const kGeneratedCombinedOut = "generated_tiled_combined_out";

std::vector<std::string> shared_set_names() {
  std::vector<std::string> sets;
  std::error_code error;
  const fs::path root = golden_test::shared_vectors_dir();
  if (fs::is_directory(root, error)) {
    for (const auto& entry : fs::directory_iterator(root, error))
      if (entry.is_directory() && fs::exists(entry.path() / "meta.json"))
        sets.push_back(entry.path().filename().string());
  }
  std::sort(sets.begin(), sets.end());
  return sets;
}

std::vector<std::string> sources() {
  std::vector<std::string> all{kGeneratedLayer27, kGeneratedTiled, kGeneratedCombinedOut};
  for (const std::string& set : shared_set_names()) all.push_back(set);
  return all;
}

bool is_generated(const std::string& source) { return source.rfind("generated_", 0) == 0; }

// Writes a generated source once per test program run.
fs::path generated_source(const std::string& name) {
  const fs::path dir = scratch_root() / ("sources_" + std::to_string(::getpid())) / name;
  if (fs::exists(dir / "meta.json")) return dir;
  fs::create_directories(dir);
  if (name == kGeneratedLayer27) {
    write_vector_set(dir, generate_layer("vgg16_sq8", 27, ArrayShape::square(8), 5));
    return dir;
  }
  const LayerShape shape{16, 16, 4, 4};
  const ArrayShape array = ArrayShape::square(8);
  write_vector_set(dir, shape, array, generate_activations(shape, 4, 17),
                   generate_weights(shape, 4, 17), name);
  if (name == kGeneratedCombinedOut) {
    // One out file holding both oc tiles, oc tile 1 in the upper bits (README's layout).
    const RecordFormat lane{array.col, array.psum_bw, true};
    const RecordFile tile0 = read_record_file(dir / "out_otile0.txt", lane, shape.o_nij_count());
    const RecordFile tile1 = read_record_file(dir / "out_otile1.txt", lane, shape.o_nij_count());
    std::string text = "#combined\n#out\n#file\n";
    for (int o_nij = 0; o_nij < shape.o_nij_count(); ++o_nij) {
      text += format_record(&tile1.values[static_cast<std::size_t>(o_nij) * array.col], lane);
      text += format_record(&tile0.values[static_cast<std::size_t>(o_nij) * array.col], lane);
      text += "\n";
    }
    write_text(dir / "out_all.txt", text);
    fs::remove(dir / "out_otile0.txt");
    fs::remove(dir / "out_otile1.txt");
    json meta = read_meta(dir);
    meta["files"]["out"] = "out_all.txt";
    write_meta(dir, meta);
  }
  return dir;
}

// Removes the generated sources when the program ends.
class RemoveGeneratedSources : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(scratch_root() / ("sources_" + std::to_string(::getpid())), ignored);
  }
};
[[maybe_unused]] ::testing::Environment* const kRemoveGeneratedSources =
    ::testing::AddGlobalTestEnvironment(new RemoveGeneratedSources);

fs::path source_dir(const std::string& source) {
  return is_generated(source) ? generated_source(source)
                              : golden_test::shared_vectors_dir() / source;
}

// ---- file surgery ---------------------------------------------------------------------------

// Every file of a role under a set's reading (as the loader expands the patterns).
std::vector<std::string> files_of(const VectorSet& set, FileRole role) {
  std::vector<std::string> names;
  if (!set.meta.has(role)) return names;
  const std::string& pattern = set.meta.patterns.at(role);
  auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  if (set.dataflow == Dataflow::OutputStationary) {
    if (role != FileRole::Out && pattern.find("{ic}") != std::string::npos) {
      for (int ic = 0; ic < set.shape.in_ch; ++ic) add(expand_pattern(pattern, 0, 0, 0, ic));
    } else {
      add(expand_pattern(pattern, 0, 0, 0));
    }
    return names;
  }
  for (int ic_tile = 0; ic_tile < set.tiling.ic_tiles; ++ic_tile)
    for (int oc_tile = 0; oc_tile < set.tiling.oc_tiles; ++oc_tile)
      for (int kij = 0; kij < kKijCount; ++kij) add(expand_pattern(pattern, kij, ic_tile, oc_tile));
  return names;
}

// Rewrites the data lines (after the header, non-blank) of a file, keeping its line ends.
template <typename Edit>
void edit_records(const fs::path& path, int header_lines, Edit edit) {
  const std::string text = read_text(path);
  std::string result;
  std::size_t start = 0;
  int line = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string::npos;
    if (last) end = text.size();
    std::string body = text.substr(start, end - start);
    std::string ending;
    while (!body.empty() && (body.back() == '\r' || body.back() == ' ')) {
      ending.insert(ending.begin(), body.back());
      body.pop_back();
    }
    if (line >= header_lines && !body.empty()) body = edit(body);
    result += body + ending + (last ? "" : "\n");
    start = end + 1;
    ++line;
  }
  write_text(path, result);
}

std::string reverse_chunks(const std::string& line, int width) {
  std::string reversed;
  for (std::size_t position = line.size(); position >= static_cast<std::size_t>(width);
       position -= width)
    reversed += line.substr(position - width, width);
  return reversed;
}

// Writes `bits` over one element of a file line (1-based physical line, element index).
void write_element(const fs::path& path, int line, int element, int elements, int width,
                   ElementOrder order, const std::string& bits) {
  std::string text = read_text(path);
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  const int position = order == ElementOrder::HighFirst ? elements - 1 - element : element;
  text.replace(start + static_cast<std::size_t>(position * width), width, bits);
  write_text(path, text);
}

std::string bits_of(std::int64_t value, int width) {
  std::string bits;
  for (int b = width - 1; b >= 0; --b)
    bits += ((static_cast<std::uint64_t>(value) >> b) & 1U) ? '1' : '0';
  return bits;
}

std::string causes_of(const DoctorReport& report) {
  std::string text;
  for (const Diagnosis& diagnosis : report.diagnoses)
    text += fmt::format("[{}] {}\n", to_string(diagnosis.cause), diagnosis.message);
  return text.empty() ? "(no diagnoses)" : text;
}

// The one diagnosis a planted fault must produce.
const Diagnosis& only_diagnosis(const DoctorReport& report) {
  EXPECT_FALSE(report.consistent);
  EXPECT_EQ(report.exit_code(), 1);
  EXPECT_EQ(report.diagnoses.size(), 1u) << causes_of(report);
  static const Diagnosis none{};
  return report.diagnoses.empty() ? none : report.diagnoses.front();
}

// ---- planted faults ---------------------------------------------------------------------------

class DoctorOnCopy : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!is_generated(GetParam()) && !fs::is_directory(source_dir(GetParam())))
      GTEST_SKIP() << "no shared vector sets at " << golden_test::shared_vectors_dir();
    copy_ = std::make_unique<SetCopy>(source_dir(GetParam()));
    const DoctorReport before = diagnose_vector_set(dir());
    if (!before.consistent)
      GTEST_SKIP() << "the copy is not consistent as declared:\n" << causes_of(before);
    original_ = load_vector_set(dir());
    meta_ = read_meta(dir());
  }
  const fs::path& dir() const { return copy_->path(); }
  bool declared_defect_at(const ValueOrigin& origin) const {
    return std::any_of(original_.meta.known_defects.begin(), original_.meta.known_defects.end(),
                       [&](const KnownDefect& defect) {
                         return defect.line == origin.line && defect.element == origin.element;
                       });
  }
  // A psum of ic tile 0, oc tile 0, this kij, column c, from the middle of the map on, that is
  // not a declared defect.
  int psum_nij(int kij, int c) const {
    for (int nij = original_.shape.nij_count() / 2; nij < original_.shape.nij_count(); ++nij)
      if (!declared_defect_at(original_.psum_origin(0, 0, kij, nij, c))) return nij;
    return 0;
  }
  bool still_consistent_as_declared() {
    try {
      return check_vector_set(load_vector_set(dir())).as_declared();
    } catch (const InputError&) {
      return false;
    }
  }

  std::unique_ptr<SetCopy> copy_;
  VectorSet original_;
  json meta_;
};

TEST_P(DoctorOnCopy, FlippedOutReluIsNamedWithTheValueThatFixesIt) {
  if (!original_.outputs) GTEST_SKIP() << "no out file";
  json meta = meta_;
  const bool relu = original_.meta.out_relu;
  meta["out_relu"] = !relu;
  write_meta(dir(), meta);
  if (still_consistent_as_declared()) GTEST_SKIP() << "no negative raw sums: both readings agree";
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::OutRelu);
  EXPECT_EQ(diagnosis.field, "out_relu");
  EXPECT_EQ(diagnosis.value, relu ? "true" : "false");
  const std::string fix = relu ? "matches if read as ReLU outputs"
                               : "matches if read as pre-ReLU sums: set out_relu=false";
  EXPECT_NE(diagnosis.message.find(fix), std::string::npos) << diagnosis.message;
  EXPECT_NE(diagnosis.message.find(original_.out_files.front().name), std::string::npos)
      << diagnosis.message;
}

TEST_P(DoctorOnCopy, ReversedElementOrderIsNamed) {
  // Every line of every file rewritten with its elements in the other order.
  const std::map<FileRole, int> widths{{FileRole::Activation, original_.array.bw},
                                       {FileRole::Weight, original_.array.bw},
                                       {FileRole::Psum, original_.array.psum_bw},
                                       {FileRole::Out, original_.array.psum_bw}};
  for (const auto& [role, width] : widths) {
    for (const std::string& name : files_of(original_, role)) {
      edit_records(
          dir() / name, original_.meta.header_lines_for(role),
          [&, width = width](const std::string& line) { return reverse_chunks(line, width); });
    }
  }
  if (still_consistent_as_declared()) GTEST_SKIP() << "symmetric data: both orders agree";
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::ElementOrder);
  EXPECT_EQ(diagnosis.field, "element_order");
  EXPECT_EQ(diagnosis.value, original_.meta.element_order == ElementOrder::HighFirst
                                 ? "\"low_first\""
                                 : "\"high_first\"");
}

TEST_P(DoctorOnCopy, TransposedWeightFilesAreNamed) {
  if (original_.dataflow != Dataflow::WeightStationary) GTEST_SKIP() << "no WS weight files";
  if (original_.array.row != original_.array.col) {
    GTEST_SKIP() << "non-square array: a transposed file is a shape error, see the table test";
  }
  const int n = original_.array.row;
  const RecordFormat format{n, original_.array.bw, true};
  for (const std::string& name : files_of(original_, FileRole::Weight)) {
    ReadOptions options;
    options.header_lines = original_.meta.header_lines_for(FileRole::Weight);
    options.order = original_.meta.element_order;
    const RecordFile file = read_record_file(dir() / name, format, n, options);
    std::vector<std::int64_t> transposed(file.values.size());
    for (int line = 0; line < n; ++line)
      for (int element = 0; element < n; ++element)
        transposed[static_cast<std::size_t>(element) * n + line] = file.at(line, element);
    int record = 0;
    edit_records(dir() / name, options.header_lines, [&](const std::string&) {
      return format_record(&transposed[static_cast<std::size_t>(record++) * n], format,
                           options.order);
    });
  }
  if (still_consistent_as_declared()) GTEST_SKIP() << "symmetric weights: both readings agree";
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::WeightsTransposed);
  EXPECT_EQ(diagnosis.field, "weights_transposed");
  EXPECT_EQ(diagnosis.value, original_.meta.weights_transposed ? "false" : "true");
  if (!original_.meta.weights_transposed) {
    EXPECT_NE(diagnosis.message.find("weight files look transposed"), std::string::npos)
        << diagnosis.message;
  }
}

TEST_P(DoctorOnCopy, WrongHeaderLinesAreNamedWithTheCountsTheFilesHave) {
  json meta = meta_;
  const json original = meta_["header_lines"];
  if (original.is_number()) {
    const int lines = original.get<int>();
    meta["header_lines"] = lines > 0 ? lines - 1 : lines + 1;
  } else {
    meta["header_lines"] = 3;
  }
  write_meta(dir(), meta);
  if (still_consistent_as_declared()) GTEST_SKIP() << "the changed count reads the same";
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::HeaderLines);
  EXPECT_EQ(diagnosis.field, "header_lines");
  // The value names, for every role the set has, the count meta.json had before the change.
  const json value = json::parse(diagnosis.value.empty() ? "null" : diagnosis.value);
  for (FileRole role : {FileRole::Activation, FileRole::Weight, FileRole::Psum, FileRole::Out}) {
    if (!original_.meta.has(role)) continue;
    const int found =
        value.is_number() ? value.get<int>() : value.value(std::string(to_string(role)), -1);
    EXPECT_EQ(found, original_.meta.header_lines_for(role))
        << to_string(role) << ": " << diagnosis.value;
  }
}

TEST_P(DoctorOnCopy, NegativeZeroInAPsumThatShouldBeZeroIsNamedAtItsPlace) {
  if (!original_.psums) GTEST_SKIP() << "no psum files";
  const CheckReport check = check_vector_set(original_);
  const int psum_bw = original_.array.psum_bw;
  // The first psum the file holds as 0 (so its inputs give 0) that is not a declared defect.
  for (int ic_tile = 0; ic_tile < original_.tiling.ic_tiles; ++ic_tile)
    for (int oc_tile = 0; oc_tile < original_.tiling.oc_tiles; ++oc_tile)
      for (int kij = 0; kij < kKijCount; ++kij)
        for (int nij = 0; nij < original_.shape.nij_count(); ++nij)
          for (int c = 0; c < original_.array.col; ++c) {
            if (original_.psums->at(ic_tile, oc_tile, kij, nij, c) != 0) continue;
            const ValueOrigin origin = original_.psum_origin(ic_tile, oc_tile, kij, nij, c);
            write_element(dir() / origin.file, origin.line, c, original_.array.col, psum_bw,
                          original_.meta.element_order, "1" + std::string(psum_bw - 1, '0'));
            const DoctorReport report = diagnose_vector_set(dir());
            const Diagnosis& diagnosis = only_diagnosis(report);
            EXPECT_EQ(diagnosis.cause, Cause::NegativeZero);
            const std::int64_t sign_only = -(std::int64_t{1} << (psum_bw - 1));
            const std::string hex =
                fmt::format("0x{:0{}x}", std::uint64_t{1} << (psum_bw - 1), (psum_bw + 3) / 4);
            EXPECT_EQ(
                diagnosis.message,
                fmt::format(
                    "{} line {} col {}: file has {}, its inputs give 0 ({}: a negative zero?)",
                    origin.file, origin.line, c, sign_only, hex));
            EXPECT_EQ(diagnosis.field, "known_defects");
            EXPECT_EQ(diagnosis.value,
                      json(fmt::format("{}:{}:{}: {} ({}) where the inputs give 0: a float -0.0 "
                                       "written with its sign bit",
                                       origin.file, origin.line, c, hex, sign_only))
                          .dump());
            // Declared as the doctor suggests, the set is consistent again.
            ASSERT_TRUE(report.suggestion_is_consistent);
            write_text(dir() / "meta.json", report.suggested_meta_json);
            const DoctorReport declared = diagnose_vector_set(dir());
            EXPECT_TRUE(declared.consistent) << causes_of(declared);
            EXPECT_EQ(check.disagreements.size() + 1, declared.best_check.disagreements.size());
            return;
          }
  GTEST_SKIP() << "no psum is 0";
}

TEST_P(DoctorOnCopy, PsumOffByOneIsNamedAsTruncation) {
  if (!original_.psums) GTEST_SKIP() << "no psum files";
  const int psum_bw = original_.array.psum_bw;
  // A psum in the middle of the first file, plus one (wrapped as the hardware would).
  const int c = original_.array.col / 2;
  const int nij = psum_nij(4, c);
  const std::int64_t value = original_.psums->at(0, 0, 4, nij, c);
  const std::int64_t planted = wrap_signed(value + 1, psum_bw);
  const ValueOrigin origin = original_.psum_origin(0, 0, 4, nij, c);
  write_element(dir() / origin.file, origin.line, c, original_.array.col, psum_bw,
                original_.meta.element_order, bits_of(planted, psum_bw));
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::OffByOne);
  EXPECT_EQ(diagnosis.message,
            fmt::format("{} line {} col {}: file has {}, its inputs give {} (off by one: a "
                        "truncated value?)",
                        origin.file, origin.line, c, planted, value));
  EXPECT_EQ(diagnosis.field, "known_defects");
  EXPECT_NE(diagnosis.value.find(fmt::format("{}:{}:{}: ", origin.file, origin.line, c)),
            std::string::npos);
}

TEST_P(DoctorOnCopy, AnyOtherWrongPsumIsADisagreementWithoutAField) {
  if (!original_.psums) GTEST_SKIP() << "no psum files";
  const int psum_bw = original_.array.psum_bw;
  const int nij = psum_nij(1, 0);
  const std::int64_t value = original_.psums->at(0, 0, 1, nij, 0);
  const std::int64_t planted = wrap_signed(value + 37, psum_bw);
  const ValueOrigin origin = original_.psum_origin(0, 0, 1, nij, 0);
  write_element(dir() / origin.file, origin.line, 0, original_.array.col, psum_bw,
                original_.meta.element_order, bits_of(planted, psum_bw));
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::Disagreement);
  EXPECT_EQ(diagnosis.message, fmt::format("{} line {} col 0: file has {}, its inputs give {}",
                                           origin.file, origin.line, planted, value));
  EXPECT_TRUE(diagnosis.field.empty());
  EXPECT_FALSE(report.suggestion_is_consistent);
}

TEST_P(DoctorOnCopy, SwappedOcTilesOfACombinedOutFileAreNamed) {
  if (!original_.out_holds_every_tile) GTEST_SKIP() << "no combined out file";
  const int width = original_.array.col * original_.array.psum_bw;
  const std::string name = original_.out_files.front().name;
  edit_records(dir() / name, original_.meta.header_lines_for(FileRole::Out),
               [&](const std::string& line) { return reverse_chunks(line, width); });
  if (still_consistent_as_declared()) GTEST_SKIP() << "the oc tiles hold the same values";
  const DoctorReport report = diagnose_vector_set(dir());
  const Diagnosis& diagnosis = only_diagnosis(report);
  EXPECT_EQ(diagnosis.cause, Cause::OutTileOrder);
  EXPECT_NE(diagnosis.message.find(name + " holds oc tile 0 in the upper bits"), std::string::npos)
      << diagnosis.message;
  EXPECT_TRUE(diagnosis.field.empty());
}

TEST_P(DoctorOnCopy, WithoutMetaJsonInfersTheReadingMetaJsonGave) {
  fs::remove(dir() / "meta.json");
  if (original_.dataflow != Dataflow::WeightStationary) {
    try {
      diagnose_vector_set(dir());
      ADD_FAILURE() << "an output-stationary set without meta.json was read";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("output-stationary"), std::string::npos)
          << error.what();
    }
    return;
  }
  const DoctorReport report = diagnose_vector_set(dir());
  EXPECT_FALSE(report.has_meta_json);
  ASSERT_FALSE(report.notes.empty());
  EXPECT_NE(report.notes.front().find("no meta.json"), std::string::npos);
  if (original_.meta.known_defects.empty()) {
    EXPECT_TRUE(report.consistent) << causes_of(report);
  } else {
    // The declared defects come back as findings, each with the known_defects entry to add.
    EXPECT_EQ(report.diagnoses.size(), original_.meta.known_defects.size()) << causes_of(report);
    for (const Diagnosis& diagnosis : report.diagnoses) EXPECT_EQ(diagnosis.field, "known_defects");
  }

  const VectorSetMeta& inferred = report.best;
  EXPECT_EQ(inferred.array, original_.array);
  EXPECT_EQ(inferred.layer.height, original_.shape.height);
  EXPECT_EQ(inferred.layer.width, original_.shape.width);
  EXPECT_EQ(inferred.tiles, original_.tiling);
  const std::set<std::string> files(report.files_read.begin(), report.files_read.end());
  const std::set<std::string> original_files(original_.files_read.begin(),
                                             original_.files_read.end());
  EXPECT_EQ(files, original_files);
  for (FileRole role : {FileRole::Activation, FileRole::Weight, FileRole::Psum, FileRole::Out}) {
    if (original_.meta.has(role)) {
      EXPECT_EQ(inferred.header_lines_for(role), original_.meta.header_lines_for(role))
          << to_string(role);
    }
  }
  // A flag may differ only when the files cannot tell (a note says so).
  auto undecided = [&](const std::string& field) {
    return std::any_of(report.notes.begin(), report.notes.end(), [&](const std::string& note) {
      return note.rfind(field + " cannot be told", 0) == 0;
    });
  };
  if (!undecided("out_relu")) {
    EXPECT_EQ(inferred.out_relu, original_.meta.out_relu);
  }
  if (!undecided("element_order")) {
    EXPECT_EQ(inferred.element_order, original_.meta.element_order);
  }
  if (!undecided("weights_transposed")) {
    EXPECT_EQ(inferred.weights_transposed, original_.meta.weights_transposed);
  }

  // The meta.json it would write is valid, and reads the set as consistent.
  write_text(dir() / "meta.json", report.suggested_meta_json);
  const DoctorReport declared = diagnose_vector_set(dir());
  EXPECT_TRUE(declared.has_meta_json);
  EXPECT_TRUE(declared.consistent) << causes_of(declared);
}

TEST_P(DoctorOnCopy, ASetNoReadingCanReadIsAnInputErrorNamingFileAndLine) {
  // The last activation record removed: no header count, shape or flag reads it.
  const std::string name = files_of(original_, FileRole::Activation).front();
  std::string text = read_text(dir() / name);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  text.erase(text.rfind('\n') + 1);
  write_text(dir() / name, text);
  try {
    diagnose_vector_set(dir());
    ADD_FAILURE() << "a truncated activation file was read";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), name) << error.what();
    EXPECT_GT(error.line(), 0) << error.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Sets, DoctorOnCopy, ::testing::ValuesIn(sources()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return golden_test::param_name(info.param);
                         });

// ---- the real sets as declared ----------------------------------------------------------------

class DoctorOnSharedSet : public ::testing::TestWithParam<std::string> {};

TEST_P(DoctorOnSharedSet, ConsistentAsDeclaredWithExactlyTheDeclaredDefectsAsNotes) {
  const fs::path dir = golden_test::shared_vectors_dir() / GetParam();
  if (!fs::is_directory(dir))
    GTEST_SKIP() << "no shared vector sets at " << golden_test::shared_vectors_dir();
  const VectorSet set = load_vector_set(dir);
  const DoctorReport report = diagnose_vector_set(dir);
  EXPECT_TRUE(report.consistent) << causes_of(report);
  EXPECT_EQ(report.exit_code(), 0);
  EXPECT_TRUE(report.diagnoses.empty()) << causes_of(report);
  EXPECT_GT(report.best_check.psums_checked + report.best_check.outputs_checked, 0);
  std::vector<std::string> defect_notes;
  for (const std::string& note : report.notes)
    if (note.rfind("known defect of the set: ", 0) == 0) defect_notes.push_back(note);
  ASSERT_EQ(defect_notes.size(), set.meta.known_defects.size());
  for (const KnownDefect& defect : set.meta.known_defects) {
    const std::string place =
        fmt::format("{} line {} col {}: ", defect.file, defect.line, defect.element);
    EXPECT_TRUE(std::any_of(defect_notes.begin(), defect_notes.end(), [&](const std::string& note) {
      return note.find(place) != std::string::npos;
    })) << place;
  }
}

TEST_P(DoctorOnSharedSet, MetaJsonWrittenByTheDoctorParsesToTheSameReading) {
  const fs::path dir = golden_test::shared_vectors_dir() / GetParam();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no shared vector sets";
  const VectorSetMeta meta = parse_meta(read_text(dir / "meta.json"), "meta.json");
  const VectorSetMeta again = parse_meta(to_meta_json(meta), "written.json");
  EXPECT_EQ(again.dataflow, meta.dataflow);
  EXPECT_EQ(again.array, meta.array);
  EXPECT_EQ(again.layer, meta.layer);
  EXPECT_EQ(again.tiles, meta.tiles);
  EXPECT_EQ(again.patterns, meta.patterns);
  for (const auto& [role, pattern] : meta.patterns)
    EXPECT_EQ(again.header_lines_for(role), meta.header_lines_for(role));
  EXPECT_EQ(again.out_relu, meta.out_relu);
  EXPECT_EQ(again.element_order, meta.element_order);
  EXPECT_EQ(again.weights_transposed, meta.weights_transposed);
  EXPECT_EQ(again.expect_defects, meta.expect_defects);
  ASSERT_EQ(again.known_defects.size(), meta.known_defects.size());
  for (std::size_t i = 0; i < meta.known_defects.size(); ++i) {
    EXPECT_EQ(again.known_defects[i].file, meta.known_defects[i].file);
    EXPECT_EQ(again.known_defects[i].line, meta.known_defects[i].line);
    EXPECT_EQ(again.known_defects[i].element, meta.known_defects[i].element);
  }
}

std::vector<std::string> shared_or_placeholder() {
  std::vector<std::string> sets = shared_set_names();
  if (sets.empty()) sets.push_back("absent");
  return sets;
}

INSTANTIATE_TEST_SUITE_P(Shared, DoctorOnSharedSet, ::testing::ValuesIn(shared_or_placeholder()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return golden_test::param_name(info.param);
                         });

// ---- inference from names and text, hand-worked ---------------------------------------------

TEST(DoctorHeaderLines, CountsLeadingLinesThatAreNotRecordsOfTheCommonLength) {
  EXPECT_EQ(detect_header_lines("#a\n#b\n#c\n0101\n0110\n"), 3);
  EXPECT_EQ(detect_header_lines("l\nl\nl\r\n0101\r\n0110\r\n"), 3);
  EXPECT_EQ(detect_header_lines("\n\n0101\n1111\n"), 2);
  EXPECT_EQ(detect_header_lines("0\n01010101\n01010101\n"), 1);  // a bare 0/1 token
  EXPECT_EQ(detect_header_lines("0101\n0110\n\n"), 0);
  EXPECT_EQ(detect_header_lines("# only comments\n"), -1);
  EXPECT_EQ(detect_header_lines(""), -1);
}

// A 2x2-array layer (1x1 output map, 3x3 padded) written by hand under arbitrary names.
std::map<std::string, std::string> hand_written_set(const std::string& weight_prefix,
                                                    const std::string& header) {
  std::map<std::string, std::string> files;
  std::string activation = header;
  for (int nij = 0; nij < 9; ++nij) activation += "00010010\n";  // row1 = 1, row0 = 2
  files["act_in.txt"] = activation;
  for (int kij = 0; kij < 9; ++kij) {
    files[fmt::format("{}{}_t0.txt", weight_prefix, kij)] = header + "00010001\n00100010\n";
    files[fmt::format("psum{}_x.txt", kij)] = header;  // named, but without records
  }
  files["output.txt"] = header + "00000000000000010000000000000011\n";
  files["notes.md"] = "not a vector file";
  return files;
}

TEST(DoctorInference, PatternsHeaderLinesAndShapeFromNamesAndWidths) {
  std::vector<std::string> assumptions;
  const auto files = hand_written_set("w_kij", "#x\n");
  const VectorSetMeta meta = infer_meta_from_files(files, assumptions);
  EXPECT_EQ(meta.patterns.at(FileRole::Activation), "act_in.txt");
  EXPECT_EQ(meta.patterns.at(FileRole::Weight), "w_kij{kij}_t0.txt");
  EXPECT_EQ(meta.patterns.at(FileRole::Psum), "psum{kij}_x.txt");
  EXPECT_EQ(meta.patterns.at(FileRole::Out), "output.txt");
  EXPECT_EQ(meta.header_lines_for(FileRole::Activation), 1);
  EXPECT_EQ(meta.header_lines_for(FileRole::Weight), 1);
  EXPECT_EQ(meta.header_lines_for(FileRole::Out), 1);
  EXPECT_EQ(meta.array, (ArrayShape{2, 2, 4, 16}));
  EXPECT_EQ(meta.layer, (LayerShape{2, 2, 1, 1}));
  EXPECT_EQ(meta.tiles, (Tiling{1, 1}));
  EXPECT_FALSE(meta.weights_transposed);
}

TEST(DoctorInference, TileIndicesFromCharactersOfOneNumberAndFromSubfolders) {
  std::map<std::string, std::string> files;
  const std::string record = "00010010\n";
  for (int ic_tile = 0; ic_tile < 2; ++ic_tile) {
    std::string activation;
    for (int nij = 0; nij < 9; ++nij) activation += record;
    files[fmt::format("activation_{}0.txt", ic_tile)] = activation;
    for (int oc_tile = 0; oc_tile < 3; ++oc_tile)
      for (int kij = 0; kij < 9; ++kij)
        files[fmt::format("T{}/weight_kij{}_{}.txt", oc_tile, kij, ic_tile)] =
            "00010001\n00100010\n";
  }
  std::vector<std::string> assumptions;
  const VectorSetMeta meta = infer_meta_from_files(files, assumptions);
  EXPECT_EQ(meta.patterns.at(FileRole::Activation), "activation_{ic_tile}0.txt");
  EXPECT_EQ(meta.patterns.at(FileRole::Weight), "T{oc_tile}/weight_kij{kij}_{ic_tile}.txt");
  EXPECT_EQ(meta.tiles, (Tiling{2, 3}));
  EXPECT_EQ(meta.layer.in_ch, 4);
  EXPECT_EQ(meta.layer.out_ch, 6);
  EXPECT_EQ(meta.header_lines_for(FileRole::Weight), 0);
}

TEST(DoctorInference, TransposedWeightsOfANonSquareArrayFollowFromTheWidths) {
  // 4 rows (16-character activations), 2 columns: a transposed weight file has 4 lines of 8.
  std::map<std::string, std::string> files;
  std::string activation;
  for (int nij = 0; nij < 9; ++nij) activation += "0001001000110100\n";
  files["activation.txt"] = activation;
  for (int kij = 0; kij < 9; ++kij)
    files[fmt::format("weight{}.txt", kij)] = "00010010\n00010010\n00010010\n00010010\n";
  std::vector<std::string> assumptions;
  const VectorSetMeta meta = infer_meta_from_files(files, assumptions);
  EXPECT_EQ(meta.array.row, 4);
  EXPECT_EQ(meta.array.col, 2);
  EXPECT_TRUE(meta.weights_transposed);
}

TEST(DoctorInference, MissingOrAmbiguousFilesAreInputErrors) {
  std::vector<std::string> assumptions;
  EXPECT_THROW(infer_meta_from_files({{"readme.txt", "x"}}, assumptions), InputError);
  auto files = hand_written_set("weight", "");
  files.erase("weight4_t0.txt");
  try {
    infer_meta_from_files(files, assumptions);
    ADD_FAILURE() << "8 weight files accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("9 files numbered 0..8"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(infer_meta_from_files(
                   {{"activation_os.txt", "0101\n"}, {"weights_os.txt", "0101\n"}}, assumptions),
               InputError);
}

TEST(DoctorReportText, SaysConsistentOrNamesTheCausesAndPrintsTheMetaJson) {
  SetCopy copy(generated_source(kGeneratedLayer27));
  const DoctorReport good = diagnose_vector_set(copy.path());
  const std::string good_text = format_doctor_report(good);
  EXPECT_NE(good_text.find("CONSISTENT as meta.json describes it"), std::string::npos) << good_text;
  EXPECT_EQ(good_text.find("meta.json that describes"), std::string::npos) << good_text;

  json meta = read_meta(copy.path());
  meta["out_relu"] = false;
  write_meta(copy.path(), meta);
  const DoctorReport bad = diagnose_vector_set(copy.path());
  const std::string bad_text = format_doctor_report(bad);
  EXPECT_NE(bad_text.find("- out.txt matches if read as ReLU outputs"), std::string::npos)
      << bad_text;
  EXPECT_NE(bad_text.find("\"out_relu\": true"), std::string::npos) << bad_text;
  EXPECT_NE(bad_text.find("INCONSISTENT"), std::string::npos) << bad_text;
}

}  // namespace
}  // namespace golden
