// Instruction-word builder, its readable description, lane packing and the stimulus file recorder.
#include "tb/bus.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace tb {

Instruction& Instruction::xmem_write(int address) {
  return set(inst::kCenXmem, 0).set(inst::kWenXmem, 0).set(inst::kAXmem, address);
}
Instruction& Instruction::xmem_read(int address) {
  return set(inst::kCenXmem, 0).set(inst::kWenXmem, 1).set(inst::kAXmem, address);
}
Instruction& Instruction::pmem_write(int address) {
  return set(inst::kCenPmem, 0).set(inst::kWenPmem, 0).set(inst::kAPmem, address);
}
Instruction& Instruction::pmem_read(int address) {
  return set(inst::kCenPmem, 0).set(inst::kWenPmem, 1).set(inst::kAPmem, address);
}

std::string describe(std::uint64_t bits) {
  using namespace inst;
  std::string text;
  auto add = [&text](std::string_view part) {
    if (!text.empty()) text += ' ';
    text += part;
  };
  for (InstField flag : {kPmemAcc, kOsDrain, kOs, kReluBypass, kSfpInit, kAcc, kOfifoRd,
                         kIfifoWr, kIfifoRd, kL0Rd, kL0Wr, kExecute, kLoad}) {
    if (get(bits, flag) != 0) add(flag.name);
  }
  if (get(bits, kCenXmem) == 0) {
    add(fmt::format("xmem.{}@{}", get(bits, kWenXmem) != 0 ? "rd" : "wr", get(bits, kAXmem)));
  }
  if (get(bits, kCenPmem) == 0) {
    add(fmt::format("pmem.{}@{}", get(bits, kWenPmem) != 0 ? "rd" : "wr", get(bits, kAPmem)));
  }
  return text.empty() ? std::string("idle") : text;
}

void put_lane(std::uint32_t* words, int index, int width, std::uint32_t value) {
  // A lane spans at most two 32-bit words: merge it into their 64-bit concatenation.
  const int position = index * width;
  const int word = position / 32;
  const int shift = position % 32;
  const std::uint64_t mask = ((std::uint64_t{1} << width) - 1) << shift;
  const std::uint64_t bits = (static_cast<std::uint64_t>(value) << shift) & mask;
  words[word] = static_cast<std::uint32_t>((words[word] & ~mask) | bits);
  if (shift + width > 32) {
    words[word + 1] = static_cast<std::uint32_t>(((words[word + 1] & ~(mask >> 32)) | (bits >> 32)));
  }
}

std::uint64_t unsigned_lane(const std::uint32_t* words, int index, int width) {
  const int position = index * width;
  const int word = position / 32;
  const int shift = position % 32;
  std::uint64_t window = words[word];
  // Read the next word only when the lane reaches into it (it may lie past the bus).
  if (shift + width > 32) window |= static_cast<std::uint64_t>(words[word + 1]) << 32;
  return (window >> shift) & ((std::uint64_t{1} << width) - 1);
}

std::int64_t signed_lane(const std::uint32_t* words, int index, int width) {
  const std::uint64_t value = unsigned_lane(words, index, width);
  // Two's complement of a width-bit field: the top bit weighs -2^(width-1).
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  return static_cast<std::int64_t>(value ^ sign) - static_cast<std::int64_t>(sign);
}

namespace {

// Hex digits of the low `bits` bits of a word array, most significant first.
std::string hex_of(const std::uint32_t* words, int bits) {
  std::string text;
  for (int digit = (bits + 3) / 4 - 1; digit >= 0; --digit) {
    const int lsb = digit * 4;  // a nibble never straddles two 32-bit words
    text += "0123456789abcdef"[(words[lsb / 32] >> (lsb % 32)) & 0xFU];
  }
  return text;
}

}  // namespace

StimulusFileRecorder::StimulusFileRecorder(const std::string& path, int xmem_bits, int sfp_bits)
    : file_(std::fopen(path.c_str(), "w")), xmem_bits_(xmem_bits), sfp_bits_(sfp_bits) {
  if (file_ == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: cannot write the stimulus file: {}", path, std::strerror(errno)));
  }
  fmt::print(file_, "# corelet-cosim stimulus: inputs set before each rising edge, outputs seen after it\n");
  fmt::print(file_, "# inst {} bits, D_xmem {} bits, sfp_out {} bits\n", inst::kWidth, xmem_bits_,
             sfp_bits_);
  fmt::print(file_, "# cycle reset inst D_xmem ofifo_valid sfp_out (hex)\n");
}

StimulusFileRecorder::~StimulusFileRecorder() {
  if (file_ != nullptr) std::fclose(file_);
}

void StimulusFileRecorder::record(std::uint64_t cycle, const BusCycle& bus,
                                  const CoreOutputs& outputs) {
  fmt::print(file_, "{} {} {:010x} {} {} {}\n", cycle, bus.reset ? 1 : 0, bus.inst,
             hex_of(bus.d_xmem.data(), xmem_bits_), outputs.ofifo_valid ? 1 : 0,
             hex_of(outputs.sfp_out.data(), sfp_bits_));
}

}  // namespace tb
