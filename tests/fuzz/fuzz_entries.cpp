// Entry functions of the fuzz targets: random bytes into the vector readers and the meta.json parser.
#include "fuzz_entries.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "golden/error.hpp"
#include "golden/vector_file.hpp"
#include "golden/vector_set.hpp"

namespace fuzz {
namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
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
  options.order = (data[2] & 2) != 0 ? golden::ElementOrder::LowFirst
                                     : golden::ElementOrder::HighFirst;
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
}

}  // namespace fuzz
