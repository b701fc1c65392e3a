// Bring your own core: collecting a user's Verilog, the generated wrapper, and the cached Verilator build of a program that drives it.
#pragma once

#include <string>
#include <vector>

#include "golden/catalog.hpp"
#include "tb/core_profile.hpp"

namespace tb {

// The Verilog files of a user core and the folders its `include`s are looked up in.
struct UserSources {
  std::vector<std::string> files;         // absolute paths
  std::vector<std::string> include_dirs;  // DIR, each file's folder, a filelist's +incdir+
  std::vector<std::string> defines;       // a filelist's +define+: NAME or NAME=VALUE
};

// `filelist` when given, else DIR/filelist (or DIR/filelist.txt) when present: one file per
// line, relative to the filelist's folder, `#` and `//` comments, `+incdir+PATH` and
// `+define+NAME[=VALUE]` lines; a name whose case differs from the file on disk is matched
// case-insensitively. Else every .v/.sv in DIR except testbenches: by name (*_tb.*, tb_*.*,
// *testbench*) or by content (no module of the file has ports); when DIR has none, the one
// file below it that declares module `top`. Then, while those files instantiate a module none
// of them declares, the file below DIR's subfolders that declares it (of several, the one whose
// folder is nearest the instantiating file's). Notes say what was skipped, matched by case or
// taken from a subfolder. Throws golden::InputError (a file DIR/filelist names is missing, no
// Verilog at all, several tops, a module found in several files equally near).
UserSources collect_user_files(const std::string& dir, std::vector<std::string>& notes,
                               const std::string& top = "core",
                               const std::string& filelist = "");
// The files alone.
std::vector<std::string> collect_user_sources(const std::string& dir,
                                              std::vector<std::string>& notes,
                                              const std::string& top = "core",
                                              const std::string& filelist = "");

// The profile of a run: `profile_file` when given, else DIR/core.json, else the course's with
// the port names and instruction width read from the top's text (guess_ports; `notes` gets
// what was found); then each "field=value" override from the command line. Throws
// golden::InputError, or UsageError when the text has no module of the profile's top.
CoreProfile resolve_profile(const std::string& dir, const std::string& profile_file,
                            const std::vector<std::pair<std::string, std::string>>& overrides,
                            std::vector<std::string>* notes = nullptr,
                            const std::string& filelist = "");

// A port of the user's top that no profile field maps (not in the course contract, e.g. a
// separate weight input): the wrapper connects it explicitly.
struct UnmappedPort {
  std::string name;
  std::string direction;  // "input", "output", "inout", or "" when the text does not say
};

// How the wrapper instantiates the user's top beyond the profile's port names.
struct TopConnection {
  // The top's own names of the shape parameters (matched ignoring case: ROW for row); ""
  // where it declares none, which is then not passed (its ports must fit the shape as they are).
  std::string row = "row";
  std::string col = "col";
  std::string bw = "bw";
  std::string psum_bw = "psum_bw";
  std::vector<UnmappedPort> unmapped;
};

// The top's names of row, col, bw and psum_bw among the parameters it declares (the same name
// ignoring case), "" for one it lacks.
TopConnection shape_parameters(const std::vector<std::string>& declared);

// The wrapper module cosim_user_top: our standard ports around the user's top, the shape
// parameters passed explicitly (some cores declare other defaults), pmem probe ports when the
// profile names pmem's memory. Each unmapped input is driven with 0 (left open, Verilator would
// give it random bits under --x-initial unique); unmapped outputs and ports of unknown
// direction are left open.
std::string user_wrapper_verilog(const CoreProfile& profile, const golden::ArrayShape& array,
                                 const TopConnection& connection = {});

// The model class of a user core's program (verilator --prefix); that program's registry holds
// this one model, which is how cosim's command line knows it drives a user core.
inline constexpr const char* kUserCoreClass = "Vuser_core";
bool is_user_core_program();

struct UserBuildRequest {
  std::string rtl_dir;
  std::string filelist;  // --filelist: the files to build ("": DIR/filelist or the folder's)
  CoreProfile profile;
  golden::ArrayShape array;
  bool strict_lint = false;
  int opt_level = 2;       // compiler -O of the model's per-cycle code (0..2)
  bool traced = true;      // Verilated with --trace (waveform code)
  std::string build_root;  // build/user-cores
  bool quiet = false;      // no progress lines
};

struct UserBuild {
  std::string program;  // the built program (runs like cosim, on the user's core)
  std::string folder;   // build/user-cores/<hash>
  bool rebuilt = false;
  double seconds = 0;
  int warning_count = 0;                // verilator -Wall lint warnings of the user's files
  std::vector<std::string> warnings;    // the first few, one line each
  // Ports of the user's top the wrapper does not connect (Verilator's PINMISSING on it).
  std::vector<std::string> missing_pins;
  // Ports of the user's top whose width differs from the wrapper's signal (Verilator's WIDTH
  // on the wrapper's connections): the port, its bits in the top, the wrapper's bits.
  struct WidthMismatch {
    std::string port;
    int top_bits = 0;
    int wrapper_bits = 0;
  };
  std::vector<WidthMismatch> width_mismatches;
  // Modules declared twice (Verilator's MODDUP, a warning it builds past with the first one):
  // the module, where the other declaration is, where the one Verilator keeps is.
  struct DuplicateModule {
    std::string name;
    std::string again;     // file:line
    std::string original;  // file:line
  };
  std::vector<DuplicateModule> duplicate_modules;
  // Verilator's --default-language for the build: "" (SystemVerilog), or "1364-2005" for a
  // core without .sv files that parses only as Verilog-2005 (settled by the lint).
  std::string language;
};

// Builds (or finds already built) the program for this core, profile and shape. Prints
// progress unless quiet. Throws UsageError with a one-line explanation when Verilator cannot
// take the design.
UserBuild build_user_core(const UserBuildRequest& request);

}  // namespace tb
