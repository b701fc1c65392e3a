// cosim probe-core: which profile fits a user's course core, with the evidence, found by driving small known stimuli.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tb/core_profile.hpp"
#include "tb/cosim.hpp"

namespace tb {

// Verilog text with its comments removed (each a space, its line breaks kept; strings stay).
std::string verilog_without_comments(const std::string& text);

// A module (or macromodule) a Verilog text declares: its name, whether it has ports (`module
// core_tb;` and `module core_tb();` have none: a testbench), its line and where it starts.
struct ModuleDeclaration {
  std::string name;
  bool has_ports = true;
  int line = 0;
  std::size_t offset = 0;  // of its `module` keyword in the text
};
std::vector<ModuleDeclaration> declared_modules(const std::string& code_without_comments);

// The names the text uses as a module of an instance (a superset: a name followed by #( or
// by another name and ( or [), one pass over the text.
std::set<std::string> instance_names(const std::string& code_without_comments);

// A port as the top module's text declares it.
struct PortDeclaration {
  std::string direction;  // "input", "output" or "inout"
  std::string range;      // "[33:0]" or empty
};

// The input/output declarations of module `top` (ANSI or in its body) and the names of its
// parameters (a `#(` list or `parameter` in the body; not localparams), in the first of the
// files that has it, read from the text with the comments removed. Throws UsageError when no
// file has the module.
struct TopPorts {
  std::string file;  // its name, without the folder
  std::map<std::string, PortDeclaration> ports;
  std::vector<std::string> parameters;  // in the order declared
};
TopPorts top_ports(const std::vector<std::string>& sources, const std::string& top);

// Ports and instruction width read from the top module's Verilog text: the names real team
// cores use (D_xmem/D/d_xmem, sfp_out/sfu_out, ...). `evidence` says what was found where.
CoreProfile guess_ports(const std::vector<std::string>& sources, const CoreProfile& start,
                        std::vector<std::string>& evidence);

struct ProbeResult {
  bool fits = false;
  CoreProfile profile;                 // the first profile that passes (or the course's)
  std::vector<std::string> evidence;   // one line each
  std::string broken;                  // when nothing fits: the first contract item broken
};

// Runs the probes on the core this program was built with. `base` carries the ports and
// widths (options.profile) and the layer to try (generated layer 27 by default).
ProbeResult probe_core(const RunOptions& base);

}  // namespace tb
