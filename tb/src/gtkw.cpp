// GTKWave save file from the signal names a Verilated trace really holds.
#include "tb/gtkw.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "tb/bus.hpp"
#include "tb/core_driver.hpp"

namespace tb {
namespace {

// GTKWave trace flags (TraceEntFlagBits of GTKWave's savefile format).
constexpr unsigned kHex = 0x2, kDec = 0x4, kBin = 0x8, kRjustify = 0x20, kBlank = 0x200,
                   kSigned = 0x400, kGroupBegin = 0x800000, kGroupEnd = 0x1000000;

void parse_header_line(const std::string& line, std::vector<std::string>& scopes,
                       TraceContents& contents) {
  std::istringstream words(line);
  std::string keyword;
  words >> keyword;
  if (keyword == "$scope") {
    std::string kind, name;
    words >> kind >> name;
    scopes.push_back(name);
  } else if (keyword == "$upscope") {
    if (!scopes.empty()) scopes.pop_back();
  } else if (keyword == "$var") {
    TraceSignal signal;
    std::string kind, id, token;
    words >> kind >> signal.width >> id >> signal.name;
    while (words >> token && token != "$end") signal.range += token;
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      signal.scope += (i == 0 ? "" : ".") + scopes[i];
    }
    contents.signals.push_back(signal);
  }
}

}  // namespace

TraceContents read_trace(const std::string& path, bool with_times) {
  TraceContents contents;
  std::vector<std::string> scopes;
  if (trace_format_of(path) == TraceFormat::Fst) {
    // FST is binary; GTKWave's own converter gives the same header as text.
    const std::string command = fmt::format("fst2vcd -f '{}' 2>/dev/null", path);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) throw std::runtime_error(fmt::format("{}: cannot run fst2vcd", path));
    char buffer[4096];
    std::string line;
    while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
      line = buffer;
      if (line.find("$enddefinitions") != std::string::npos) break;
      parse_header_line(line, scopes, contents);
    }
    while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
    }
    if (contents.signals.empty()) {
      throw std::runtime_error(fmt::format("{}: no signals found (is it an FST file?)", path));
    }
    return contents;
  }
  std::ifstream file(path);
  if (!file) {
    throw std::runtime_error(fmt::format("{}: cannot read the trace: {}", path, std::strerror(errno)));
  }
  std::string line;
  bool in_header = true;
  while (std::getline(file, line)) {
    if (in_header) {
      if (line.find("$enddefinitions") != std::string::npos) {
        in_header = false;
        if (!with_times) break;
        continue;
      }
      parse_header_line(line, scopes, contents);
    } else if (!line.empty() && line[0] == '#') {
      contents.times.push_back(std::stoull(line.substr(1)));
    }
  }
  return contents;
}

namespace {

class GtkwWriter {
 public:
  GtkwWriter(std::FILE* file, const std::vector<TraceSignal>& signals)
      : file_(file), signals_(signals) {}

  // The first signal named `name` in a scope that satisfies `scope_match` (given the whole
  // scope and its last component).
  const TraceSignal* find(
      const std::function<bool(const std::string& scope, const std::string& leaf)>& scope_match,
      const std::string& name) const {
    for (const TraceSignal& signal : signals_) {
      const std::string leaf = signal.scope.substr(signal.scope.rfind('.') + 1);
      if (signal.name == name && scope_match(signal.scope, leaf)) return &signal;
    }
    return nullptr;
  }

  void begin_group(const std::string& label) { fmt::print(file_, "@{:x}\n-{}\n", kGroupBegin | kBlank, label); }
  void end_group(const std::string& label) { fmt::print(file_, "@{:x}\n-{}\n", kGroupEnd | kBlank, label); }

  void trace(const TraceSignal* signal, unsigned format, const std::string& alias = "") {
    if (signal == nullptr) return;
    fmt::print(file_, "@{:x}\n", format | kRjustify);
    if (!alias.empty()) fmt::print(file_, "+{{{}}} ", alias);
    fmt::print(file_, "{}\n", signal->full_name());
  }

  // Bits [lsb+width-1 : lsb] of a vector as one trace: GTKWave's "#{name} bit bit ..." form,
  // bits named (i)vector with i counted from the vector's msb.
  void slice(const TraceSignal* signal, int lsb, int width, unsigned format,
             const std::string& alias) {
    if (signal == nullptr) return;
    fmt::print(file_, "@{:x}\n#{{{}}}", format | kRjustify, alias);
    for (int bit = lsb + width - 1; bit >= lsb; --bit) {
      fmt::print(file_, " ({}){}", signal->width - 1 - bit, signal->full_name());
    }
    fmt::print(file_, "\n");
  }

 private:
  std::FILE* file_;
  const std::vector<TraceSignal>& signals_;
};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The core module is the deepest scope holding both inst and sfp_out (the ports are also
// traced one level up, in the model's top scope).
std::string core_scope_of(const TraceContents& contents) {
  std::string core_scope;
  for (const TraceSignal& signal : contents.signals) {
    if (signal.name != "sfp_out" || signal.scope.size() <= core_scope.size()) continue;
    for (const TraceSignal& other : contents.signals) {
      if (other.name == "inst" && other.scope == signal.scope) core_scope = signal.scope;
    }
  }
  return core_scope;
}

void write_header(std::FILE* file, const std::string& gtkw_path, const std::string& trace_path,
                  const golden::ArrayShape& array, std::int64_t marker_time) {
  fmt::print(file, "[*] GTKWave save file written by cosim for the {}x{} core\n", array.row,
             array.col);
  fmt::print(file, "[dumpfile] \"{}\"\n",
             std::filesystem::absolute(trace_path).lexically_normal().string());
  fmt::print(file, "[savefile] \"{}\"\n",
             std::filesystem::absolute(gtkw_path).lexically_normal().string());
  fmt::print(file, "[timestart] 0\n[size] 1600 1000\n[pos] -1 -1\n*-4.000000 {}\n",
             marker_time >= 0 ? marker_time : 0);
  fmt::print(file, "[sst_width] 260\n[signals_width] 320\n[sst_expanded] 1\n[sst_vpaned_height] 300\n");
}

// Clock, reset, the instruction bus (each field as its own wire or a slice of inst) and the
// memories' data ports, all on the core's own scope.
void write_port_groups(GtkwWriter& out, const std::string& core_scope) {
  const auto is_core = [&core_scope](const std::string& scope, const std::string&) {
    return scope == core_scope;
  };
  out.begin_group("clock and reset");
  out.trace(out.find(is_core, "clk"), kBin);
  out.trace(out.find(is_core, "reset"), kBin);
  out.end_group("clock and reset");

  out.begin_group("instruction bus");
  const TraceSignal* inst_bus = out.find(is_core, "inst");
  out.trace(inst_bus, kHex);
  for (const InstField& field : inst::kFields) {
    const TraceSignal* wire = out.find(is_core, std::string(field.name));
    if (wire != nullptr) {
      out.trace(wire, field.width > 1 ? kDec : kBin, std::string(field.name));
    } else {
      out.slice(inst_bus, field.lsb, field.width, field.width > 1 ? kDec : kBin,
                std::string(field.name));
    }
  }
  out.end_group("instruction bus");

  out.begin_group("xmem and pmem data");
  out.trace(out.find(is_core, "D_xmem"), kHex);
  out.trace(out.find(is_core, "xmem_q"), kHex);
  out.trace(out.find(is_core, "pmem_d"), kHex);
  out.trace(out.find(is_core, "pmem_q"), kHex);
  out.end_group("xmem and pmem data");
}

// L0, the array's edges, the OFIFO and the SFP, with sfp_out split into its columns.
void write_block_groups(GtkwWriter& out, const std::string& core_scope,
                        const golden::ArrayShape& array) {
  const auto is_core = [&core_scope](const std::string& scope, const std::string&) {
    return scope == core_scope;
  };
  // Instances by the block they are (u_l0, u_ofifo, ...), whatever the prefix.
  const auto named = [](const char* suffix) {
    return [suffix](const std::string&, const std::string& leaf) { return ends_with(leaf, suffix); };
  };
  out.begin_group("L0 (west edge FIFOs)");
  for (const char* name : {"wr", "rd", "rd_row", "full", "empty", "in", "out"}) {
    out.trace(out.find(named("l0"), name), std::string(name) == "in" || std::string(name) == "out" ? kHex : kBin);
  }
  out.end_group("L0 (west edge FIFOs)");

  out.begin_group("array edges");
  for (const char* name : {"inst_w", "in_w", "in_n", "out_s", "valid"}) {
    out.trace(out.find(named("mac_array"), name), std::string(name) == "valid" || std::string(name) == "inst_w" ? kBin : kHex);
  }
  out.end_group("array edges");

  out.begin_group("OFIFO (south edge FIFOs)");
  for (const char* name : {"wr", "rd", "o_valid", "full", "empty", "out"}) {
    out.trace(out.find(named("ofifo"), name), std::string(name) == "out" ? kHex : kBin);
  }
  out.trace(out.find(is_core, "ofifo_valid"), kBin);
  out.end_group("OFIFO (south edge FIFOs)");

  out.begin_group("SFP");
  for (const char* name : {"acc", "init", "relu_bypass"}) {
    out.trace(out.find(named("sfp"), name), kBin);
  }
  const TraceSignal* sfp_out = out.find(is_core, "sfp_out");
  out.trace(sfp_out, kHex);
  for (int c = array.col - 1; c >= 0; --c) {
    out.slice(sfp_out, c * array.psum_bw, array.psum_bw, kDec | kSigned,
              fmt::format("sfp_out col{}", c));
  }
  out.end_group("SFP");
}

}  // namespace

void write_gtkw(const std::string& gtkw_path, const std::string& trace_path,
                const golden::ArrayShape& array, std::int64_t marker_time) {
  const TraceContents contents = read_trace(trace_path, false);
  const std::string core_scope = core_scope_of(contents);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(gtkw_path.c_str(), "w"), std::fclose);
  if (!file) {
    throw std::runtime_error(fmt::format("{}: cannot write the GTKWave save file: {}", gtkw_path,
                                         std::strerror(errno)));
  }
  GtkwWriter out(file.get(), contents.signals);
  write_header(file.get(), gtkw_path, trace_path, array, marker_time);
  write_port_groups(out, core_scope);
  write_block_groups(out, core_scope, array);
}

}  // namespace tb
