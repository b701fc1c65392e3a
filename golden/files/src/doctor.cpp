// The vector-set doctor: re-reads a set under alternative readings to find which one makes its
// files agree, and names the cause in plain words.
#include "vector_files/doctor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doctor_detail.hpp"

namespace golden {
namespace {

using namespace doctor_detail;

// meta.json as given, or the reading inferred from the files when there is none.
void read_declared(const fs::path& dir, Folder& folder, DoctorReport& report) {
  report.has_meta_json = fs::exists(dir / "meta.json");
  if (report.has_meta_json) {
    const std::string* text = folder.read("meta.json");
    if (!text) throw InputError("meta.json", "cannot open file");
    report.declared = parse_meta(*text, "meta.json");
    return;
  }
  std::vector<std::string> assumptions;
  try {
    report.declared = infer_meta_from_files(folder.listed(), assumptions);
  } catch (const InputError& error) {
    if (!error.file().empty()) throw;
    throw InputError(dir.string(), error.message());
  }
  report.declared.source = dir.string();
  report.notes.push_back("no meta.json: the reading below is inferred from the files");
  for (const std::string& assumption : assumptions) report.notes.push_back(assumption);
}

// Whether any file a role's pattern names is missing from the folder.
bool role_missing(const VectorSetMeta& meta, FileRole role, const TextSource& text_of) {
  for (const std::string& name : role_files(meta, role))
    if (text_of(name) == nullptr) return true;
  return false;
}

// The declared reading with the names the folder shows for the roles whose files are missing
// (an optional role, psum or out, the folder has no files for is dropped); nullopt when no
// file is missing or the folder's names say nothing.
std::optional<VectorSetMeta> renamed_reading(const VectorSetMeta& declared, const Folder& folder,
                                             const TextSource& text_of) {
  if (declared.dataflow != Dataflow::WeightStationary) return std::nullopt;
  std::vector<FileRole> missing;
  for (FileRole role : declared.roles())
    if (role_missing(declared, role, text_of)) missing.push_back(role);
  if (missing.empty()) return std::nullopt;
  try {
    std::vector<std::string> ignored;
    const VectorSetMeta inferred = infer_meta_from_files(folder.listed(), ignored);
    VectorSetMeta renamed = declared;
    for (FileRole role : missing) {
      if (inferred.has(role))
        renamed.patterns[role] = inferred.patterns.at(role);
      else if (role == FileRole::Psum || role == FileRole::Out)
        renamed.patterns.erase(role);
    }
    return renamed;
  } catch (const InputError&) {
    return std::nullopt;
  }
}

// What the folder shows besides meta.json: file names, header lines and shape.
struct FolderEvidence {
  std::map<FileRole, int> detected_headers;    // of the declared reading
  std::map<std::string, std::string> reasons;  // field -> why the shape detection says so
};

// The readings to try before the flags: the declared one, then (with a meta.json) the file
// names, header lines and shape the folder shows, each on top of the ones before.
std::vector<VectorSetMeta> base_readings(const VectorSetMeta& declared, bool has_meta_json,
                                         const Folder& folder, const TextSource& text_of,
                                         FolderEvidence& evidence) {
  std::vector<VectorSetMeta> bases{declared};
  auto add_base = [&](const VectorSetMeta& meta) {
    for (const VectorSetMeta& base : bases)
      if (reading_fields(base) == reading_fields(meta)) return;
    bases.push_back(meta);
  };
  if (!has_meta_json) return bases;
  if (std::optional<VectorSetMeta> renamed = renamed_reading(declared, folder, text_of))
    add_base(*renamed);
  const std::size_t named = bases.size();
  for (std::size_t b = 0; b < named; ++b) {
    VectorSetMeta headers = bases[b];
    headers.header_lines = detect_role_headers(bases[b], text_of);
    if (b == 0) evidence.detected_headers = headers.header_lines;
    add_base(headers);
  }
  const std::size_t with_headers = bases.size();
  for (std::size_t b = 0; b < with_headers; ++b) {
    bool transposed = false;
    if (std::optional<VectorSetMeta> shape =
            detect_shape(bases[b], text_of, evidence.reasons, transposed))
      add_base(*shape);
  }
  return bases;
}

// Every base reading with every combination of the three flags (out_relu, element_order,
// weights_transposed), evaluated; a combined out file also with its oc tiles reversed.
std::vector<Candidate> flag_candidates(const fs::path& dir, const std::vector<VectorSetMeta>& bases,
                                       const Candidate& first, bool has_meta_json) {
  std::vector<Candidate> candidates;
  for (const VectorSetMeta& base : bases) {
    for (int flags = 0; flags < 8; ++flags) {
      VectorSetMeta meta = base;
      if (flags & 1) {
        if (!meta.has(FileRole::Out)) continue;
        meta.out_relu = !meta.out_relu;
      }
      if (flags & 2)
        meta.element_order = meta.element_order == ElementOrder::HighFirst
                                 ? ElementOrder::LowFirst
                                 : ElementOrder::HighFirst;
      if (flags & 4) {
        if (meta.dataflow != Dataflow::WeightStationary) continue;
        meta.weights_transposed = !meta.weights_transposed;
      }
      Candidate candidate;
      candidate.meta = meta;
      candidate.changes = static_cast<int>(changes_between(first.meta, meta).size());
      candidate.evaluation =
          candidate.changes == 0 ? first.evaluation : evaluate(dir, meta, has_meta_json);
      if (!candidate.evaluation.readable) continue;
      if (candidate.evaluation.set->out_holds_every_tile) {
        Candidate reversed = candidate;
        reversed.out_tiles_reversed = true;
        reversed.changes += 1;
        reversed.evaluation = with_out_tiles_reversed(candidate.evaluation);
        candidates.push_back(std::move(reversed));
      }
      candidates.push_back(std::move(candidate));
    }
  }
  return candidates;
}

// The field changes (with meta.json, when they read the set better than it does) or the
// inferred fields and the undecidable ones (without), as diagnoses and notes.
void explain_best(const Candidate& best, const Candidate& first,
                  const std::vector<Candidate>& candidates, const FolderEvidence& evidence,
                  DoctorReport& report) {
  const VectorSetMeta& declared = report.declared;
  const bool improved =
      !first.evaluation.readable || best.evaluation.score < first.evaluation.score;
  if (report.has_meta_json && improved) {
    if (!report.declared_error.empty())
      report.notes.push_back(fmt::format("as meta.json describes it the set cannot be read: {}",
                                         report.declared_error));
    for (const FieldChange& change : changes_between(declared, best.meta)) {
      report.diagnoses.push_back(describe_change(change, *best.evaluation.set, declared,
                                                 evidence.reasons, evidence.detected_headers));
    }
  }
  if (best.out_tiles_reversed && (improved || !report.has_meta_json)) {
    Diagnosis diagnosis;
    diagnosis.cause = Cause::OutTileOrder;
    diagnosis.message = fmt::format(
        "{} holds oc tile 0 in the upper bits (the lowest channels first); a combined out file "
        "holds the highest channel first: write its oc tiles in the other order, or one out "
        "file per oc tile (files.out with {{oc_tile}})",
        out_names(*best.evaluation.set));
    report.diagnoses.push_back(std::move(diagnosis));
  }
  if (report.has_meta_json) return;
  for (const FieldChange& change : changes_between(declared, best.meta)) {
    report.notes.push_back(
        fmt::format("{} {}: the reading under which the files agree", change.field, change.to));
  }
  // Flags the files cannot decide between.
  for (const Candidate& candidate : candidates) {
    const auto changes = changes_between(best.meta, candidate.meta);
    if (candidate.out_tiles_reversed || changes.size() != 1 ||
        candidate.evaluation.score != best.evaluation.score)
      continue;
    report.notes.push_back(
        fmt::format("{} cannot be told from these files (both readings "
                    "agree equally); the meta.json below says {}",
                    changes[0].field, changes[0].from));
  }
}

// The meta.json that describes the set as it is: the best reading, its stale known defects
// dropped and its negative zeros and off-by-ones added.
void suggest_meta(const Candidate& best, const std::vector<KnownDefect>& new_defects,
                  DoctorReport& report) {
  VectorSetMeta suggested = best.meta;
  const std::vector<KnownDefect>& missing = best.evaluation.check.missing_defects;
  std::vector<KnownDefect> kept;
  for (const KnownDefect& defect : suggested.known_defects) {
    const bool stale = std::any_of(missing.begin(), missing.end(), [&](const KnownDefect& m) {
      return m.file == defect.file && m.line == defect.line && m.element == defect.element;
    });
    if (!stale) kept.push_back(defect);
  }
  for (const KnownDefect& defect : new_defects) kept.push_back(defect);
  suggested.known_defects = kept;
  suggested.expect_defects = !kept.empty();
  report.suggested_meta_json = to_meta_json(suggested);
  report.suggestion_is_consistent =
      std::none_of(report.diagnoses.begin(), report.diagnoses.end(), [](const Diagnosis& d) {
        return d.cause == Cause::Disagreement || d.cause == Cause::OutTileOrder;
      });
}

}  // namespace

DoctorReport diagnose_vector_set(const std::filesystem::path& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir.string(), "no such folder");
  DoctorReport report;
  report.dir = dir;
  Folder folder(dir);
  const TextSource text_of = [&](const std::string& name) { return folder.read(name); };
  read_declared(dir, folder, report);

  Candidate first;
  first.meta = report.declared;
  first.evaluation = evaluate(dir, report.declared, report.has_meta_json);
  if (first.evaluation.readable) {
    report.declared_check = first.evaluation.check;
  } else {
    report.declared_error = first.evaluation.error->what();
  }

  // A meta.json under which the files agree needs no alternative readings.
  const bool search =
      !(report.has_meta_json && first.evaluation.readable && first.evaluation.score == 0);
  FolderEvidence evidence;
  evidence.detected_headers = report.declared.header_lines;
  std::vector<Candidate> candidates{first};
  if (search) {
    const std::vector<VectorSetMeta> bases =
        base_readings(report.declared, report.has_meta_json, folder, text_of, evidence);
    candidates = flag_candidates(dir, bases, first, report.has_meta_json);
  }
  if (candidates.empty()) throw *first.evaluation.error;
  const Candidate* best = &candidates.front();
  for (const Candidate& candidate : candidates)
    if (better(candidate, *best)) best = &candidate;

  report.best = best->meta;
  report.best_check = best->evaluation.check;
  report.files_read = best->evaluation.set->files_read;
  if (report.best_check.psums_checked + report.best_check.outputs_checked == 0)
    report.notes.push_back("the set has no psum or out files: nothing to check its inputs against");
  for (const Disagreement& disagreement : best->evaluation.check.disagreements) {
    if (disagreement.known_defect)
      report.notes.push_back(fmt::format("known defect of the set: {}", disagreement.message()));
  }
  explain_best(*best, first, candidates, evidence, report);

  std::vector<KnownDefect> new_defects;
  summarize_files(best->evaluation, report);
  classify_disagreements(best->evaluation, report, new_defects);
  suggest_meta(*best, new_defects, report);
  // With meta.json: consistent when its own reading is. Without: when the inferred one is.
  report.consistent =
      report.has_meta_json ? !search : best->evaluation.score == 0 && report.diagnoses.empty();
  return report;
}

}  // namespace golden
