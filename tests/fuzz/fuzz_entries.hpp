// Entry functions shared by the libFuzzer targets and the corpus replay test: one input each.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fuzz {

// Each entry feeds one input to the code under test. golden::InputError is the expected
// outcome for bad input and is swallowed; any other exception escapes, and a broken
// invariant (a round trip that changes a value) aborts, so the fuzzer and the replay test
// both see it.

// The strict record reader: the first 5 bytes choose the format (elements, bits, sign,
// element order), the header line count and the expected record count; the rest is the file.
void record_file_entry(const std::uint8_t* data, std::size_t size);

// meta.json text through parse_meta, then every pattern through expand_pattern; what parses
// must survive to_meta_json and parse_meta again unchanged.
void meta_entry(const std::uint8_t* data, std::size_t size);

// An in-memory set folder: files "name\0text" separated by '\1'. The doctor infers a reading
// from it (the meta.json it would write must parse back to the same reading), then the whole
// doctor runs on the files written to a scratch folder (a "meta.json" among them is used).
void doctor_entry(const std::uint8_t* data, std::size_t size);

}  // namespace fuzz
