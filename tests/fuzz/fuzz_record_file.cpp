// libFuzzer target: random bytes into the strict 0/1 record reader.
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::record_file_entry(data, size);
  return 0;
}
