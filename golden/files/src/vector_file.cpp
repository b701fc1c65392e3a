// The strict line reader and the writer of the notebooks' 0/1 text files.
#include "vector_files/vector_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "golden/arithmetic.hpp"
#include "golden/error.hpp"
#include "golden/tensor.hpp"

namespace golden {
namespace {

std::string describe_char(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  if (ch == ' ') return "a blank";
  if (ch == '\t') return "a tab";
  if (ch == '\r') return "a carriage return";
  if (std::isprint(byte)) return fmt::format("'{}'", ch);
  return fmt::format("byte 0x{:02x}", byte);
}

bool is_trailing_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

std::string record_description(const RecordFormat& format) {
  return fmt::format("{} characters ({} elements of {} bits)", format.line_length(),
                     format.elements, format.bits);
}

}  // namespace

RecordFormat RecordFormat::of(FileKind kind, const ArrayShape& array) {
  switch (kind) {
    case FileKind::Activation:
    case FileKind::ActivationOs: return RecordFormat{array.row, array.bw, false};
    case FileKind::Weight: return RecordFormat{array.row, array.bw, true};
    case FileKind::WeightOs: return RecordFormat{array.col, array.bw, true};
    case FileKind::Psum:
    case FileKind::Out:
    case FileKind::OutOs: return RecordFormat{array.col, array.psum_bw, true};
  }
  return {};
}

namespace {

// Physical lines without their line end or trailing blanks (CRLF and "0101  " accepted).
std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::size_t stop = end;
    while (stop > start && is_trailing_blank(text[stop - 1])) --stop;
    lines.emplace_back(text, start, stop - start);
    start = end + 1;
  }
  return lines;
}

std::string expected_count(int expected_records) {
  return expected_records < 0 ? std::string("some") : std::to_string(expected_records);
}

// One record line into values[0 .. format.elements), in element order.
void parse_record_line(const std::string& line, const std::string& name, int line_number,
                       int record, const RecordFormat& format, ElementOrder order,
                       std::int64_t* values) {
  if (line.empty()) {
    throw InputError(name, line_number,
                     fmt::format("blank line where record {} was expected ({})", record + 1,
                                 record_description(format)));
  }
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '0' && line[i] != '1') {
      throw InputError(name, line_number, static_cast<int>(i) + 1,
                       fmt::format("expected '0' or '1', found {}", describe_char(line[i])));
    }
  }
  if (static_cast<int>(line.size()) != format.line_length()) {
    throw InputError(name, line_number,
                     fmt::format("line has {} characters, expected {}", line.size(),
                                 record_description(format)));
  }
  for (int position = 0; position < format.elements; ++position) {
    const int element =
        order == ElementOrder::HighFirst ? format.elements - 1 - position : position;
    std::uint64_t bits = 0;
    for (int b = 0; b < format.bits; ++b)
      bits = (bits << 1) | static_cast<std::uint64_t>(line[position * format.bits + b] - '0');
    values[element] = format.is_signed ? wrap_signed(static_cast<std::int64_t>(bits), format.bits)
                                       : static_cast<std::int64_t>(bits);
  }
}

// More or fewer records than expected (expected_records < 0: any count).
void check_record_count(const RecordFile& file, int expected_records) {
  if (expected_records >= 0 && file.records > expected_records) {
    throw InputError(file.name, file.line_of(expected_records),
                     fmt::format("more records than expected: the file holds {}, expected {}",
                                 file.records, expected_records));
  }
  if (expected_records >= 0 && file.records < expected_records) {
    throw InputError(file.name, file.line_of(file.records),
                     fmt::format("file ends after {} records, expected {} of {}", file.records,
                                 expected_records, record_description(file.format)));
  }
}

}  // namespace

RecordFile parse_record_file(const std::string& text, const std::string& name,
                             const RecordFormat& format, int expected_records,
                             const ReadOptions& options) {
  const std::vector<std::string> lines = physical_lines(text);
  // Blank lines at the end are not records.
  std::size_t used = lines.size();
  while (used > static_cast<std::size_t>(options.header_lines) && lines[used - 1].empty()) --used;
  if (lines.size() < static_cast<std::size_t>(options.header_lines)) {
    throw InputError(name, static_cast<int>(lines.size()) + 1,
                     fmt::format("file ends inside its {} header lines, expected {} records of {}",
                                 options.header_lines, expected_count(expected_records),
                                 record_description(format)));
  }
  RecordFile file;
  file.name = name;
  file.format = format;
  file.first_record_line = options.header_lines + 1;
  file.records = static_cast<int>(used) - options.header_lines;
  if (file.records == 0 && expected_records != 0) {
    throw InputError(name, file.first_record_line,
                     fmt::format("no records after the {} header lines, expected {} of {}",
                                 options.header_lines, expected_count(expected_records),
                                 record_description(format)));
  }
  // Records are checked in file order, so the first bad line is the one reported.
  const int checked = expected_records >= 0 ? std::min(file.records, expected_records)
                                            : file.records;
  file.values.resize(static_cast<std::size_t>(checked) * format.elements);
  for (int record = 0; record < checked; ++record) {
    parse_record_line(lines[static_cast<std::size_t>(options.header_lines + record)], name,
                      file.line_of(record), record, format, options.order,
                      file.values.data() + static_cast<std::size_t>(record) * format.elements);
  }
  check_record_count(file, expected_records);
  return file;
}

RecordFile read_record_file(const std::filesystem::path& path, const RecordFormat& format,
                            int expected_records, const ReadOptions& options) {
  const std::string name = options.display_name.empty() ? path.string() : options.display_name;
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw InputError(name, fmt::format("cannot open file, expected {} records of {}",
                                       expected_records < 0 ? std::string("some")
                                                            : std::to_string(expected_records),
                                       record_description(format)));
  }
  std::ostringstream buffer;
  buffer << stream.rdbuf();
  return parse_record_file(buffer.str(), name, format, expected_records, options);
}

int expected_records(FileKind kind, const LayerShape& shape, const ArrayShape& array) {
  switch (kind) {
    case FileKind::Activation:
    case FileKind::Psum: return shape.nij_count();
    case FileKind::Weight: return array.col;
    case FileKind::Out: return shape.o_nij_count();
    case FileKind::ActivationOs:
    case FileKind::WeightOs: return kKijCount;
    case FileKind::OutOs: return array.row;
  }
  return 0;
}

std::vector<std::string> notebook_header(FileKind kind, const ArrayShape& array) {
  // Exactly the comment lines seed 001 writes (its dot counts differ per file kind).
  const int top_row = array.row - 1;
  const int top_col = array.col - 1;
  switch (kind) {
    case FileKind::Activation:
    case FileKind::ActivationOs:
      return {fmt::format("#time0row{}[msb-lsb],time0row{}[msb-lst],....,time0row0[msb-lst]#",
                          top_row, top_row - 1),
              fmt::format("#time1row{}[msb-lsb],time1row{}[msb-lst],....,time1row0[msb-lst]#",
                          top_row, top_row - 1),
              "#.....#"};
    case FileKind::Weight:
    case FileKind::WeightOs:
      return {fmt::format("#col0row{}[msb-lsb],col0row{}[msb-lst],...,col0row0[msb-lst]#",
                          top_row, top_row - 1),
              fmt::format("#col1row{}[msb-lsb],col1row{}[msb-lst],...,col1row0[msb-lst]#",
                          top_row, top_row - 1),
              "#.....#"};
    case FileKind::Psum:
      return {fmt::format("#time0col{}[msb-lsb],time0col{}[msb-lst],....,time0col0[msb-lst]#",
                          top_col, top_col - 1),
              fmt::format("#time1col{}[msb-lsb],time1col{}[msb-lst],....,time1col0[msb-lst]#",
                          top_col, top_col - 1),
              "#.....#"};
    case FileKind::Out:
    case FileKind::OutOs:
      return {fmt::format("#time0col{}[msb-lsb],time0col{}[msb-lst],...,time0col0[msb-lst]#",
                          top_col, top_col - 1),
              fmt::format("#time1col{}[msb-lsb],time1col{}[msb-lst],...,time1col0[msb-lst]#",
                          top_col, top_col - 1),
              "#.....#"};
  }
  return {};
}

std::string format_record(const std::int64_t* values, const RecordFormat& format,
                          ElementOrder order) {
  std::string line(static_cast<std::size_t>(format.line_length()), '0');
  for (int position = 0; position < format.elements; ++position) {
    const int element =
        order == ElementOrder::HighFirst ? format.elements - 1 - position : position;
    const std::uint64_t bits = to_bits(values[element], format.bits);
    for (int b = 0; b < format.bits; ++b) {
      if ((bits >> (format.bits - 1 - b)) & 1U) line[position * format.bits + b] = '1';
    }
  }
  return line;
}

void write_record_file(const std::filesystem::path& path, const RecordFormat& format,
                       const std::vector<std::int64_t>& values,
                       const std::vector<std::string>& header, ElementOrder order) {
  const std::string name = path.filename().string();
  if (format.elements <= 0 || values.size() % static_cast<std::size_t>(format.elements) != 0) {
    throw InputError(name, fmt::format("{} values do not make whole records of {} elements",
                                       values.size(), format.elements));
  }
  const std::int64_t low = format.is_signed ? -(std::int64_t{1} << (format.bits - 1)) : 0;
  const std::int64_t high = format.is_signed ? (std::int64_t{1} << (format.bits - 1)) - 1
                                             : (std::int64_t{1} << format.bits) - 1;
  std::string text;
  for (const std::string& line : header) text += line + '\n';
  const std::size_t records = values.size() / static_cast<std::size_t>(format.elements);
  for (std::size_t record = 0; record < records; ++record) {
    const std::int64_t* line = &values[record * static_cast<std::size_t>(format.elements)];
    for (int element = 0; element < format.elements; ++element) {
      if (line[element] < low || line[element] > high) {
        throw InputError(name, static_cast<int>(header.size() + record + 1),
                         fmt::format("element {} value {} does not fit {} bits {}", element,
                                     line[element], format.bits,
                                     format.is_signed ? "signed" : "unsigned"));
      }
    }
    text += format_record(line, format, order);
    text += '\n';
  }
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  if (!stream) throw InputError(path.string(), "cannot create file");
  stream << text;
  if (!stream) throw InputError(path.string(), "write failed");
}

std::string activation_file_name(const Tiling& tiling, int ic_tile) {
  return tiling.single() ? "activation.txt" : fmt::format("activation_tile{}.txt", ic_tile);
}

std::string weight_file_name(const Tiling& tiling, int ic_tile, int oc_tile, int kij) {
  return tiling.single() ? fmt::format("weight_kij{}.txt", kij)
                         : fmt::format("weight_itile{}_otile{}_kij{}.txt", ic_tile, oc_tile, kij);
}

std::string psum_file_name(const Tiling& tiling, int ic_tile, int oc_tile, int kij) {
  return tiling.single() ? fmt::format("psum_kij{}.txt", kij)
                         : fmt::format("psum_itile{}_otile{}_kij{}.txt", ic_tile, oc_tile, kij);
}

std::string out_file_name(const Tiling& tiling, int oc_tile) {
  return tiling.single() ? "out.txt" : fmt::format("out_otile{}.txt", oc_tile);
}

std::string activation_os_file_name(int ic) { return fmt::format("activation_os_ic{}.txt", ic); }

std::string weight_os_file_name(int ic) { return fmt::format("weight_os_ic{}.txt", ic); }

}  // namespace golden
