// The vector-set doctor: checks a set's files against each other (no RTL) and names what is wrong.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vector_files/vector_set.hpp"

namespace golden {

// The kinds of cause the doctor can name.
enum class Cause {
  OutRelu,            // out files hold the other kind of value (ReLU outputs / raw sums)
  ElementOrder,       // the elements of each line are in the other order
  WeightsTransposed,  // weight lines run along the other axis
  HeaderLines,        // a different number of leading lines before the records
  Shape,              // array, widths, map size or channels other than meta.json says
  FilePattern,        // files named otherwise than meta.json says
  OutTileOrder,       // a combined out file holds its oc tiles in the other order
  NegativeZero,       // the sign bit alone (0x8000) where the inputs give 0
  OffByOne,           // a value one away from what the inputs give (truncation)
  Disagreement,       // any other value that differs from what the inputs give
  StaleKnownDefect,   // meta.json declares a defect where the file agrees with its inputs
};
std::string_view to_string(Cause cause);  // "out_relu", "negative_zero", ...

// One cause, in plain words, with the meta.json change that makes the set consistent when
// there is one.
struct Diagnosis {
  Cause cause = Cause::Disagreement;
  std::string message;  // names file, line and col where they apply, and the values
  std::string field;    // meta.json field to change ("out_relu", "known_defects"); empty: none
  std::string value;    // its new value as JSON ("false", "\"low_first\"", an entry to add)
};

struct DoctorReport {
  std::filesystem::path dir;
  bool has_meta_json = false;
  VectorSetMeta declared;      // meta.json as given, or the reading inferred from the files
  std::string declared_error;  // why the declared reading cannot be read; empty when it can
  std::optional<CheckReport> declared_check;  // the check of the declared reading

  VectorSetMeta best;  // the reading under which the files agree best
  CheckReport best_check;
  std::vector<std::string> files_read;  // files of the best reading

  std::vector<Diagnosis> diagnoses;  // what is wrong; empty when consistent
  std::vector<std::string> notes;    // known defects found, inferred or undecidable fields
  bool consistent = false;           // the files agree as described (known defects aside)

  // The meta.json that describes the set as it is (the best reading, with its remaining
  // negative zeros and off-by-ones as known_defects), and whether it makes the set consistent.
  std::string suggested_meta_json;
  bool suggestion_is_consistent = false;

  int exit_code() const { return consistent ? 0 : 1; }
};

// Reads the set in dir (its meta.json, or a reading inferred from the files when there is
// none), checks every psum against activations x weights and every out value against the
// psums' accumulation, and when they disagree re-reads the set under alternative readings
// (out_relu, element_order and weights_transposed flipped, the header line counts and shape
// the files show, file names present, oc tile order of a combined out file) to name the
// cause and the meta.json field that fixes it. Throws InputError when the set cannot be read
// under any reading (exit 2 territory).
DoctorReport diagnose_vector_set(const std::filesystem::path& dir);

// The reading of a weight-stationary set from file names and contents alone: roles from the
// names (activation*, weight* or w_*, psum*, out*), {kij}/{ic_tile}/{oc_tile} from the numbers
// in them, header lines (leading lines that are blank or not 0/1 strings of the file's common
// length), row/col/bw/psum_bw from the line widths, the map from the activation record count
// ((H+2)*(W+2), square). files: path relative to the set folder -> text. out_relu,
// element_order and weights_transposed keep the notebook defaults (except a transposition
// the shapes prove). Throws InputError naming what is missing or ambiguous.
VectorSetMeta infer_meta_from_files(const std::map<std::string, std::string>& files,
                                    std::vector<std::string>& assumptions);

// Leading lines of a file before its first record: blank lines and lines that are not 0/1
// strings of the file's most common 0/1 line length. -1 when the file has no 0/1 line.
int detect_header_lines(const std::string& text);

// Throws InputError when a set's layer (channels and map size) is not the catalog layer it is
// run as, naming both: "meta.json: the set is a 8->8 channel layer at 4x4, but vgg16_sq8
// features[24] is 256->8 at 4x4".
void require_same_layer(const VectorSetMeta& meta, const ConvLayer& layer,
                        const std::string& described_by = "meta.json");

// The report as `cosim check-vectors` prints it; print_meta adds the suggested meta.json
// even when the set has one and it is right.
std::string format_doctor_report(const DoctorReport& report, bool print_meta = false);

}  // namespace golden
