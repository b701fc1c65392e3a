// libFuzzer target: random bytes into the meta.json parser.
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::meta_entry(data, size);
  return 0;
}
