// Writes the export folder of --export-stimulus: per-cycle inputs and golden checks as $readmemh files.
#include "tb/stimulus_export.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "tb/errors.hpp"

namespace tb {
namespace {

// Hex digits of the low `bits` bits of a word array, most significant first ($readmemh order).
std::string hex_digits(const std::uint32_t* words, int bits) {
  std::string text;
  for (int digit = (bits + 3) / 4 - 1; digit >= 0; --digit) {
    const int lsb = digit * 4;  // a nibble never straddles two 32-bit words
    std::uint32_t nibble = (words[lsb / 32] >> (lsb % 32)) & 0xFU;
    if (lsb + 4 > bits) nibble &= (1U << (bits - lsb)) - 1;
    text += "0123456789abcdef"[nibble];
  }
  return text;
}

// One output file; every write error surfaces as a UsageError naming the file.
class OutputFile {
 public:
  explicit OutputFile(const std::filesystem::path& path)
      : path_(path.string()), file_(std::fopen(path_.c_str(), "w")) {
    if (file_ == nullptr) fail();
  }
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  std::FILE* get() const { return file_; }
  void close() {
    const bool bad = std::ferror(file_) != 0;
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (bad || closed != 0) fail();
  }

 private:
  [[noreturn]] void fail() const {
    throw UsageError(
        fmt::format("{}: cannot write the stimulus export: {}", path_, std::strerror(errno)));
  }
  std::string path_;
  std::FILE* file_;
};

}  // namespace

std::string describe_expectation(const Expectation& expect) {
  switch (expect.kind) {
    case Expectation::Kind::Psum:
      return fmt::format("psum oc_tile {} ic_tiles {} kij {} nij {}", expect.oc_tile,
                         expect.ic_tiles, expect.kij, expect.nij);
    case Expectation::Kind::Output:
      return fmt::format("output oc_tile {} o_nij {}", expect.oc_tile, expect.o_nij);
    case Expectation::Kind::OsOutput:
      return fmt::format("output-stationary pass {} pixel group {} oc_tile {} pixel {} o_nij {}",
                         expect.pass, expect.group, expect.oc_tile, expect.pixel, expect.o_nij);
    case Expectation::Kind::None:
      break;
  }
  return "nothing";
}

StimulusExporter::StimulusExporter(std::string folder, const golden::ArrayShape& array,
                                   GoldenValues golden, BusRecorder* also)
    : folder_(std::move(folder)),
      array_(array),
      golden_(std::move(golden)),
      also_(also),
      pending_write_(static_cast<std::size_t>(inst::kSramDepth), -1) {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error || !std::filesystem::is_directory(folder_)) {
    throw UsageError(fmt::format("{}: cannot create the stimulus export folder: {}", folder_,
                                 error ? error.message() : "not a folder"));
  }
}

void StimulusExporter::record(std::uint64_t cycle, const BusCycle& bus,
                              const CoreOutputs& outputs) {
  if (also_ != nullptr) also_->record(cycle, bus, outputs);
  inputs_.push_back(bus);
  const Expectation expect = next_expect_;
  next_expect_ = Expectation{};  // cycles without a sequencer step (the settle) check nothing

  // A single-term SFP readback of address A (acc with sfp_init) gives the golden word of A's
  // last write. Resolved before this cycle's own write, which may reuse A.
  const bool sfp_check = expect.kind != Expectation::Kind::None &&
                         expect.source == Expectation::Source::SfpOut;
  if (sfp_check &&
      (expect.kind == Expectation::Kind::Psum || expect.kind == Expectation::Kind::OsOutput) &&
      inst::get(bus.inst, inst::kAcc) != 0 && inst::get(bus.inst, inst::kSfpInit) != 0 &&
      expect.pmem_address >= 0 && expect.pmem_address < inst::kSramDepth) {
    long& pending = pending_write_[static_cast<std::size_t>(expect.pmem_address)];
    if (pending >= 0) {
      resolve(checks_[static_cast<std::size_t>(pending)], expect, golden_.pmem_word);
      pending = -1;
    }
  }

  if (!bus.reset && inst::get(bus.inst, inst::kOfifoRd) != 0 &&
      inst::get(bus.inst, inst::kCenPmem) == 0 && inst::get(bus.inst, inst::kWenPmem) == 0) {
    Check write;
    write.cycle = cycle;
    write.pmem = true;
    write.address = static_cast<int>(inst::get(bus.inst, inst::kAPmem));
    if (expect.kind != Expectation::Kind::None &&
        expect.source == Expectation::Source::PmemWrite) {
      // The sequencer checks this write itself (--psum-check write): the scoreboard's value.
      resolve(write, expect, golden_.sfp_out);
      pending_write_[static_cast<std::size_t>(write.address)] = -1;
    } else {
      pending_write_[static_cast<std::size_t>(write.address)] = static_cast<long>(checks_.size());
    }
    checks_.push_back(std::move(write));
  }

  if (sfp_check) {
    Check check;
    check.cycle = cycle;
    resolve(check, expect, golden_.sfp_out);
    checks_.push_back(std::move(check));
  }
}

void StimulusExporter::resolve(Check& check, const Expectation& expect,
                               const std::function<std::int64_t(const Expectation&, int)>& value) {
  for (int column = 0; column < array_.col; ++column) {
    put_lane(check.data.data(), column, array_.psum_bw,
             static_cast<std::uint32_t>(value(expect, column)));
  }
  check.resolved = true;
  check.what = check.pmem ? fmt::format("pmem write @{}: {}", check.address, describe_expectation(expect))
                          : fmt::format("sfp_out: {}", describe_expectation(expect));
}

std::size_t StimulusExporter::checks() const {
  return checks_.size() - unchecked_pmem_writes();
}

std::size_t StimulusExporter::pmem_checks() const {
  std::size_t count = 0;
  for (const Check& check : checks_) count += check.pmem && check.resolved ? 1 : 0;
  return count;
}

std::size_t StimulusExporter::unchecked_pmem_writes() const {
  std::size_t count = 0;
  for (const Check& check : checks_) count += check.resolved ? 0 : 1;
  return count;
}

void StimulusExporter::write() const {
  const std::filesystem::path folder(folder_);
  const int inst_digits = (inst::kWidth + 3) / 4;
  const int xmem_bits = array_.row * array_.bw;
  const int data_bits = array_.col * array_.psum_bw;
  std::size_t resolved = 0;
  for (const Check& check : checks_) resolved += check.resolved ? 1 : 0;

  {
    OutputFile header(folder / ExportFiles::kHeader);
    std::FILE* out = header.get();
    fmt::print(out, "// corelet-cosim stimulus export, replayed by tb/replay_tb.v ($readmemh words)\n");
    fmt::print(out, "// inputs are set while clk is low; checks compare after the cycle's rising edge\n");
    fmt::print(out, "// cycles\n{:08x}\n// checks\n{:08x}\n", inputs_.size(), resolved);
    fmt::print(out, "// row\n{:08x}\n// col\n{:08x}\n// bw\n{:08x}\n// psum_bw\n{:08x}\n",
               array_.row, array_.col, array_.bw, array_.psum_bw);
    fmt::print(out, "// inst bits\n{:08x}\n", inst::kWidth);
    header.close();
  }
  {
    OutputFile reset(folder / ExportFiles::kReset);
    OutputFile inst(folder / ExportFiles::kInst);
    OutputFile xmem(folder / ExportFiles::kXmem);
    for (const BusCycle& bus : inputs_) {
      fmt::print(reset.get(), "{}\n", bus.reset ? 1 : 0);
      fmt::print(inst.get(), "{:0{}x}\n", bus.inst, inst_digits);
      fmt::print(xmem.get(), "{}\n", hex_digits(bus.d_xmem.data(), xmem_bits));
    }
    reset.close();
    inst.close();
    xmem.close();
  }
  {
    OutputFile cycle(folder / ExportFiles::kCheckCycle);
    OutputFile kind(folder / ExportFiles::kCheckKind);
    OutputFile address(folder / ExportFiles::kCheckAddress);
    OutputFile data(folder / ExportFiles::kCheckData);
    OutputFile text(folder / ExportFiles::kChecks);
    fmt::print(text.get(), "# check cycle what (index from 0, as tb/replay_tb.v prints it)\n");
    std::size_t index = 0;
    for (const Check& check : checks_) {
      if (!check.resolved) continue;
      fmt::print(cycle.get(), "{:08x}\n", check.cycle);
      fmt::print(kind.get(), "{}\n", check.pmem ? 1 : 0);
      fmt::print(address.get(), "{:03x}\n", check.address);
      fmt::print(data.get(), "{}\n", hex_digits(check.data.data(), data_bits));
      fmt::print(text.get(), "{} {} {}\n", index++, check.cycle, check.what);
    }
    cycle.close();
    kind.close();
    address.close();
    data.close();
    text.close();
  }
}

}  // namespace tb
