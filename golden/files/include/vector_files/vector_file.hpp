// Reading and writing the notebooks' text vector files (DESIGN.md section 2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "golden/catalog.hpp"

namespace golden {

// Element order inside a line: the notebook's (element n-1 first) or the reverse.
enum class ElementOrder { HighFirst, LowFirst };

// The kinds of file of DESIGN.md section 2.
enum class FileKind { Activation, Weight, Psum, Out, ActivationOs, WeightOs, OutOs };

// Layout of one record (line): how many elements, how wide, signed or not.
struct RecordFormat {
  int elements = 0;
  int bits = 0;
  bool is_signed = false;

  int line_length() const { return elements * bits; }
  // Record format of a file kind for an array: activations row x bw unsigned, weights
  // row x bw signed (col x bw for weight_os), psum/out col x psum_bw signed.
  static RecordFormat of(FileKind kind, const ArrayShape& array);
};

struct ReadOptions {
  int header_lines = 3;  // leading lines skipped whatever they hold (0 to 12 occur)
  ElementOrder order = ElementOrder::HighFirst;
  std::string display_name;  // name used in messages; the path when empty
};

// A file's records: values[record][element], element 0 = row0/col0 whatever the order.
struct RecordFile {
  std::string name;           // display name (messages, known_defects)
  RecordFormat format;
  int first_record_line = 1;  // 1-based physical line of record 0
  int records = 0;
  std::vector<std::int64_t> values;  // records x format.elements, sign-extended if signed

  std::int64_t at(int record, int element) const {
    return values[static_cast<std::size_t>(record) * format.elements + element];
  }
  int line_of(int record) const { return first_record_line + record; }
};

// Strict reader. Skips header_lines lines, then expects exactly expected_records lines of
// format.line_length() characters '0'/'1' (CRLF, trailing blanks and blank lines at the end
// are accepted). Throws InputError naming file, line, column and what was expected for a
// missing file, a short header, a wrong length, a stray character, or too few/many records.
RecordFile read_record_file(const std::filesystem::path& path, const RecordFormat& format,
                            int expected_records, const ReadOptions& options = {});

// Same checks on text already in memory (name is used in messages).
RecordFile parse_record_file(const std::string& text, const std::string& name,
                             const RecordFormat& format, int expected_records,
                             const ReadOptions& options = {});

// How many data lines a file kind holds for a layer.
int expected_records(FileKind kind, const LayerShape& shape, const ArrayShape& array);

// The 3 comment lines the notebooks write at the top of each kind of file (row7/col7
// become row{row-1}/col{col-1} for other array sizes).
std::vector<std::string> notebook_header(FileKind kind, const ArrayShape& array);

// Formats one record as a line (no line end): elements n-1 .. 0 (HighFirst), msb first.
std::string format_record(const std::int64_t* values, const RecordFormat& format,
                          ElementOrder order = ElementOrder::HighFirst);

// Writes header lines then one line per record, '\n' line ends. Throws InputError if the
// folder cannot be written or a value does not fit the format.
void write_record_file(const std::filesystem::path& path, const RecordFormat& format,
                       const std::vector<std::int64_t>& values,
                       const std::vector<std::string>& header,
                       ElementOrder order = ElementOrder::HighFirst);

// DESIGN.md file names: single-tile names when the layer needs one tile, tiled ones otherwise
// (activation_tile{i}.txt, weight_itile{i}_otile{o}_kij{k}.txt, psum_itile{i}_otile{o}_kij{k}.txt,
// out_otile{o}.txt). The single-tile names are the i=o=0 case.
std::string activation_file_name(const Tiling& tiling, int ic_tile);
std::string weight_file_name(const Tiling& tiling, int ic_tile, int oc_tile, int kij);
std::string psum_file_name(const Tiling& tiling, int ic_tile, int oc_tile, int kij);
std::string out_file_name(const Tiling& tiling, int oc_tile);
std::string activation_os_file_name(int ic);  // activation_os_ic{ic}.txt
std::string weight_os_file_name(int ic);      // weight_os_ic{ic}.txt
inline constexpr const char* kOutOsFileName = "out_os.txt";

}  // namespace golden
