// libFuzzer target: random set folders (names and texts) into the vector-set doctor.
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::doctor_entry(data, size);
  return 0;
}
