// The vector-set doctor's findings in plain words: causes, the meta.json field that fixes each, the report text.
#include "doctor_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace golden::doctor_detail {

using ordered_json = nlohmann::ordered_json;

std::string first_name(const VectorSet& set, FileRole role) {
  const std::vector<std::string> names = role_files(set.meta, role);
  return names.empty() ? std::string(to_string(role)) : names.front();
}

std::string out_names(const VectorSet& set) {
  std::vector<std::string> names;
  for (const VectorSet::FileInfo& file : set.out_files) names.push_back(file.name);
  if (names.empty()) return "the out file";
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string files_phrase(const std::vector<std::string>& names) {
  if (names.empty()) return "no file";
  if (names.size() == 1) return names.front();
  return fmt::format("{} .. {} ({} files)", names.front(), names.back(), names.size());
}

namespace {

// Which files have another header line count than meta.json says, one phrase for all when
// they agree.
std::string header_lines_message(const VectorSet& set, const VectorSetMeta& declared,
                                 const std::map<FileRole, int>& detected_headers,
                                 const std::string& fix) {
  std::vector<std::string> parts;
  std::vector<std::string> names;
  std::set<std::pair<int, int>> pairs;  // (found, declared)
  for (FileRole role : set.meta.roles()) {
    auto it = detected_headers.find(role);
    const int found = it == detected_headers.end() ? set.meta.header_lines_for(role) : it->second;
    if (found != declared.header_lines_for(role)) {
      parts.push_back(fmt::format("{} has {} line(s) before its first record, meta.json says {}",
                                  first_name(set, role), found, declared.header_lines_for(role)));
      names.push_back(first_name(set, role));
      pairs.insert({found, declared.header_lines_for(role)});
    }
  }
  if (pairs.size() == 1 && names.size() > 1) {
    return fmt::format(
        "{}, ... have {} line(s) before their first record, meta.json "
        "says {}: {}",
        fmt::join(names, ", "), pairs.begin()->first, pairs.begin()->second, fix);
  }
  return fmt::format(
      "{}: {}",
      parts.empty() ? "the header lines differ" : fmt::format("{}", fmt::join(parts, "; ")), fix);
}

// A files.<role> pattern that names no file, or other files than the folder holds.
std::string file_pattern_message(const FieldChange& change, const VectorSet& set,
                                 const std::string& fix) {
  const FileRole role = change.field == "files.activation" ? FileRole::Activation
                        : change.field == "files.weight"   ? FileRole::Weight
                        : change.field == "files.psum"     ? FileRole::Psum
                                                           : FileRole::Out;
  if (change.to == "null") {
    return fmt::format("the folder holds no files like {}: remove {}", change.from, change.field);
  }
  return fmt::format("the folder holds {}, not the files {} names: {}",
                     files_phrase(role_files(set.meta, role)), change.from, fix);
}

}  // namespace

Diagnosis describe_change(const FieldChange& change, const VectorSet& set,
                          const VectorSetMeta& declared,
                          const std::map<std::string, std::string>& reasons,
                          const std::map<FileRole, int>& detected_headers) {
  Diagnosis diagnosis;
  diagnosis.field = change.field;
  diagnosis.value = change.to;
  const std::string fix = fmt::format("set {}={}", change.field, change.to);
  if (change.field == "out_relu") {
    diagnosis.cause = Cause::OutRelu;
    diagnosis.message =
        change.to == "false"
            ? fmt::format("{} matches if read as pre-ReLU sums: {}", out_names(set), fix)
            : fmt::format(
                  "{} matches if read as ReLU outputs (negative sums "
                  "clamped to 0): {}",
                  out_names(set), fix);
  } else if (change.field == "element_order") {
    diagnosis.cause = Cause::ElementOrder;
    diagnosis.message =
        change.to == "\"low_first\""
            ? fmt::format(
                  "the elements of each line are in the opposite order (row0/col0 "
                  "first): {}",
                  fix)
            : fmt::format(
                  "the elements of each line are in the notebook's order (row{}/col{} "
                  "first), not low-first: {}",
                  set.array.row - 1, set.array.col - 1, fix);
  } else if (change.field == "weights_transposed") {
    diagnosis.cause = Cause::WeightsTransposed;
    diagnosis.message =
        change.to == "true"
            ? fmt::format(
                  "weight files look transposed (each line of {} holds one input "
                  "channel across the output columns): {}",
                  first_name(set, FileRole::Weight), fix)
            : fmt::format(
                  "weight files are not transposed (each line of {} holds one output "
                  "column across the input channels): {}",
                  first_name(set, FileRole::Weight), fix);
  } else if (change.field == "header_lines") {
    diagnosis.cause = Cause::HeaderLines;
    diagnosis.message = header_lines_message(set, declared, detected_headers, fix);
  } else if (change.field.rfind("files.", 0) == 0) {
    diagnosis.cause = Cause::FilePattern;
    diagnosis.message = file_pattern_message(change, set, fix);
  } else {
    diagnosis.cause = Cause::Shape;
    auto reason = reasons.find(change.field);
    diagnosis.message = fmt::format(
        "the files give {} = {}, meta.json says {}{}: {}", change.field, change.to, change.from,
        reason == reasons.end() ? "" : fmt::format(" ({})", reason->second), fix);
  }
  return diagnosis;
}

// Sorts one disagreement: the sign bit alone where the inputs give 0, one off (modulo the
// width, as the hardware wraps), or anything else.
Cause classify(const Disagreement& disagreement, int psum_bw) {
  const std::int64_t sign_only = -(std::int64_t{1} << (psum_bw - 1));
  if (disagreement.golden_value == 0 && disagreement.file_value == sign_only)
    return Cause::NegativeZero;
  const std::uint64_t mask = (std::uint64_t{1} << psum_bw) - 1;
  const std::uint64_t difference = (static_cast<std::uint64_t>(disagreement.file_value) -
                                    static_cast<std::uint64_t>(disagreement.golden_value)) &
                                   mask;
  if (difference == 1 || difference == mask) return Cause::OffByOne;
  return Cause::Disagreement;
}

void classify_disagreements(const Evaluation& best, DoctorReport& report,
                            std::vector<KnownDefect>& new_defects) {
  const int psum_bw = best.set->array.psum_bw;
  std::map<Cause, int> listed;
  std::map<std::pair<Cause, std::string>, int> unlisted;  // (kind, file) -> count
  for (const Disagreement& disagreement : best.check.disagreements) {
    if (disagreement.known_defect) continue;
    const Cause cause = classify(disagreement, psum_bw);
    Diagnosis diagnosis;
    diagnosis.cause = cause;
    const ValueOrigin& origin = disagreement.origin;
    if (cause == Cause::NegativeZero) {
      KnownDefect defect{origin.file, origin.line, origin.element,
                         fmt::format("0x{:0{}x} ({}) where the inputs give 0: a float -0.0 written "
                                     "with its sign bit",
                                     std::uint64_t{1} << (psum_bw - 1), (psum_bw + 3) / 4,
                                     disagreement.file_value)};
      diagnosis.message = fmt::format("{} (0x{:0{}x}: a negative zero?)", disagreement.message(),
                                      std::uint64_t{1} << (psum_bw - 1), (psum_bw + 3) / 4);
      diagnosis.field = "known_defects";
      diagnosis.value = ordered_json(to_string(defect)).dump();
      new_defects.push_back(defect);
    } else if (cause == Cause::OffByOne) {
      KnownDefect defect{origin.file, origin.line, origin.element,
                         fmt::format("{} where the inputs give {}: off by one (truncation)",
                                     disagreement.file_value, disagreement.golden_value)};
      diagnosis.message =
          fmt::format("{} (off by one: a truncated value?)", disagreement.message());
      diagnosis.field = "known_defects";
      diagnosis.value = ordered_json(to_string(defect)).dump();
      new_defects.push_back(defect);
    } else {
      diagnosis.message = disagreement.message();
    }
    if (listed[cause] < kListedDisagreements) {
      ++listed[cause];
      report.diagnoses.push_back(std::move(diagnosis));
    } else {
      ++unlisted[{cause, origin.file}];
    }
  }
  for (const auto& [key, count] : unlisted) {
    const auto& [cause, file] = key;
    Diagnosis diagnosis;
    diagnosis.cause = cause;
    diagnosis.message =
        fmt::format("{}: {} more value(s) {}", file, count,
                    cause == Cause::NegativeZero ? "hold a negative zero where the inputs give 0"
                    : cause == Cause::OffByOne   ? "are off by one from what the inputs give"
                                                 : "differ from what the inputs give");
    report.diagnoses.push_back(std::move(diagnosis));
  }
  for (const KnownDefect& defect : best.check.missing_defects) {
    Diagnosis diagnosis;
    diagnosis.cause = Cause::StaleKnownDefect;
    diagnosis.message = fmt::format(
        "meta.json declares a defect at {}:{}:{} ({}), but the file "
        "agrees with its inputs there: remove it from known_defects",
        defect.file, defect.line, defect.element, defect.what);
    diagnosis.field = "known_defects";
    report.diagnoses.push_back(std::move(diagnosis));
  }
}

// Which psum / out files disagree, so a reader knows where to look before the element list.
void summarize_files(const Evaluation& best, DoctorReport& report) {
  std::map<std::string, int> per_file;
  for (const Disagreement& disagreement : best.check.disagreements)
    if (!disagreement.known_defect) ++per_file[disagreement.origin.file];
  int total = 0;
  for (const auto& [file, count] : per_file) total += count;
  if (total <= kListedDisagreements) return;
  std::vector<std::string> parts;
  for (const auto& [file, count] : per_file) parts.push_back(fmt::format("{} ({})", file, count));
  const bool psums_agree = std::none_of(
      best.check.disagreements.begin(), best.check.disagreements.end(),
      [](const Disagreement& d) { return !d.known_defect && d.role == FileRole::Psum; });
  Diagnosis diagnosis;
  diagnosis.cause = Cause::Disagreement;
  diagnosis.message = fmt::format(
      "{} value(s) disagree with what the set's own activations and weights give, in {}{}", total,
      fmt::join(parts, ", "),
      best.set->psums && psums_agree ? "; the psum files agree, so the out file is the odd one out"
                                     : "");
  report.diagnoses.push_back(std::move(diagnosis));
}

}  // namespace golden::doctor_detail

namespace golden {

using namespace doctor_detail;

std::string_view to_string(Cause cause) {
  switch (cause) {
    case Cause::OutRelu:
      return "out_relu";
    case Cause::ElementOrder:
      return "element_order";
    case Cause::WeightsTransposed:
      return "weights_transposed";
    case Cause::HeaderLines:
      return "header_lines";
    case Cause::Shape:
      return "shape";
    case Cause::FilePattern:
      return "file_pattern";
    case Cause::OutTileOrder:
      return "out_tile_order";
    case Cause::NegativeZero:
      return "negative_zero";
    case Cause::OffByOne:
      return "off_by_one";
    case Cause::Disagreement:
      return "disagreement";
    case Cause::StaleKnownDefect:
      return "stale_known_defect";
  }
  return "?";
}

std::string format_doctor_report(const DoctorReport& report, bool print_meta) {
  std::string text;
  const CheckReport& check = report.best_check;
  text += fmt::format(
      "vector set {}: {} psum and {} out values checked against its own "
      "activations and weights\n",
      report.dir.string(), check.psums_checked, check.outputs_checked);
  for (const std::string& note : report.notes) text += fmt::format("note: {}\n", note);
  for (const Diagnosis& diagnosis : report.diagnoses)
    text += fmt::format("- {}\n", diagnosis.message);
  const bool show_meta = print_meta || !report.has_meta_json ||
                         (!report.consistent && report.suggestion_is_consistent);
  if (show_meta) {
    text += report.has_meta_json ? "meta.json that describes the set as it is:\n"
                                 : "meta.json it would write:\n";
    text += report.suggested_meta_json;
  }
  if (report.consistent) {
    text += fmt::format("CONSISTENT{}\n", report.has_meta_json ? " as meta.json describes it"
                                                               : " as inferred (no meta.json)");
  } else {
    text += fmt::format(
        "INCONSISTENT: {} finding(s); the files disagree with each other, not "
        "with any hardware\n",
        report.diagnoses.size());
  }
  return text;
}

}  // namespace golden
