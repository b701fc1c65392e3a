// The vector-set doctor's parts, shared between its source files (not installed; see doctor.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "golden/error.hpp"
#include "vector_files/doctor.hpp"
#include "vector_files/vector_set.hpp"

namespace golden::doctor_detail {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 20;
constexpr int kListedDisagreements = 10;    // per kind; the rest are counted
constexpr std::size_t kMaxRoleFiles = 256;  // files per role looked at for header lines

// Text of a file relative to the set folder; nullptr when it does not exist.
using TextSource = std::function<const std::string*(const std::string&)>;

bool ends_with(const std::string& text, const std::string& suffix);
std::string lower(std::string text);

// ---- the folder (doctor_folder.cpp) ---------------------------------------------------------

// What the lines of one file look like.
struct LineStats {
  int header_lines = -1;  // -1: no 0/1 line at all
  int record_length = 0;  // the most common 0/1 line length
  int records = 0;        // non-blank lines from the first record on
};
LineStats line_stats(const std::string& text);

// The files of a set folder: the ones whose names can be a role's listed up front (for
// inference), and any path a pattern names (../activation.txt) read on demand.
class Folder {
 public:
  explicit Folder(fs::path dir);
  const std::map<std::string, std::string>& listed() const { return listed_; }
  // Text of a file relative to the folder; nullptr when it does not exist or cannot be read.
  const std::string* read(const std::string& relative);

 private:
  fs::path dir_;
  std::map<std::string, std::string> listed_;
  std::map<std::string, std::optional<std::string>> cache_;
};

// The files a role's pattern names under a reading, in load order (the first kMaxRoleFiles
// expansions: enough to see how the files look, bounded for absurd tile counts).
std::vector<std::string> role_files(const VectorSetMeta& meta, FileRole role);

// ---- file names -> patterns (doctor_names.cpp) ---------------------------------------------

// The role a file name suggests (activation*, weight* or w_*, psum*, out*).
std::optional<FileRole> role_of_name(const std::string& relative);

// A name cut at its digit runs: literals[0] digits[0] literals[1] ... literals[n].
struct NameParts {
  std::vector<std::string> literals;
  std::vector<std::string> digits;
};

// One varying position of a group of names: a whole digit run, or one character of it.
struct Dimension {
  int slot = 0;
  int character = -1;  // -1: the whole run
  int size = 0;        // values 0..size-1
  std::string before;  // the literal text just before it (lower case), for i/o hints
};

// A pattern guessed from a group of names, and the tile dimensions it found.
struct PatternGuess {
  std::string pattern;
  std::vector<Dimension> dimensions;
  std::vector<std::string> placeholders;
  int files = 0;
};

// The best {kij} pattern of a role (weight, psum) among its name groups.
std::optional<PatternGuess> guess_kij_pattern(const std::vector<std::string>& names, int ic_tiles);
// One file, or a group numbered by one tile index, for activation and out.
std::optional<PatternGuess> guess_single_pattern(const std::vector<std::string>& names,
                                                 const std::string& placeholder,
                                                 std::vector<std::string>& assumptions,
                                                 const char* role);
// How many files a pattern's {ic_tile} ("ic") or {oc_tile} ("oc") finds among files.
int count_expansions(const std::string& pattern, const std::map<std::string, std::string>& files,
                     const std::string& which);

// ---- header lines and shape from the files (doctor_inference.cpp) --------------------------

std::map<FileRole, int> detect_role_headers(const VectorSetMeta& meta, const TextSource& text_of);
std::optional<VectorSetMeta> detect_shape(const VectorSetMeta& meta, const TextSource& text_of,
                                          std::map<std::string, std::string>& reasons,
                                          bool& transposed_by_shape);

// ---- readings and their checks (doctor_readings.cpp) ---------------------------------------

struct Evaluation {
  bool readable = false;
  std::optional<InputError> error;
  std::optional<VectorSet> set;
  CheckReport check;
  int score = std::numeric_limits<int>::max();  // disagreements not declared + declared not found
};

Evaluation evaluate(const fs::path& dir, const VectorSetMeta& meta, bool from_meta_json);
// The same set with the oc tiles of its combined out file taken in the other order.
Evaluation with_out_tiles_reversed(const Evaluation& base);

// One reading field that differs between two readings.
struct FieldChange {
  std::string field;
  std::string from;  // JSON
  std::string to;    // JSON
};
std::vector<FieldChange> changes_between(const VectorSetMeta& from, const VectorSetMeta& to);

// One reading of the set, its distance from meta.json and how its files agree.
struct Candidate {
  VectorSetMeta meta;
  bool out_tiles_reversed = false;
  int changes = 0;
  Evaluation evaluation;
};
bool better(const Candidate& a, const Candidate& b);

// ---- findings in plain words (doctor_findings.cpp) -----------------------------------------

std::string out_names(const VectorSet& set);
std::string files_phrase(const std::vector<std::string>& names);
Diagnosis describe_change(const FieldChange& change, const VectorSet& set,
                          const VectorSetMeta& declared,
                          const std::map<std::string, std::string>& reasons,
                          const std::map<FileRole, int>& detected_headers);
void classify_disagreements(const Evaluation& best, DoctorReport& report,
                            std::vector<KnownDefect>& new_defects);
// Which psum / out files disagree, so a reader knows where to look before the element list.
void summarize_files(const Evaluation& best, DoctorReport& report);

}  // namespace golden::doctor_detail
