// Entry functions of the fuzz targets: random bytes into the vector readers and the meta.json
// parser.
#include "fuzz_entries.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "golden/error.hpp"
#include "vector_files/doctor.hpp"
#include "vector_files/vector_file.hpp"
#include "vector_files/vector_set.hpp"

namespace fuzz {
namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// The reading two metas describe is the same (every field the schema has).
bool same_reading(const golden::VectorSetMeta& a, const golden::VectorSetMeta& b) {
  if (a.dataflow != b.dataflow || a.array != b.array || a.layer != b.layer || a.tiles != b.tiles ||
      a.patterns != b.patterns || a.out_relu != b.out_relu || a.element_order != b.element_order ||
      a.weights_transposed != b.weights_transposed || a.expect_defects != b.expect_defects ||
      a.known_defects.size() != b.known_defects.size() || a.source != b.source ||
      a.notes != b.notes)
    return false;
  for (const auto& [role, pattern] : a.patterns)
    if (a.header_lines_for(role) != b.header_lines_for(role)) return false;
  for (std::size_t i = 0; i < a.known_defects.size(); ++i) {
    const golden::KnownDefect& x = a.known_defects[i];
    const golden::KnownDefect& y = b.known_defects[i];
    if (x.file != y.file || x.line != y.line || x.element != y.element || x.what != y.what)
      return false;
  }
  return true;
}

void expect_round_trip(const golden::VectorSetMeta& meta) {
  golden::VectorSetMeta again;
  try {
    again = golden::parse_meta(golden::to_meta_json(meta), "written.json");
  } catch (const golden::InputError& error) {
    std::fprintf(stderr, "%s\n%s", error.what(), golden::to_meta_json(meta).c_str());
    broken("to_meta_json wrote a meta.json that parse_meta refuses");
  }
  if (!same_reading(meta, again)) broken("to_meta_json and parse_meta disagree");
}

// A relative path that stays inside the scratch folder: [A-Za-z0-9_.-] components, no "..".
bool safe_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  std::size_t start = 0;
  int components = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string component = name.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") return false;
    for (char ch : component) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
      if (!ok) return false;
    }
    if (++components > 3) return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

void record_file_entry(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kConfigBytes = 5;
  if (size < kConfigBytes) return;
  golden::RecordFormat format;
  format.elements = 1 + data[0] % 16;
  format.bits = 1 + data[1] % 32;
  format.is_signed = (data[2] & 1) != 0;
  golden::ReadOptions options;
  options.order =
      (data[2] & 2) != 0 ? golden::ElementOrder::LowFirst : golden::ElementOrder::HighFirst;
  options.header_lines = data[3] % 13;
  const int expected = static_cast<int>(data[4] % 42) - 1;  // -1: any count
  const std::string text(reinterpret_cast<const char*>(data) + kConfigBytes, size - kConfigBytes);

  golden::RecordFile file;
  try {
    file = golden::parse_record_file(text, "fuzz.txt", format, expected, options);
  } catch (const golden::InputError&) {
    return;
  }
  if (expected >= 0 && file.records != expected) broken("record count differs from expected");
  if (file.values.size() != static_cast<std::size_t>(file.records) * format.elements)
    broken("value count differs from records x elements");

  // What was read, written back with the writer's formatting and read again, is the same.
  std::string again;
  for (int record = 0; record < file.records; ++record) {
    again += golden::format_record(&file.values[static_cast<std::size_t>(record) * format.elements],
                                   format, options.order);
    again += '\n';
  }
  golden::ReadOptions plain = options;
  plain.header_lines = 0;
  golden::RecordFile reread;
  try {
    reread = golden::parse_record_file(again, "again.txt", format, file.records, plain);
  } catch (const golden::InputError&) {
    if (file.records != 0) broken("formatted records do not read back");
    return;
  }
  if (reread.values != file.values) broken("values change through format_record");
}

void meta_entry(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  golden::VectorSetMeta meta;
  try {
    meta = golden::parse_meta(text, "meta.json");
  } catch (const golden::InputError&) {
    return;
  }
  for (const auto& [role, pattern] : meta.patterns) {
    try {
      golden::expand_pattern(pattern, 8, 1, 1, 7);
    } catch (const golden::InputError&) {
    }
  }
  expect_round_trip(meta);
}

void doctor_entry(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxBytes = std::size_t{1} << 16;
  if (size > kMaxBytes) return;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> files;
  std::size_t start = 0;
  while (start <= bytes.size() && files.size() < 48) {
    std::size_t end = bytes.find('\1', start);
    if (end == std::string::npos) end = bytes.size();
    const std::string entry = bytes.substr(start, end - start);
    const std::size_t split = entry.find('\0');
    if (split != std::string::npos && safe_name(entry.substr(0, split)))
      files[entry.substr(0, split)] = entry.substr(split + 1);
    start = end + 1;
  }
  for (const auto& [name, text] : files) golden::detect_header_lines(text);

  std::map<std::string, std::string> without_meta = files;
  without_meta.erase("meta.json");
  bool inferred = false;
  try {
    std::vector<std::string> assumptions;
    expect_round_trip(golden::infer_meta_from_files(without_meta, assumptions));
    inferred = true;
  } catch (const golden::InputError&) {
  }
  // Without a meta.json the doctor starts from the same inference: nothing more to see.
  if (!inferred && !files.count("meta.json")) return;

  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("cosim_fuzz_doctor_" + std::to_string(::getpid()));
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  for (const auto& [name, text] : files) {
    const fs::path path = dir / name;
    fs::create_directories(path.parent_path(), ignored);
    std::ofstream(path, std::ios::binary) << text;
  }
  fs::create_directories(dir, ignored);
  try {
    const golden::DoctorReport report = golden::diagnose_vector_set(dir);
    golden::format_doctor_report(report, true);
    if (report.consistent && !report.diagnoses.empty()) broken("consistent with findings");
  } catch (const golden::InputError&) {
  }
  fs::remove_all(dir, ignored);
}

}  // namespace fuzz
