// cosim probe-core: port names from the top's text, then the ofifo_valid latency and each candidate profile tried on a small layer.
#include "tb/core_probe.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "tb/core_driver.hpp"
#include "tb/errors.hpp"

namespace tb {
namespace {

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// The index just past the parenthesis that closes the one at `open`, or npos.
std::size_t past_closing(const std::string& code, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < code.size(); ++i) {
    if (code[i] == '(') ++depth;
    if (code[i] == ')' && --depth == 0) return i + 1;
  }
  return std::string::npos;
}

std::size_t skip_space(const std::string& code, std::size_t at) {
  while (at < code.size() && std::isspace(static_cast<unsigned char>(code[at])) != 0) ++at;
  return at;
}

// A source file's text with its comments removed.
std::string verilog_code(const std::string& source) {
  std::ifstream stream(source);
  std::stringstream text;
  text << stream.rdbuf();
  return verilog_without_comments(text.str());
}

// The modules of the files that no other module instantiates, as the hint of a missing top:
// ": modules no other one instantiates: a (a.v), b (b.v); name the top with --top NAME (or
// \"top\" in core.json)", or "" when there is none.
std::string top_candidates(const std::vector<std::string>& sources) {
  std::vector<std::pair<std::string, std::string>> modules;  // (name, file)
  std::string all;
  for (const std::string& source : sources) {
    const std::string code = verilog_code(source);
    for (const ModuleDeclaration& module : declared_modules(code)) {
      modules.emplace_back(module.name, source.substr(source.find_last_of('/') + 1));
    }
    all += code + "\n";
  }
  const std::set<std::string> instanced = instance_names(all);
  std::string list;
  for (const auto& [name, file] : modules) {
    if (instanced.count(name) == 0) {
      list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", name, file);
    }
  }
  return list.empty() ? std::string()
                      : fmt::format(": modules no other one instantiates: {}; name the top with "
                                    "--top NAME (or \"top\" in core.json)",
                                    list);
}

}  // namespace

std::string verilog_without_comments(const std::string& text) {
  std::string code;
  code.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == '"') {  // a string: kept as it is, escapes included
      const std::size_t begin = i;
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
      code.append(text, begin, std::min(i + 1, text.size()) - begin);
    } else if (c == '/' && next == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      code += ' ';
      if (i < text.size()) code += '\n';
    } else if (c == '/' && next == '*') {
      code += ' ';
      const auto closes = [&](std::size_t at) {
        return text[at] == '*' && at + 1 < text.size() && text[at + 1] == '/';
      };
      for (i += 2; i < text.size() && !closes(i); ++i) {
        if (text[i] == '\n') code += '\n';  // line numbers stay where they were
      }
      ++i;
    } else {
      code += c;
    }
  }
  return code;
}

std::vector<ModuleDeclaration> declared_modules(const std::string& code) {
  std::vector<ModuleDeclaration> modules;
  for (const std::string keyword : {"module", "macromodule"}) {
    std::size_t counted = 0;  // line numbers counted up to here (a netlist can be megabytes)
    int line = 1;
    for (std::size_t at = code.find(keyword); at != std::string::npos;
         at = code.find(keyword, at + keyword.size())) {
      const std::size_t after = at + keyword.size();
      if ((at > 0 && identifier_char(code[at - 1])) || after >= code.size() ||
          std::isspace(static_cast<unsigned char>(code[after])) == 0) {
        continue;
      }
      std::size_t begin = skip_space(code, after);
      std::size_t end = begin;
      while (end < code.size() && identifier_char(code[end])) ++end;
      if (end == begin) continue;
      ModuleDeclaration module{code.substr(begin, end - begin), true, 0, at};
      line += static_cast<int>(std::count(code.begin() + static_cast<std::ptrdiff_t>(counted),
                                          code.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
      counted = at;
      module.line = line;
      std::size_t next = skip_space(code, end);
      if (next < code.size() && code[next] == '#') {
        next = skip_space(code, next + 1);
        if (next < code.size() && code[next] == '(') {
          next = skip_space(code, past_closing(code, next));
        }
      }
      if (next < code.size() && code[next] == ';') {
        module.has_ports = false;
      } else if (next < code.size() && code[next] == '(') {
        const std::size_t close = past_closing(code, next);
        module.has_ports = close == std::string::npos ||
                           skip_space(code, next + 1) != close - 1;
      }
      modules.push_back(module);
    }
  }
  return modules;
}

std::set<std::string> instance_names(const std::string& code) {
  // One pass over the identifiers: a name followed by #( or by another name and ( or [ is the
  // module of an instance, unless it is the name a module declaration gives.
  std::set<std::string> names;
  std::string previous;  // the identifier before this one, when only space lies between
  std::size_t at = 0;
  const auto identifier_at = [&](std::size_t i) {
    std::size_t end = i;
    if (end < code.size() && (std::isalpha(static_cast<unsigned char>(code[end])) != 0 ||
                              code[end] == '_')) {
      while (end < code.size() && identifier_char(code[end])) ++end;
    }
    return end;
  };
  while (at < code.size()) {
    const char c = code[at];
    if (!(std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_')) {
      if (identifier_char(c)) {  // a number or a $name: not a module name
        while (at < code.size() && identifier_char(code[at])) ++at;
      } else {
        ++at;
      }
      if (std::isspace(static_cast<unsigned char>(c)) == 0) previous.clear();
      continue;
    }
    const std::size_t end = identifier_at(at);
    const std::string name = code.substr(at, end - at);
    const bool declared = previous == "module" || previous == "macromodule";
    std::size_t next = skip_space(code, end);
    bool instance = false;
    if (next < code.size() && code[next] == '#') {
      const std::size_t open = skip_space(code, next + 1);
      instance = open < code.size() && code[open] == '(';
    } else {
      const std::size_t other_end = identifier_at(next);
      if (other_end > next) {
        const std::size_t after = skip_space(code, other_end);
        instance = after < code.size() && (code[after] == '(' || code[after] == '[');
      }
    }
    // Keywords that can stand before a name and ( or [ (a declaration, `end else if (`).
    static const std::set<std::string> keywords{
        "module", "macromodule", "begin", "end", "else", "if", "case", "for", "while",
        "reg", "wire", "logic", "bit", "integer", "real", "time", "genvar", "tri",
        "input", "output", "inout", "signed", "unsigned", "parameter", "localparam",
        "assign", "always", "initial", "function", "task", "posedge", "negedge",
        "and", "or", "not", "nand", "nor", "xor", "xnor", "buf"};
    if (instance && !declared && keywords.count(name) == 0) names.insert(name);
    previous = name;
    at = end;
  }
  return names;
}

TopPorts top_ports(const std::vector<std::string>& sources, const std::string& top) {
  std::string body;
  TopPorts result;
  for (const std::string& source : sources) {
    const std::string code = verilog_code(source);
    const std::vector<ModuleDeclaration> modules = declared_modules(code);
    const auto found = std::find_if(modules.begin(), modules.end(),
                                    [&top](const ModuleDeclaration& m) { return m.name == top; });
    if (found != modules.end()) {
      const std::size_t end = code.find("endmodule", found->offset);
      body = code.substr(found->offset,
                         end == std::string::npos ? std::string::npos : end - found->offset);
      result.file = source.substr(source.find_last_of('/') + 1);
      break;
    }
  }
  if (body.empty()) {
    throw UsageError(fmt::format("no module {} in the core's files (the profile's \"top\"){}",
                                 top, top_candidates(sources)));
  }
  // input/output declarations, ANSI or in the body: direction, type, range, names.
  static const std::regex declaration(
      R"(\b(input|output|inout)\b\s*(?:wire|reg|logic)?\s*(?:signed)?\s*(\[[^\]]*\])?\s*([A-Za-z_]\w*(?:\s*,\s*(?!input|output|inout)[A-Za-z_]\w*)*))");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), declaration);
       it != std::sregex_iterator(); ++it) {
    std::stringstream names((*it)[3].str());
    std::string name;
    while (std::getline(names, name, ',')) {
      name.erase(0, name.find_first_not_of(" \t\r\n"));
      name.erase(name.find_last_not_of(" \t\r\n") + 1);
      if (!name.empty()) result.ports[name] = {(*it)[1].str(), (*it)[2].str()};
    }
  }
  // Parameters: after each `parameter`, the names assigned up to the `;` (a body declaration)
  // or the `)` that closes a `#(` list; a comma inside (), [] or {} belongs to a value.
  static const std::regex keyword(R"(\bparameter\b)");
  static const std::regex assigned(R"(([A-Za-z_]\w*)\s*=)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), keyword);
       it != std::sregex_iterator(); ++it) {
    int depth = 0;
    std::size_t item = static_cast<std::size_t>(it->position(0) + it->length(0));
    for (std::size_t i = item; i <= body.size(); ++i) {
      const char c = i < body.size() ? body[i] : ';';
      if (c == '(' || c == '[' || c == '{') ++depth;
      const bool closes = (c == ')' || c == ']' || c == '}') && depth-- == 0;
      if ((depth == 0 && c == ',') || c == ';' || closes) {
        const std::string text = body.substr(item, i - item);
        std::smatch name;
        if (std::regex_search(text, name, assigned) &&
            std::find(result.parameters.begin(), result.parameters.end(), name[1].str()) ==
                result.parameters.end()) {
          result.parameters.push_back(name[1].str());
        }
        item = i + 1;
        if (c != ',') break;
      }
    }
  }
  return result;
}

CoreProfile guess_ports(const std::vector<std::string>& sources, const CoreProfile& start,
                        std::vector<std::string>& evidence) {
  CoreProfile profile = start;
  TopPorts declared = top_ports(sources, profile.top);
  std::map<std::string, PortDeclaration>& ports = declared.ports;
  const std::string& file = declared.file;
  std::vector<std::string> found;
  std::set<std::string> taken;
  // A role's port: the first of the usual names the top has; else the one port left whose
  // declaration fits the role (`shape`: its direction and range, the range's text in lower
  // case), when exactly one does.
  const auto pick = [&](std::string& field, const char* role,
                        std::initializer_list<const char*> candidates, bool optional,
                        const std::function<bool(const PortDeclaration&, const std::string&)>&
                            shape,
                        const char* shape_text) {
    for (const char* candidate : candidates) {
      if (ports.count(candidate) > 0) {
        field = candidate;
        taken.insert(candidate);
        found.push_back(fmt::format("{} {}{}", role, candidate, ports[candidate].range));
        return;
      }
    }
    std::vector<std::string> fitting;
    for (const auto& [name, port] : ports) {
      std::string range = port.range;
      std::transform(range.begin(), range.end(), range.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (taken.count(name) == 0 && shape && shape(port, range)) fitting.push_back(name);
    }
    if (fitting.size() == 1) {
      field = fitting.front();
      taken.insert(field);
      found.push_back(fmt::format("{} {}{} (not a usual name: the one {})", role, field,
                                  ports[field].range, shape_text));
    } else if (optional) {
      field.clear();
      found.push_back(fmt::format("no {} port", role));
    } else {
      found.push_back(fmt::format("{}: none of the usual names, keeping '{}'", role, field));
    }
  };
  const auto mentions = [](const std::string& range, std::initializer_list<const char*> words) {
    for (const char* word : words) {
      if (range.find(word) == std::string::npos) return false;
    }
    return true;
  };
  pick(profile.clk, "clk", {"clk", "clock", "CLK"}, false, nullptr, "");
  pick(profile.reset, "reset", {"reset", "rst", "RST", "RESET"}, false, nullptr, "");
  pick(profile.inst, "inst", {"inst", "inst_q", "instruction", "INST"}, false,
       [](const PortDeclaration& port, const std::string& range) {
         std::smatch bits;
         return port.direction == "input" &&
                std::regex_match(range, bits, std::regex(R"(\[\s*(\d+)\s*:\s*0\s*\])")) &&
                std::stoi(bits[1].str()) >= 33 && std::stoi(bits[1].str()) <= 63;
       },
       "input of 34 to 64 bits");
  pick(profile.d_xmem, "d_xmem", {"D_xmem", "D", "d_xmem", "D_in", "data_in"}, false,
       [&mentions](const PortDeclaration& port, const std::string& range) {
         return port.direction == "input" && mentions(range, {"row", "bw"});
       },
       "input declared row * bw wide");
  pick(profile.ofifo_valid, "ofifo_valid", {"ofifo_valid", "o_valid", "valid"}, true, nullptr,
       "");
  pick(profile.sfp_out, "sfp_out", {"sfp_out", "sfu_out", "sfp_output", "out"}, false,
       [&mentions](const PortDeclaration& port, const std::string& range) {
         return port.direction == "output" && mentions(range, {"col", "psum"});
       },
       "output declared col * psum_bw wide");
  const auto inst_port = ports.find(profile.inst);
  if (inst_port != ports.end()) {
    std::smatch range;
    const std::string text = inst_port->second.range;
    if (std::regex_match(text, range, std::regex(R"(\[\s*(\d+)\s*:\s*0\s*\])"))) {
      profile.inst_width = std::stoi(range[1].str()) + 1;
    }
  }
  std::string list;
  for (const std::string& item : found) list += (list.empty() ? "" : ", ") + item;
  evidence.push_back(fmt::format("ports of module {} ({}): {}; inst_width {}", profile.top, file,
                                 list, profile.inst_width));
  if (profile.inst_width > 34 && profile.relu == CoreProfile::Relu::Always) {
    evidence.push_back(fmt::format("inst has {} bits: bit 34 is tried as the relu control",
                                   profile.inst_width));
  }
  return profile;
}

namespace {

// Reset, a kernel load and one execute, then the cycle ofifo_valid rises (when the core
// drives it): the psum latency the contract puts at row + col.
std::string measure_latency(const RunOptions& base, int& latency) {
  const golden::ArrayShape array = array_for(base);
  DriverOptions driver_options;
  std::unique_ptr<CoreDriver> core = make_core_driver(array, driver_options);
  const auto step = [&core](const Instruction& instruction, const XmemWord& word = {}) {
    BusCycle bus;
    bus.inst = instruction.bits();
    bus.d_xmem = word;
    core->step(bus);
  };
  core->reset(2);
  step(Instruction{});
  XmemWord ones{};
  for (int r = 0; r < array.row; ++r) put_lane(ones.data(), r, array.bw, 1);
  for (int c = 0; c < array.col; ++c) step(Instruction{}.xmem_write(1024 + c), ones);
  step(Instruction{}.xmem_write(0), ones);
  for (int t = 0; t <= array.col; ++t) {
    Instruction instruction;
    if (t < array.col) instruction.xmem_read(1024 + t);
    if (t > 0) instruction.set(inst::kL0Wr);
    step(instruction);
  }
  for (int t = 0; t < array.col; ++t) step(Instruction{}.set(inst::kL0Rd).set(inst::kLoad));
  for (int t = 0; t < array.row + array.col; ++t) step(Instruction{});
  step(Instruction{}.xmem_read(0));
  step(Instruction{}.set(inst::kL0Wr));
  const bool valid_before = core->ofifo_valid_port();
  const std::uint64_t execute = core->cycle();
  step(Instruction{}.set(inst::kL0Rd).set(inst::kExecute));
  for (int t = 0; t < 4 * (array.row + array.col) + 20; ++t) {
    if (core->ofifo_valid_port()) {
      latency = static_cast<int>(core->cycle() - 1 - execute);
      return fmt::format("first psum: ofifo_valid rises after edge {} for an execute at cycle "
                         "{}: latency {} (contract: row + col = {}){}",
                         core->cycle() - 1, execute, latency, array.row + array.col,
                         valid_before ? "; but ofifo_valid was already high before it" : "");
    }
    step(Instruction{});
  }
  latency = 0;
  return fmt::format("first psum: ofifo_valid never rose within {} cycles of an execute (port "
                     "not driven, or not this core's valid); the contract's row + col = {} "
                     "cycles are used",
                     4 * (array.row + array.col) + 20, array.row + array.col);
}

}  // namespace

ProbeResult probe_core(const RunOptions& base) {
  ProbeResult result;
  int latency = 0;
  if (!base.profile.ofifo_valid.empty()) {
    result.evidence.push_back(measure_latency(base, latency));
  } else {
    result.evidence.push_back("first psum: the core has no ofifo_valid port; the contract's "
                              "row + col cycles are used");
  }
  const golden::ArrayShape array = array_for(base);
  std::vector<int> latencies{0};
  if (latency > array.row + array.col) latencies.insert(latencies.begin(), latency);

  std::vector<std::string> relus{"always", "never"};
  if (base.profile.inst_width > 34) relus.insert(relus.begin(), "bit 34");
  std::string first_failure;
  for (int psum_latency : latencies) {
    for (const char* sram : {"registered_address", "combinational"}) {
      for (const char* pop : {"course", "same_cycle"}) {
        for (const std::string& relu : relus) {
          RunOptions options = base;
          options.course_flow = true;
          options.course_psum_check = CoursePsumCheck::Sfp;
          options.trace = TraceOptions{};
          options.gtkw.clear();
          options.stop_on_first = false;
          CoreProfile& profile = options.profile;
          set_profile_field(profile, "sram_read", sram, "probe");
          set_profile_field(profile, "ofifo_pop", pop, "probe");
          set_profile_field(profile, "relu", relu, "probe");
          profile.psum_latency = psum_latency;
          const RunSummary summary = run_cosim(options);
          const std::string tried = fmt::format("sram_read {}, ofifo_pop {}, relu {}{}", sram,
                                                pop, relu,
                                                psum_latency > 0
                                                    ? fmt::format(", psum_latency {}", psum_latency)
                                                    : std::string());
          if (summary.pass) {
            result.fits = true;
            result.profile = profile;
            result.evidence.push_back(fmt::format(
                "{}: PASS on {} ({} psums through the SFP, {} outputs, {} cycles)", tried,
                summary.layer_name, summary.psums, summary.outputs, summary.cycles));
            if (std::string(pop) == "course") {
              result.evidence.push_back("OFIFO pop: the word ofifo_rd at t asks for is written "
                                        "at t+1 (registered read enable, the course's)");
            } else {
              result.evidence.push_back("OFIFO pop: the core pops at the edge of ofifo_rd "
                                        "itself (one cycle early against the course)");
            }
            result.evidence.push_back(fmt::format(
                "SRAM read: {}",
                std::string(sram) == "combinational"
                    ? "Q follows the address in the same cycle (l0_wr and acc run with the read)"
                    : "Q shows the word after the read's edge (registered address, the course's)"));
            result.evidence.push_back(fmt::format(
                "sfp_out: {}", relu == "always" ? "ReLU'd (negative sums read as 0)"
                               : relu == "never" ? "raw sums (negative values seen)"
                                                 : "ReLU when bit 34 is 1, raw sums when 0"));
            return result;
          }
          const std::string why = summary.failure.size() > 400
                                      ? summary.failure.substr(0, 400) + "..."
                                      : summary.failure;
          result.evidence.push_back(fmt::format("{}: FAIL: {}", tried, why));
          if (first_failure.empty()) first_failure = summary.failure;
        }
      }
    }
  }
  result.profile = base.profile;
  const std::size_t cause = first_failure.find("contract item");
  result.broken = cause != std::string::npos ? first_failure.substr(cause) : first_failure;
  return result;
}

}  // namespace tb
