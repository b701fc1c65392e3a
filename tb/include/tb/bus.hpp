// The core's instruction bus (rtl/README.md): field positions, one clock cycle of stimulus, recorders.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace tb {

// Widest buses the harness carries: D_xmem up to 128 bits (row*bw), sfp_out up to 512 bits
// (col*psum_bw). Wider arrays are refused when the model is chosen.
inline constexpr int kXmemWords = 4;
inline constexpr int kSfpWords = 16;
using XmemWord = std::array<std::uint32_t, kXmemWords>;
using SfpWord = std::array<std::uint32_t, kSfpWords>;

}  // namespace tb

// The fields and kWidth, generated from rtl/core_bus.json (cmake/bus_codegen.cmake).
#include "tb/core_bus_fields.hpp"

namespace tb {
namespace inst {

inline constexpr int kSramDepth = 2048;   // xmem and pmem words (11-bit address)
inline constexpr int kXmemWeightBase = 1024;  // DESIGN.md: weights at 1024+ in xmem

constexpr std::uint64_t field_mask(InstField field) {
  return ((std::uint64_t{1} << field.width) - 1) << field.lsb;
}
constexpr std::uint64_t get(std::uint64_t bits, InstField field) {
  return (bits & field_mask(field)) >> field.lsb;
}
constexpr std::uint64_t with(std::uint64_t bits, InstField field, std::uint64_t value) {
  return (bits & ~field_mask(field)) | ((value << field.lsb) & field_mask(field));
}
// Both SRAMs deselected (CEN/WEN are active low), every strobe off, ReLU on.
inline constexpr std::uint64_t kIdle = field_mask(kCenPmem) | field_mask(kWenPmem) |
                                       field_mask(kCenXmem) | field_mask(kWenXmem);
}  // namespace inst

// Builder for one cycle's instruction word; starts idle.
class Instruction {
 public:
  std::uint64_t bits() const { return bits_; }
  bool has(InstField field) const { return inst::get(bits_, field) != 0; }
  Instruction& set(InstField field, std::uint64_t value = 1) {
    bits_ = inst::with(bits_, field, value);
    return *this;
  }
  Instruction& xmem_write(int address);
  Instruction& xmem_read(int address);
  Instruction& pmem_write(int address);
  Instruction& pmem_read(int address);
  bool xmem_busy() const { return !has(inst::kCenXmem); }
  bool pmem_busy() const { return !has(inst::kCenPmem); }

 private:
  std::uint64_t bits_ = inst::kIdle;
};

// "l0_wr l0_rd+execute xmem.rd@1030 pmem.wr@12" — the active parts of an instruction word.
std::string describe(std::uint64_t inst_bits);

// Everything the harness drives into the core in one clock cycle. All stimulus flows through
// this type, so a recorder sees exactly what the core saw.
struct BusCycle {
  bool reset = false;
  std::uint64_t inst = inst::kIdle;
  XmemWord d_xmem{};
};

// What the core showed right after a cycle's rising edge.
struct CoreOutputs {
  bool ofifo_valid = false;
  SfpWord sfp_out{};
};

// Receives every applied cycle and what the core showed after its edge (for stimulus export
// and replay in another simulator).
class BusRecorder {
 public:
  virtual ~BusRecorder() = default;
  virtual void record(std::uint64_t cycle, const BusCycle& bus, const CoreOutputs& outputs) = 0;
};

// Writes one line per cycle: "<cycle> <reset> <inst> <D_xmem> <ofifo_valid> <sfp_out>" (inst,
// D_xmem and sfp_out in hex), after 3 '#' lines naming the widths: readable by $fscanf in a
// plain Verilog testbench, which can apply the inputs and compare the outputs.
class StimulusFileRecorder : public BusRecorder {
 public:
  StimulusFileRecorder(const std::string& path, int xmem_bits, int sfp_bits);
  ~StimulusFileRecorder() override;
  StimulusFileRecorder(const StimulusFileRecorder&) = delete;
  StimulusFileRecorder& operator=(const StimulusFileRecorder&) = delete;
  void record(std::uint64_t cycle, const BusCycle& bus, const CoreOutputs& outputs) override;

 private:
  std::FILE* file_ = nullptr;
  int xmem_bits_;
  int sfp_bits_;
};

// Lane helpers: element i of a bus sits at bits [i*width +: width] (rtl/README.md).
void put_lane(std::uint32_t* words, int index, int width, std::uint32_t value);
std::int64_t signed_lane(const std::uint32_t* words, int index, int width);
std::uint64_t unsigned_lane(const std::uint32_t* words, int index, int width);

}  // namespace tb
