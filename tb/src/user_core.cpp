// Bring your own core: the user's files, the generated wrapper and registry, the Verilator build cached by content hash.
#include "tb/user_core.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <unistd.h>

#include <fmt/format.h>

#include "content_hash.hpp"
#include "golden/error.hpp"
#include "tb/core_driver.hpp"
#include "tb/core_probe.hpp"
#include "tb/errors.hpp"

#if !defined(COSIM_SOURCE_DIR) || !defined(COSIM_CCACHE_ENV)
#error "COSIM_SOURCE_DIR and COSIM_CCACHE_ENV must be set (tb/CMakeLists.txt sets them)"
#endif

namespace tb {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw golden::InputError(path.string(), "cannot read the file");
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

void write_if_changed(const fs::path& path, const std::string& text) {
  if (fs::exists(path) && read_file(path) == text) return;
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  if (!(stream << text)) throw UsageError(fmt::format("{}: cannot write", path.string()));
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// Runs a shell command, returns its exit status and its output (stdout and stderr).
int run_command(const std::string& command, std::string& output) {
  std::FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw UsageError(fmt::format("cannot run: {}", command));
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, read);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

bool is_testbench_name(const std::string& name) {
  const std::string stem = lower(fs::path(name).stem().string());
  return stem.size() > 3 && (stem.rfind("tb_", 0) == 0 || stem.substr(stem.size() - 3) == "_tb" ||
                             stem.find("testbench") != std::string::npos);
}

// One line on what a Verilator error means for a course core, when we know it.
std::string explain(const std::string& error, const CoreProfile& profile) {
  if (error.find("NEEDTIMINGOPT") != std::string::npos ||
      error.find("TIMING") != std::string::npos) {
    return "the design has # delays or timing controls; RTL for a cycle simulator must not "
           "wait (remove the delay from the core's files)";
  }
  if (error.find("Pin not found") != std::string::npos) {
    return fmt::format("a port the profile names is not a port of module {} (check the "
                       "profile's port names: clk, reset, inst, d_xmem, ofifo_valid, sfp_out)",
                       profile.top);
  }
  if (error.find("Parameter pin not found") != std::string::npos ||
      error.find("Parameter not found") != std::string::npos) {
    return fmt::format("a parameter of module {} that cosim passes (row, col, bw, psum_bw, "
                       "by the name it declares) is not found: declare it as a `parameter`",
                       profile.top);
  }
  if (error.find("Cannot find file containing module") != std::string::npos ||
      error.find("Cannot find module") != std::string::npos) {
    return "a module is instantiated whose file is not in the folder or the filelist";
  }
  if (error.find("Can't find definition") != std::string::npos && !profile.pmem_path.empty() &&
      error.find("cosim_user_top") != std::string::npos) {
    return fmt::format("pmem_path '{}' does not name a memory below {} (instance.array, e.g. "
                       "pmem.memory)",
                       profile.pmem_path, profile.top);
  }
  if (error.find("ASSIGNIN") != std::string::npos) {
    return "a port declared `input` is assigned inside its module (Icarus lets it pass, "
           "Verilator does not): declare it `output`, or drive it only from outside";
  }
  if (error.find("Unknown verilator comment") != std::string::npos) {
    return "a comment whose first word is `verilator` is an instruction to Verilator (a "
           "metacomment); reword that comment";
  }
  if (error.find("Unsupported") != std::string::npos) {
    return "Verilator does not support this construct; rewrite it in synthesizable Verilog";
  }
  if (error.find("Duplicate declaration") != std::string::npos ||
      error.find("MODDUP") != std::string::npos) {
    return "a module is defined twice (two files with the same module, e.g. a backup copy)";
  }
  if (error.find("syntax error") != std::string::npos ||
      error.find("SystemVerilog keyword") != std::string::npos) {
    return "a syntax error (Verilator reads .v files as SystemVerilog; a core without .sv "
           "files that does not parse so is also tried as Verilog-2005)";
  }
  return "";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

namespace {

bool is_verilog_file(const fs::directory_entry& entry) {
  const std::string extension = lower(entry.path().extension().string());
  return entry.is_regular_file() && (extension == ".v" || extension == ".sv");
}

// A file of the user's: its path, the modules it declares and the module names its instances
// use (read from the text without comments).
struct VerilogFile {
  fs::path path;
  std::vector<ModuleDeclaration> modules;
  std::set<std::string> instances;
};

VerilogFile read_verilog(const fs::path& path) {
  const std::string code = verilog_without_comments(read_file(path));
  return {path, declared_modules(code), instance_names(code)};
}

using Declarers = std::map<std::string, std::vector<std::size_t>>;  // module -> library files

// Library files as a list: "a/x.v, b/x.v", relative to `folder`.
std::string listed(const std::vector<VerilogFile>& library, const std::vector<std::size_t>& files,
                   const fs::path& folder) {
  std::vector<std::string> names;
  for (std::size_t index : files) {
    names.push_back(library[index].path.lexically_relative(folder).string());
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

// A testbench by its content: modules, none of them with ports.
bool portless_only(const VerilogFile& file) {
  return !file.modules.empty() &&
         std::none_of(file.modules.begin(), file.modules.end(),
                      [](const ModuleDeclaration& module) { return module.has_ports; });
}

std::string relative_to(const fs::path& path, const fs::path& folder) {
  return path.lexically_relative(folder).string();
}

// The .v/.sv files below DIR's subfolders (not DIR itself; hidden folders skipped), testbenches
// left out, at most `limit` of them.
std::vector<VerilogFile> subfolder_files(const fs::path& folder, std::size_t limit) {
  std::vector<VerilogFile> files;
  std::error_code error;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied,
                                      error);
  std::size_t visited = 0;  // a folder with a whole disk below it ends the walk early
  for (; !error && it != fs::recursive_directory_iterator() && files.size() < limit &&
         ++visited < 50 * limit;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (it.depth() == 0 || !is_verilog_file(*it) || is_testbench_name(name)) continue;
    VerilogFile file = read_verilog(it->path());
    if (!portless_only(file)) files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const VerilogFile& a, const VerilogFile& b) { return a.path < b.path; });
  return files;
}

// How many leading folders two folders share.
std::size_t shared_folders(const fs::path& a, const fs::path& b) {
  std::size_t count = 0;
  for (auto x = a.begin(), y = b.begin(); x != a.end() && y != b.end() && *x == *y; ++x, ++y) {
    ++count;
  }
  return count;
}

// Modules the files instantiate and none of them declares, each taken from the library file
// (below DIR's subfolders) that declares it; of several, the one whose folder is nearest the
// instantiating file's (most leading folders shared), and when that is not one file, an error
// naming them. Repeated until nothing more is missing; one note lists what was taken.
void add_from_subfolders(const fs::path& folder, const std::vector<VerilogFile>& library,
                         std::vector<VerilogFile>& files, std::vector<std::string>& notes) {
  if (library.empty()) return;
  std::set<std::string> declared;
  std::set<fs::path> present;
  for (const VerilogFile& file : files) {
    present.insert(file.path);
    for (const ModuleDeclaration& module : file.modules) declared.insert(module.name);
  }
  Declarers declarers;
  for (std::size_t i = 0; i < library.size(); ++i) {
    if (present.count(library[i].path) != 0) continue;
    for (const ModuleDeclaration& module : library[i].modules) {
      std::vector<std::size_t>& list = declarers[module.name];
      if (list.empty() || list.back() != i) list.push_back(i);
    }
  }
  std::string taken;  // "sub/x.v (x for y.v), ..."
  int taken_count = 0;
  // Each file once, in order, the files it brings joining the end of the list.
  for (std::size_t next = 0; next < files.size(); ++next) {
    const std::set<std::string> instances = files[next].instances;  // files grows below
    for (const std::string& name : instances) {
      const auto candidates = declarers.find(name);
      if (candidates == declarers.end() || declared.count(name) != 0) continue;
      const VerilogFile& user = files[next];
      std::vector<std::size_t> nearest;
      std::size_t best = 0;
      for (std::size_t index : candidates->second) {
        const std::size_t shared =
            shared_folders(library[index].path.parent_path(), user.path.parent_path());
        if (nearest.empty() || shared > best) {
          nearest = {index};
          best = shared;
        } else if (shared == best) {
          nearest.push_back(index);
        }
      }
      if (nearest.size() > 1) {
        throw golden::InputError(
            folder.string(),
            fmt::format("--rtl: {} instantiates module {}, which none of the files taken so far "
                        "declares, and {} files below {} do, none nearer to it than the "
                        "others: {}; list the files to build in {}/filelist",
                        relative_to(user.path, folder), name, nearest.size(), folder.string(),
                        listed(library, nearest, folder), folder.string()));
      }
      const std::size_t index = nearest.front();
      taken += fmt::format("{}{} ({} for {})", taken.empty() ? "" : ", ",
                           relative_to(library[index].path, folder), name,
                           user.path.filename().string());
      ++taken_count;
      for (const ModuleDeclaration& module : library[index].modules) declared.insert(module.name);
      files.push_back(library[index]);  // `user` is not used after this
    }
  }
  if (taken_count > 0) {
    notes.push_back(fmt::format("took {} file{} from subfolders of {}, each the one that "
                                "declares a module the others instantiate and none of them "
                                "declares (module for file): {}",
                                taken_count, taken_count == 1 ? "" : "s", folder.string(),
                                taken));
  }
}

}  // namespace

UserSources collect_user_files(const std::string& dir, std::vector<std::string>& notes,
                               const std::string& top, const std::string& filelist_file) {
  const fs::path folder(dir);
  if (!fs::is_directory(folder)) {
    throw golden::InputError(dir, "--rtl: not a folder of Verilog files");
  }
  UserSources result;
  std::vector<std::string>& sources = result.files;
  const auto add_include = [&](const fs::path& include) {
    const std::string path = fs::absolute(include).lexically_normal().string();
    if (std::find(result.include_dirs.begin(), result.include_dirs.end(), path) ==
        result.include_dirs.end()) {
      result.include_dirs.push_back(path);
    }
  };
  add_include(folder);
  fs::path filelist = filelist_file.empty() ? folder / "filelist" : fs::path(filelist_file);
  if (!filelist_file.empty() && !fs::is_regular_file(filelist)) {
    throw golden::InputError(filelist_file, "--filelist: no such file");
  }
  if (filelist_file.empty() && !fs::exists(filelist) && fs::exists(folder / "filelist.txt")) {
    filelist = folder / "filelist.txt";
    notes.push_back(fmt::format("the files to build are those {} lists", filelist.string()));
  }
  // A filelist's names are relative to its own folder (DIR for DIR/filelist).
  const fs::path listed_from = fs::absolute(filelist).parent_path();
  if (fs::exists(filelist)) {
    int number = 0;
    for (std::string line : lines_of(read_file(filelist))) {
      ++number;
      line.erase(0, line.find_first_not_of(" \t\r"));
      const std::size_t end = line.find_last_not_of(" \t\r");
      line = end == std::string::npos ? "" : line.substr(0, end + 1);
      if (line.empty() || line[0] == '#' || line.rfind("//", 0) == 0) continue;
      static const std::string kIncdir = "+incdir+";
      if (line.rfind(kIncdir, 0) == 0) {
        std::stringstream dirs(line.substr(kIncdir.size()));
        for (std::string include; std::getline(dirs, include, '+');) {
          if (include.empty()) continue;
          const fs::path path = fs::path(include).is_absolute() ? fs::path(include)
                                                                : listed_from / include;
          if (!fs::is_directory(path)) {
            throw golden::InputError(filelist.string(), number,
                                     fmt::format("+incdir+: '{}' is not a folder", include));
          }
          add_include(path);
        }
        continue;
      }
      static const std::string kDefine = "+define+";
      if (line.rfind(kDefine, 0) == 0) {
        std::stringstream items(line.substr(kDefine.size()));
        for (std::string define; std::getline(items, define, '+');) {
          if (define.empty()) continue;
          const std::string name = define.substr(0, define.find('='));
          if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) != 0 ||
                                name[0] == '_') ||
              !std::all_of(name.begin(), name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
              })) {
            throw golden::InputError(filelist.string(), number,
                                     fmt::format("+define+: '{}' is not NAME or NAME=VALUE",
                                                 define));
          }
          result.defines.push_back(define);
        }
        continue;
      }
      if (line[0] == '+' || line[0] == '-') {
        throw golden::InputError(filelist.string(), number,
                                 fmt::format("'{}': only file names, +incdir+FOLDER and "
                                             "+define+NAME[=VALUE] are supported here",
                                             line));
      }
      fs::path path = fs::path(line).is_absolute() ? fs::path(line) : listed_from / line;
      if (!fs::exists(path)) {
        // Course repositories are often written on case-insensitive file systems.
        const fs::path parent = path.parent_path();
        const std::string wanted = lower(path.filename().string());
        fs::path found;
        if (fs::is_directory(parent)) {
          for (const fs::directory_entry& entry : fs::directory_iterator(parent)) {
            if (lower(entry.path().filename().string()) == wanted) found = entry.path();
          }
        }
        if (found.empty()) {
          throw golden::InputError(filelist.string(), number,
                                   fmt::format("'{}': no such file", line));
        }
        notes.push_back(fmt::format("filelist line {}: '{}' matched {} (different case)", number,
                                    line, found.filename().string()));
        path = found;
      }
      const std::string absolute = fs::absolute(path).lexically_normal().string();
      if (std::find(sources.begin(), sources.end(), absolute) != sources.end()) {
        notes.push_back(fmt::format("filelist line {}: '{}' is listed again; built once",
                                    number, line));
        continue;
      }
      sources.push_back(absolute);
    }
  } else {
    std::vector<VerilogFile> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
      if (!is_verilog_file(entry)) continue;
      const std::string name = entry.path().filename().string();
      if (is_testbench_name(name)) {
        notes.push_back(fmt::format("skipped {} (a testbench by its name; list files in "
                                    "{}/filelist to choose)",
                                    name, dir));
        continue;
      }
      VerilogFile file = read_verilog(entry.path());
      if (portless_only(file)) {
        notes.push_back(fmt::format("skipped {} (a testbench: no module in it has ports; list "
                                    "files in {}/filelist to choose)",
                                    name, dir));
        continue;
      }
      files.push_back(std::move(file));
    }
    std::sort(files.begin(), files.end(),
              [](const VerilogFile& a, const VerilogFile& b) { return a.path < b.path; });
    // The subfolders are read only when DIR's own files leave something to find there.
    const auto leaves_a_module_out = [&] {
      std::set<std::string> declared;
      for (const VerilogFile& file : files) {
        for (const ModuleDeclaration& module : file.modules) declared.insert(module.name);
      }
      return std::any_of(files.begin(), files.end(), [&](const VerilogFile& file) {
        return std::any_of(file.instances.begin(), file.instances.end(),
                           [&](const std::string& name) { return declared.count(name) == 0; });
      });
    };
    const std::vector<VerilogFile> library =
        files.empty() || leaves_a_module_out() ? subfolder_files(folder, 4000)
                                               : std::vector<VerilogFile>();
    if (files.empty()) {
      // A repository's folder: the one file below that declares the top starts the build.
      std::vector<std::size_t> tops;
      for (std::size_t i = 0; i < library.size(); ++i) {
        const auto& modules = library[i].modules;
        if (std::any_of(modules.begin(), modules.end(), [&](const ModuleDeclaration& module) {
              return module.name == top && module.has_ports;
            })) {
          tops.push_back(i);
        }
      }
      if (tops.size() == 1) {
        files.push_back(library[tops.front()]);
        notes.push_back(fmt::format("{} has no .v or .sv files of its own: the top `{}` is "
                                    "taken from {}, the only file below it that declares it",
                                    dir, top, relative_to(library[tops.front()].path, folder)));
      } else if (tops.size() > 1) {
        throw golden::InputError(
            dir, fmt::format("--rtl: no .v or .sv files in the folder itself, and {} files "
                             "below it declare the top `{}`: {}; point --rtl at the folder of "
                             "the one to run, or list its files in {}/filelist",
                             tops.size(), top, listed(library, tops, folder), dir));
      } else {
        std::map<std::string, int> counts;
        for (const VerilogFile& file : library) {
          ++counts[relative_to(file.path.parent_path(), folder)];
        }
        std::string where;
        for (const auto& [sub, count] : counts) {
          if (where.size() > 300) {
            where += ", ...";
            break;
          }
          where += fmt::format("{}{} ({} file{})", where.empty() ? "" : ", ", sub, count,
                               count == 1 ? "" : "s");
        }
        throw golden::InputError(
            dir, where.empty()
                     ? std::string("--rtl: no .v or .sv files (and no filelist)")
                     : fmt::format("--rtl: no .v or .sv files in the folder itself (and no "
                                   "filelist), and none below it declares the top `{}`; its "
                                   "subfolders have: {}: point --rtl at the folder of your "
                                   "core (--top NAME for another top), or list its files in "
                                   "{}/filelist",
                                   top, where, dir));
      }
    }
    add_from_subfolders(folder, library, files, notes);
    for (const VerilogFile& file : files) {
      sources.push_back(fs::absolute(file.path).lexically_normal().string());
    }
  }
  if (sources.empty()) {
    throw golden::InputError(filelist.string(), "--rtl: the filelist names no file");
  }
  for (const std::string& source : sources) add_include(fs::path(source).parent_path());
  return result;
}

std::vector<std::string> collect_user_sources(const std::string& dir,
                                              std::vector<std::string>& notes,
                                              const std::string& top,
                                              const std::string& filelist) {
  return collect_user_files(dir, notes, top, filelist).files;
}

CoreProfile resolve_profile(const std::string& dir, const std::string& profile_file,
                            const std::vector<std::pair<std::string, std::string>>& overrides,
                            std::vector<std::string>* notes, const std::string& filelist) {
  CoreProfile profile;
  const auto apply_overrides = [&] {
    for (const auto& [field, value] : overrides) {
      std::string flag = field;
      std::replace(flag.begin(), flag.end(), '_', '-');
      set_profile_field(profile, field, value, "--" + flag);
    }
  };
  if (!profile_file.empty()) {
    profile = load_core_profile(profile_file);
  } else if (!dir.empty() && fs::exists(fs::path(dir) / "core.json")) {
    profile = load_core_profile((fs::path(dir) / "core.json").string());
  } else if (!dir.empty()) {
    // No profile: the port names and instruction width from the text of the top (the
    // command line's --top, if any), as probe-core starts; the course's behaviour for the rest.
    apply_overrides();
    std::vector<std::string> ignored;
    std::vector<std::string> evidence;
    profile = guess_ports(collect_user_sources(dir, ignored, profile.top, filelist), profile,
                          evidence);
    if (notes != nullptr) {
      notes->push_back(fmt::format(
          "no core.json in {}: {}; the rest of the profile is the course's (`cosim probe-core "
          "--rtl {}` checks it and writes core.json)",
          dir, evidence.front(), dir));
    }
  }
  apply_overrides();
  profile.check(overrides.empty() ? "the profile" : "the profile with the command line's fields");
  return profile;
}

TopConnection shape_parameters(const std::vector<std::string>& declared) {
  TopConnection connection;
  for (std::string* name : {&connection.row, &connection.col, &connection.bw,
                            &connection.psum_bw}) {
    const auto found = std::find_if(declared.begin(), declared.end(), [&](const std::string& d) {
      return d.size() == name->size() &&
             std::equal(d.begin(), d.end(), name->begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
             });
    });
    *name = found == declared.end() ? std::string() : *found;
  }
  return connection;
}

std::string user_wrapper_verilog(const CoreProfile& p, const golden::ArrayShape& array,
                                 const TopConnection& connection) {
  const bool probe = !p.pmem_path.empty();
  std::string text = fmt::format(
      "// Generated by cosim --rtl: our standard ports around the user's top module `{top}`.\n"
      "module cosim_user_top (\n"
      "    input  wire clk,\n"
      "    input  wire reset,\n"
      "    input  wire [{iw}:0] inst,\n"
      "    input  wire [{xw}:0] D_xmem,\n"
      "    output wire ofifo_valid,\n"
      "    output wire [{sw}:0] sfp_out{probe_ports}\n"
      ");\n",
      fmt::arg("top", p.top), fmt::arg("iw", p.inst_width - 1),
      fmt::arg("xw", array.row * array.bw - 1), fmt::arg("sw", array.col * array.psum_bw - 1),
      fmt::arg("probe_ports",
               probe ? fmt::format(",\n    input  wire [10:0] pmem_probe_address,\n"
                                   "    output wire [{}:0] pmem_probe_word",
                                   array.col * array.psum_bw - 1)
                     : std::string()));
  if (p.ofifo_valid.empty()) text += "  assign ofifo_valid = 1'b0;  // the core has no such port\n";
  std::string parameters;
  for (const auto& [name, value] : {std::pair{connection.row, array.row},
                                    std::pair{connection.col, array.col},
                                    std::pair{connection.bw, array.bw},
                                    std::pair{connection.psum_bw, array.psum_bw}}) {
    if (name.empty()) continue;
    parameters += fmt::format("{}      .{}({})", parameters.empty() ? "" : ",\n", name, value);
  }
  text += fmt::format(
      "  {top} {parameters}u_core (\n"
      "      .{clk}(clk),\n"
      "      .{reset}(reset),\n"
      "      .{inst}({inst_value}),\n"
      "      .{d_xmem}(D_xmem),\n"
      "{unmapped}"
      "{ofifo}"
      "      .{sfp_out}(sfp_out)\n"
      "  );\n",
      fmt::arg("top", p.top),
      fmt::arg("parameters", parameters.empty() ? "" : "#(\n" + parameters + "\n  ) "),
      fmt::arg("clk", p.clk),
      fmt::arg("reset", p.reset), fmt::arg("inst", p.inst),
      fmt::arg("inst_value", [&p] {
        // Bits the profile ties (field tie): ones ORed in, zeros masked out.
        std::string value = "inst";
        const unsigned long long ones = p.inst_tie_mask(1);
        const unsigned long long zeros = p.inst_tie_mask(0);
        if (ones != 0) value = fmt::format("({} | {}'h{:x})", value, p.inst_width, ones);
        if (zeros != 0) value = fmt::format("({} & ~{}'h{:x})", value, p.inst_width, zeros);
        return value;
      }()),
      fmt::arg("d_xmem", p.d_xmem),
      fmt::arg("ofifo", p.ofifo_valid.empty()
                            ? std::string()
                            : fmt::format("      .{}(ofifo_valid),\n", p.ofifo_valid)),
      fmt::arg("sfp_out", p.sfp_out), fmt::arg("unmapped", [&connection, &p] {
        std::string pins;
        for (const CoreProfile::Tie& tie : p.tie) {
          if (tie.bit >= 0) continue;
          pins += fmt::format("      .{}({}),  // profile field tie\n", tie.name,
                              tie.high >= 0 || tie.value < (1ULL << 31)
                                  ? tie.value_text()
                                  : fmt::format("64'd{}", tie.value));
        }
        for (const UnmappedPort& port : connection.unmapped) {
          pins += fmt::format("      .{}({}),  // not in the course contract\n", port.name,
                              port.direction == "input" ? "0" : "");
        }
        return pins;
      }()));
  if (probe) {
    text += fmt::format("  assign pmem_probe_word = u_core.{}[pmem_probe_address];\n",
                        p.pmem_path);
  }
  text += "endmodule\n";
  return text;
}

namespace {

std::string registry_source(const CoreProfile& profile, const golden::ArrayShape& array,
                            bool traced) {
  return fmt::format(
      "// Generated by cosim --rtl: the one core model of this program, the user's.\n"
      "#include <memory>\n#include <vector>\n\n"
      "#include \"{cls}.h\"\n#include \"user_core_driver.hpp\"\n\n"
      "namespace tb {{\n\n"
      "const std::vector<ModelVariant>& built_models() {{\n"
      "  static const std::vector<ModelVariant> models{{\n"
      "      {{golden::ArrayShape{{{row}, {col}, {bw}, {psum_bw}}}, TraceFormat::{format}, "
      "\"{cls}\", \"\",\n"
      "       [](const DriverOptions& options) -> std::unique_ptr<CoreDriver> {{\n"
      "         return std::make_unique<detail::UserCore<{cls}, {probe}{trace_class}>>(\n"
      "             golden::ArrayShape{{{row}, {col}, {bw}, {psum_bw}}}, options, {iw});\n"
      "       }}}}}};\n"
      "  return models;\n}}\n\n}}  // namespace tb\n",
      fmt::arg("row", array.row), fmt::arg("col", array.col), fmt::arg("bw", array.bw),
      fmt::arg("psum_bw", array.psum_bw), fmt::arg("iw", profile.inst_width),
      fmt::arg("probe", profile.pmem_path.empty() ? "false" : "true"),
      fmt::arg("format", traced ? "Vcd" : "None"),
      fmt::arg("trace_class", traced ? "" : ", verilator::NoTrace"),
      fmt::arg("cls", kUserCoreClass));
}

// The build's own Verilator (the one whose runtime the harness libraries were compiled with),
// its binary called directly: the `verilator` script on the PATH would add 0.13 s to each call
// and could be another installation.
std::string verilator_program() {
  return fmt::format("VERILATOR_ROOT={} {}", shell_quote(COSIM_VERILATOR_ROOT),
                     shell_quote(COSIM_VERILATOR_BIN));
}

// Lint warnings of the user's files alone (verilator --lint-only -Wall), for the report. It
// also settles the language: Verilator reads .v files as SystemVerilog, where Verilog-2005
// names such as `bit`, `do` or `final` are keywords; a core without .sv files that does not
// parse so is linted again as Verilog-2005, and when that parses, the build reads it so too
// (build.language).
void lint_user_files(const std::vector<std::string>& sources, const fs::path& wrapper,
                     const fs::path& folder, const std::string& source_flags,
                     UserBuild& build) {
  // The folder is keyed by the files' content, so its lint output stays valid; its first line
  // names the language when it is not Verilator's default.
  static const std::string kLanguageLine = "cosim: --default-language ";
  const fs::path saved = folder / "lint.log";
  std::string output;
  if (fs::exists(saved)) {
    output = read_file(saved);
  } else {
    const auto lint = [&](const std::string& language) {
      std::string command = verilator_program() +
                            " --lint-only -Wall -Wno-fatal --no-timing --top-module "
                            "cosim_user_top" + source_flags;
      if (!language.empty()) command += " --default-language " + language;
      command += " " + shell_quote(wrapper.string());
      for (const std::string& source : sources) command += " " + shell_quote(source);
      std::string text;
      run_command(command, text);
      return text;
    };
    const auto unparsed = [](const std::string& text) {
      return text.find("syntax error") != std::string::npos ||
             text.find("SystemVerilog keyword") != std::string::npos;
    };
    const bool any_sv = std::any_of(sources.begin(), sources.end(), [](const std::string& file) {
      return lower(fs::path(file).extension().string()) == ".sv";
    });
    output = lint("");
    if (unparsed(output) && !any_sv) {
      const std::string as_2005 = lint("1364-2005");
      if (as_2005.find("%Error") == std::string::npos) {
        output = kLanguageLine + "1364-2005\n" + as_2005;
      }
    }
    write_if_changed(saved, output);
  }
  if (output.rfind(kLanguageLine, 0) == 0) {
    build.language = output.substr(kLanguageLine.size(),
                                   output.find('\n') - kLanguageLine.size());
  }
  static const std::string kMissingPin = "Cell has missing pin: '";
  const std::vector<std::string> lines = lines_of(output);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const std::string& line = lines[index];
    // "%Warning-MODDUP: f2.v:8:8: Duplicate declaration of module: 'sfp'", then below it
    // "  f1.v:8:8: ... Location of original declaration".
    static const std::string kDuplicate = "Duplicate declaration of module: '";
    if (line.rfind("%Warning-MODDUP:", 0) == 0 && line.find(kDuplicate) != std::string::npos) {
      const auto location = [](std::string text) {
        text.erase(0, text.find_first_not_of(' '));
        text = text.substr(0, text.find(": "));
        const std::size_t column = text.rfind(':');
        return column == std::string::npos ? text : text.substr(0, column);
      };
      UserBuild::DuplicateModule duplicate;
      const std::size_t name = line.find(kDuplicate) + kDuplicate.size();
      duplicate.name = line.substr(name, line.find('\'', name) - name);
      duplicate.again = location(line.substr(std::string("%Warning-MODDUP:").size()));
      for (std::size_t next = index + 1; next < lines.size() && next < index + 8; ++next) {
        if (lines[next].find("... Location of original declaration") != std::string::npos) {
          duplicate.original = location(lines[next]);
          break;
        }
      }
      build.duplicate_modules.push_back(duplicate);
    }
    if (line.rfind("%Warning-PINMISSING:", 0) == 0 &&
        line.find("cosim_user_top.v:") != std::string::npos) {
      const std::size_t name = line.find(kMissingPin);
      if (name != std::string::npos) {
        const std::size_t begin = name + kMissingPin.size();
        build.missing_pins.push_back(line.substr(begin, line.find('\'', begin) - begin));
      }
    }
    // "Input port connection 'D_xmem' expects 32 bits on the pin connection, but pin
    // connection's VARREF 'D_xmem' generates 64 bits."
    static const std::string kConnection = "port connection '";
    if (line.rfind("%Warning-WIDTH:", 0) == 0 &&
        line.find("cosim_user_top.v:") != std::string::npos &&
        line.find(kConnection) != std::string::npos) {
      const std::size_t name = line.find(kConnection) + kConnection.size();
      const std::size_t expects = line.find("' expects ", name);
      const std::size_t generates = line.rfind(" generates ");
      if (expects != std::string::npos && generates != std::string::npos) {
        try {
          build.width_mismatches.push_back(
              {line.substr(name, expects - name), std::stoi(line.substr(expects + 10)),
               std::stoi(line.substr(generates + 11))});
        } catch (const std::exception&) {
          // Another wording: not a width this check understands.
        }
      }
    }
    if (line.rfind("%Warning-", 0) != 0 || line.find("cosim_user_top") != std::string::npos) {
      continue;
    }
    ++build.warning_count;
    if (build.warnings.size() < 5) build.warnings.push_back(line);
  }
}

}  // namespace

namespace {

// The build's own C++ compiler (CMake's CMAKE_CXX_COMPILER): the user's model is compiled, and
// the precompiled header made and read, by the compiler of the harness libraries it links.
constexpr const char* kCompiler = COSIM_CXX_COMPILER;
constexpr bool kClang = COSIM_CXX_COMPILER_IS_CLANG;

// Verilator's makefile with the build's compiler for its compiles and its link.
std::string compiler_variables() {
  return fmt::format(" CXX={0} LINK={0}", shell_quote(kCompiler));
}

// The build folder's key: the user's files (names and contents), the folders their `include`s
// are looked up in, the wrapper and registry (ports, widths, shape, pmem path, with or without
// waveform code), the lint mode and the -O level.
std::uint64_t content_key(const UserSources& files, const std::string& wrapper,
                          const std::string& registry, bool strict_lint, int opt_level) {
  ContentHash hash;
  for (const std::string& source : files.files) {
    hash.add(fs::path(source).filename().string());
    hash.add(read_file(source));
  }
  // DIR alone (every file in it) adds nothing, so the folders of earlier builds stay valid.
  if (files.include_dirs.size() > 1) {
    for (const std::string& include : files.include_dirs) hash.add(include);
  }
  for (const std::string& define : files.defines) hash.add("+define+" + define);
  hash.add(wrapper);
  hash.add(registry);
  hash.add(strict_lint ? "strict" : "lenient");
  // -O2 adds nothing, so the folders of earlier builds stay valid.
  if (opt_level != 2) hash.add(fmt::format("-O{}", opt_level));
  hash.add(kCompiler);
  return hash.value();
}

// Our own harness as a stamp inside the folder: the prebuilt objects and libraries it links, and
// the driver headers its registry compiles. When only it changed, the same folder is rebuilt
// (ccache makes the model's objects cheap) and relinked.
std::string harness_stamp() {
  ContentHash harness;
  for (const char* ours : {COSIM_TB_LIBRARY, COSIM_FILES_LIBRARY, COSIM_MODEL_LIBRARY,
                           COSIM_MAIN_OBJECT, COSIM_VERILATOR_RUNTIME_LIBRARY,
                           COSIM_SOURCE_DIR "/tb/src/user_core_driver.hpp",
                           COSIM_SOURCE_DIR "/tb/src/verilated_core.hpp",
                           COSIM_SOURCE_DIR "/tb/include/tb/verilator_harness.hpp",
                           COSIM_GENERATED_INCLUDE "/tb/core_bus_fields.hpp"}) {
    harness.add(read_file(ours));
  }
  return fmt::format("{:016x}\n", harness.value());
}

// Verilator -Wall on the user's files: printed, and fatal with --strict-lint.
void report_lint(const UserBuildRequest& request, const UserBuild& build) {
  if (!request.quiet && build.warning_count > 0) {
    fmt::print("verilator -Wall: {} warning{} in your core{}\n", build.warning_count,
               build.warning_count == 1 ? "" : "s",
               request.strict_lint ? " (--strict-lint: fatal)" : " (not fatal; --strict-lint makes them so)");
    for (const std::string& line : build.warnings) fmt::print("  {}\n", line);
  }
  if (request.strict_lint && build.warning_count > 0) {
    throw UsageError(fmt::format("--strict-lint: {} Verilator warnings in {}", build.warning_count,
                                 request.rtl_dir));
  }
}

// The last whole build's seconds under the same -O level and waveform setting, kept in the
// build root (<root>/last_build_seconds_O<level>[_untraced]).
fs::path build_seconds_stamp(const fs::path& root, int opt_level, bool traced) {
  return root / fmt::format("last_build_seconds_O{}{}", opt_level, traced ? "" : "_untraced");
}

// Seconds a first build is announced to take: the last one's with the same settings, else the
// medians of tb/USER_CORES.md (a very first core, its headers precompiled too) rounded up.
int build_estimate(const fs::path& stamp, int opt_level, bool traced) {
  const int measured = opt_level == 0 ? (traced ? 8 : 6) : (traced ? 9 : 6);
  if (!fs::exists(stamp)) return measured;
  try {
    return std::max(1, std::stoi(read_file(stamp)));
  } catch (const std::exception&) {
    return measured;
  }
}

// Verilator's C++ of the wrapper and the user's files, with the makefile that links it with our
// harness libraries (cosim's command line and the Verilator runtime come prebuilt from this
// build; the makefile is run by user_make_command).
// language: Verilator's --default-language value, or "" for its own (SystemVerilog).
std::string verilator_command(const UserBuild& build, const std::vector<std::string>& sources,
                              const fs::path& wrapper_path, const std::string& source_flags,
                              bool traced, const std::string& language = "") {
  const fs::path folder(build.folder);
  std::string command = fmt::format(
      "cd {} && {} --cc --exe --compiler {} {}{}--no-timing "
      "--x-assign unique --x-initial unique -Wno-fatal -Wno-lint -Wno-style -Wno-BLKANDNBLK "
      "-Wno-MULTIDRIVEN -Wno-UNOPTFLAT -Wno-COMBDLY --top-module cosim_user_top --prefix "
      "{} -Mdir obj -o {}{} ",
      shell_quote(build.folder), verilator_program(), kClang ? "clang" : "gcc",
      traced ? "--trace " : "",
      language.empty() ? "" : "--default-language " + language + " ", kUserCoreClass,
      shell_quote(build.program), source_flags);
  command += shell_quote(wrapper_path.string());
  for (const std::string& source : sources) command += " " + shell_quote(source);
  command += " " + shell_quote((folder / "user_registry.cpp").string());
  command += " -CFLAGS " + shell_quote(fmt::format(
                               "-std=c++17 -O2 -DFMT_SHARED -I{0}/tb/include "
                               "-I{0}/tb/src -I{0}/golden/model/include "
                               "-I{0}/golden/files/include -I{1}",
                               COSIM_SOURCE_DIR, COSIM_GENERATED_INCLUDE));
  // The build's own linker choice too (COSIM_LINKER_FLAGS: -fuse-ld=lld with clang++ and LLD).
  command += " -LDFLAGS " +
             shell_quote(fmt::format("{} {} {} {} {} -lfmt -pthread {}", COSIM_MAIN_OBJECT,
                                     COSIM_TB_LIBRARY, COSIM_FILES_LIBRARY, COSIM_MODEL_LIBRARY,
                                     COSIM_VERILATOR_RUNTIME_LIBRARY, COSIM_LINKER_FLAGS));
  return command;
}

// The names listed after `variable +=` in Verilator's <prefix>_classes.mk (one per line, each
// ending in a backslash).
std::vector<std::string> make_list(const std::string& classes_mk, const std::string& variable) {
  std::vector<std::string> names;
  bool inside = false;
  for (const std::string& line : lines_of(classes_mk)) {
    if (!inside) {
      inside = line.rfind(variable + " +=", 0) == 0;
      continue;
    }
    std::string name;
    for (const char c : line) {
      if (c != '\\' && !std::isspace(static_cast<unsigned char>(c))) name += c;
    }
    if (name.empty()) break;
    names.push_back(name);
  }
  return names;
}

// The per-cycle waveform code: at -Og above -O1 (in a unit of its own, waveform_apart), else at
// the per-cycle unit's level. It runs only in traced runs, which measured as fast with it at -Og
// as at -O1 or -O3 (the product's models, rtl/CMakeLists.txt). For rtl/ as a user core it took
// 4.3 s to compile at -O2, 3.5 s at -O1 and 2.5 s at -Og.
bool waveform_apart(int opt_level) { return opt_level > 1; }
std::string trace_opt_flag(int opt_level) {
  return waveform_apart(opt_level) ? "-Og" : fmt::format("-O{}", opt_level);
}

// The model's generated files as translation units: <prefix>__fast.cpp (per-cycle code, -O2
// unless --user-build-opt says otherwise), <prefix>__trace.cpp (per-cycle waveform code,
// trace_opt_flag) and <prefix>__slow.cpp (run-once code, -O0), instead of Verilator's one
// __ALL.cpp at -O2: on rtl/ as a user core, 10.0 s of compile become 1.9 s, 2.1 s and 1.5 s,
// and make runs them at once. The waveform unit goes through Verilator's VM_GLOBAL_SLOW list,
// whose files compile with OPT_GLOBAL; at -O0 and -O1 the waveform code stays in the per-cycle
// unit (a unit of its own made the -O0 build slower). Returns make's variables that build them
// instead of Verilator's own lists.
std::string write_model_units(const fs::path& obj, int opt_level) {
  const bool apart = waveform_apart(opt_level);
  const fs::path classes_file = obj / (std::string(kUserCoreClass) + "_classes.mk");
  const std::string classes = read_file(classes_file);
  const auto is_trace = [](const std::string& name) {
    const std::size_t at = name.rfind("__Trace__");
    return at != std::string::npos &&
           name.find_first_not_of("0123456789", at + 9) == std::string::npos &&
           name.size() > at + 9;
  };
  const auto unit_name = [](const char* suffix) { return std::string(kUserCoreClass) + suffix; };
  const auto write_unit = [&](const std::string& unit, const char* what,
                              const std::vector<std::string>& names) {
    std::string text =
        fmt::format("// {}: the Verilated {} files in one translation unit.\n", kUserCoreClass,
                    what);
    for (const std::string& name : names) text += fmt::format("#include \"{}.cpp\"\n", name);
    write_if_changed(obj / (unit + ".cpp"), text);
  };
  std::string variables;
  std::vector<std::string> trace_files;
  for (const char* kind : {"FAST", "SLOW"}) {
    std::vector<std::string> names;
    for (const char* list : {"VM_CLASSES_", "VM_SUPPORT_"}) {
      for (const std::string& name : make_list(classes, list + std::string(kind))) {
        if (apart && std::string(kind) == "FAST" && is_trace(name)) {
          trace_files.push_back(name);
        } else {
          names.push_back(name);
        }
      }
    }
    if (names.empty()) {
      throw UsageError(fmt::format("{}: no VM_CLASSES_{} list (a Verilator this harness does "
                                   "not know?)",
                                   classes_file.string(), kind));
    }
    const std::string unit = unit_name(std::string(kind) == "FAST" ? "__fast" : "__slow");
    write_unit(unit, kind, names);
    variables += fmt::format(" VM_CLASSES_{}={} VM_SUPPORT_{}=", kind, unit, kind);
  }
  std::string waveform_unit;
  if (!trace_files.empty()) {
    waveform_unit = unit_name("__trace");
    write_unit(waveform_unit, "per-cycle waveform", trace_files);
  }
  return variables + " VM_GLOBAL_FAST= VM_GLOBAL_SLOW=" + waveform_unit;
}

// How a build's units read the shared precompiled header (shared_verilator_pch). gcc: one
// -include for every unit (USER_CPPFLAGS), its .gch folder holding a file per -O level, of which
// gcc takes the one that fits. clang: each unit reads the file of its own level (-include-pch,
// added to the OPT_* flags of the units compiled at that level); clang refuses a header made with
// the other __OPTIMIZE__, so -O0 has a file of its own and the optimised levels share one.
struct SharedPch {
  std::string every_unit;            // gcc
  std::map<int, std::string> level;  // clang: 0 (-O0) or 1 (optimised) -> its -include-pch
  // The key of a unit compiled at -O<opt_level>.
  static int class_of(int opt_level) { return opt_level > 0 ? 1 : 0; }
  std::string at(int opt_level) const {
    const auto found = level.find(class_of(opt_level));
    return found == level.end() ? "" : " " + found->second;
  }
};

// Verilator's makefile on the units, through ccache when it is installed (with the settings
// of CMakeLists.txt, COSIM_CCACHE_ENV; depend mode works on the -MMD files the makefile asks
// for) and with the build's compiler; no runtime file of its own (the VM_GLOBAL_* lists hold the
// waveform unit only). The per-cycle unit and the registry at -O<opt_level> (--user-build-opt),
// the waveform unit at trace_opt_flag(opt_level), the run-once unit at -O0.
std::string user_make_command(const UserBuild& build, const std::string& unit_variables,
                              int opt_level, const SharedPch& pch) {
  const std::string fast = fmt::format("-O{}{}", opt_level, pch.at(opt_level));
  const std::string slow = "-O0" + pch.at(0);
  const std::string global = trace_opt_flag(opt_level) + pch.at(opt_level);
  return fmt::format(
      "{} make -C {} -f {}.mk -j 2{} OBJCACHE=\"$(command -v ccache)\" VM_PARALLEL_BUILDS=1 "
      "OPT_FAST={} OPT_SLOW={} OPT_GLOBAL={}{}{}",
      COSIM_CCACHE_ENV, shell_quote((fs::path(build.folder) / "obj").string()),
      kUserCoreClass, compiler_variables(), shell_quote(fast), shell_quote(slow),
      shell_quote(global), unit_variables,
      pch.every_unit.empty() ? "" : " USER_CPPFLAGS=" + shell_quote(pch.every_unit));
}

// Verilator's headers precompiled once for all the user-core builds under one build root, in
// <root>/pch/<key>/: each build's units (per-cycle, waveform, run-once, registry) parse them
// otherwise, about 1.1 s apiece at -O0 with gcc. The key covers the compiler and flags of
// Verilator's makefile and the headers' text, so another Verilator or compiler setting gets a
// header of its own. A level whose header could not be made is parsed by its units (gcc) or
// compiled without it (clang): a failed precompile costs time only (noted in the log).
// build_root is absolute (build_user_core).
SharedPch shared_verilator_pch(const UserBuild& build, const fs::path& build_root, int opt_level,
                               std::string& log) {
  const fs::path obj = fs::path(build.folder) / "obj";
  write_if_changed(obj / "cosim_pch.mk",
                   fmt::format("# Verilator's headers precompiled with the flags of {0}.mk "
                               "(tb/src/user_core.cpp).\n"
                               "include {0}.mk\n"
                               "cosim-pch-flags:\n"
                               "\t@echo $(VERILATOR_ROOT)\n"
                               "\t@echo $(CXX) $(CXXFLAGS) $(CPPFLAGS)\n"
                               "cosim-pch:\n"
                               "\ttest -f $(PCH_OUT) || {{ $(CXX) $(CXXFLAGS) "
                               "$(filter-out -MMD,$(CPPFLAGS)) $(PCH_OPT) -x c++-header "
                               "-o $(PCH_TMP) $(PCH_HEADER) && mv -f $(PCH_TMP) $(PCH_OUT); }}\n",
                               kUserCoreClass));
  const std::string make = fmt::format("make -s -C {} -f cosim_pch.mk{}",
                                       shell_quote(obj.string()), compiler_variables());
  // Without it the build parses the headers in every unit; the log says why.
  const auto without = [&](const std::string& why) {
    log += "note: no shared precompiled header: " + why + "\n";
    return SharedPch{};
  };
  std::string printed;
  const std::vector<std::string> lines =
      run_command(make + " cosim-pch-flags", printed) == 0 ? lines_of(printed)
                                                          : std::vector<std::string>{};
  if (lines.size() < 2) {
    return without("the makefile printed no VERILATOR_ROOT and flags:\n" + printed);
  }
  static const char* const kHeaders[] = {"verilated.h", "verilated_dpi.h", "verilated_vcd_c.h"};
  ContentHash key;
  key.add(lines[1]);
  std::string header_text = "// Verilator's headers, precompiled for the user-core builds.\n";
  for (const char* header : kHeaders) {
    const fs::path path = fs::path(lines[0]) / "include" / header;
    if (!fs::exists(path)) return without(path.string() + " does not exist");
    key.add(read_file(path));
    header_text += fmt::format("#include \"{}\"\n", header);
  }
  const fs::path folder = build_root / "pch" / fmt::format("{:016x}", key.value());
  const fs::path header = folder / "cosim_verilated.h";
  if (header.string().find_first_of(" \t") != std::string::npos) {
    return without("make splits its flags at blanks, and " + header.string() + " has one");
  }
  // gcc reads every file in the .gch folder, so each is written aside and moved in whole.
  const fs::path pch_folder = kClang ? folder : folder / "cosim_verilated.h.gch";
  const auto pch_file = [&](int level) {
    return pch_folder / fmt::format("O{}.{}", level, kClang ? "pch" : "gch");
  };
  fs::create_directories(pch_folder);
  fs::create_directories(folder / "tmp");
  write_if_changed(header, header_text);
  // Missing levels are made at once, each under a lock of its own (flock): a concurrent build
  // that needs the same level waits for it instead of making it again. The waveform unit at -Og
  // takes the -O2 (or -O3) header: both compilers check the __OPTIMIZE__ -O sets, and it is the
  // same.
  const std::set<int> levels{0, opt_level};
  std::string commands;
  for (const int level : levels) {
    const fs::path out = pch_file(level);
    if (fs::exists(out)) continue;
    const fs::path tmp = folder / "tmp" / fmt::format("O{}.pch.{}", level, getpid());
    const fs::path lock = folder / "tmp" / fmt::format("O{}.lock", level);
    commands += fmt::format(
        "flock {} {} cosim-pch PCH_OPT=-O{} PCH_HEADER={} PCH_TMP={} PCH_OUT={} & ",
        shell_quote(lock.string()), make, level, shell_quote(header.string()),
        shell_quote(tmp.string()), shell_quote(out.string()));
  }
  if (!commands.empty()) {
    std::string output;
    run_command(commands + "wait", output);
    for (const int level : levels) {
      if (!fs::exists(pch_file(level))) {
        log += fmt::format("note: precompiling Verilator's headers at -O{} failed; the build "
                           "parses them:\n{}",
                           level, output);
      }
    }
  }
  SharedPch pch;
  if (!kClang) {
    pch.every_unit = fmt::format("-include {} -fpch-preprocess", header.string());
    return pch;
  }
  for (const int level : levels) {
    if (fs::exists(pch_file(level))) {
      pch.level[SharedPch::class_of(level)] = "-include-pch " + pch_file(level).string();
    }
  }
  return pch;
}

// A failed build: its first error line, what it likely means for this profile, the log.
// declared: the top's ports as its text declares them, named when a profile's port is missing.
[[noreturn]] void throw_build_failure(const std::string& output, const CoreProfile& profile,
                                      const std::map<std::string, PortDeclaration>& declared,
                                      const fs::path& log) {
  std::string first_error;
  for (const std::string& line : lines_of(output)) {
    if (line.rfind("%Error", 0) == 0) {
      first_error = line;
      break;
    }
  }
  if (first_error.empty()) {
    for (const std::string& line : lines_of(output)) {
      if (line.find("error") != std::string::npos) {
        first_error = line;
        break;
      }
    }
  }
  std::string why = explain(first_error, profile);
  if (first_error.find("Pin not found") != std::string::npos &&
      first_error.find("Parameter pin") == std::string::npos && !declared.empty()) {
    std::string ports;
    for (const auto& [name, port] : declared) {
      ports += fmt::format("{}{} {}{}", ports.empty() ? "" : ", ", port.direction, name,
                           port.range);
    }
    why += fmt::format("; module {} declares: {}", profile.top, ports);
  }
  throw UsageError(fmt::format("Verilator could not build your core: {}{}\n(full log: {})",
                               first_error.empty() ? "see the log" : first_error,
                               why.empty() ? "" : "\n  -> " + why, log.string()));
}

}  // namespace

bool is_user_core_program() {
  const std::vector<ModelVariant>& models = built_models();
  return models.size() == 1 && models.front().class_name == kUserCoreClass;
}

UserBuild build_user_core(const UserBuildRequest& request) {
  std::vector<std::string> notes;
  const UserSources user_files =
      collect_user_files(request.rtl_dir, notes, request.profile.top, request.filelist);
  const std::vector<std::string>& sources = user_files.files;
  const std::string registry = registry_source(request.profile, request.array, request.traced);
  const std::string stamp_text = harness_stamp();
  // Absolute: Verilator and make run in other folders than the caller's (a relative
  // --user-build-dir named a wrapper they could not find).
  const fs::path root = fs::absolute(request.build_root).lexically_normal();
  // Verilator's flags for the user's files: -I for `include (DIR, each file's folder, a
  // filelist's +incdir+) and -D for a filelist's +define+.
  std::string source_flags;
  for (const std::string& include : user_files.include_dirs) {
    source_flags += " -I" + shell_quote(include);
  }
  for (const std::string& define : user_files.defines) {
    source_flags += " -D" + shell_quote(define);
  }
  // The top's shape parameters, by its own names; its other ports come from the lint below.
  TopConnection connection;
  std::map<std::string, PortDeclaration> declared;
  try {
    const TopPorts top = top_ports(sources, request.profile.top);
    declared = top.ports;
    connection = shape_parameters(top.parameters);
  } catch (const std::exception&) {
    // No such module in the text: Verilator names the problem when it builds.
  }
  // The profile's ties: an input of the top outside the contract, or a bit of inst above 33.
  for (const CoreProfile::Tie& tie : request.profile.tie) {
    const std::string& name = tie.name;
    if (tie.bit >= 0) {
      notes.push_back(fmt::format("instruction bit {} is held at {} (profile field tie)",
                                  tie.bit, tie.value));
      continue;
    }
    const CoreProfile& p = request.profile;
    for (const std::string* mapped : {&p.clk, &p.reset, &p.inst, &p.d_xmem, &p.ofifo_valid,
                                      &p.sfp_out}) {
      if (*mapped == name) {
        throw UsageError(fmt::format("tie: {} is the profile's port for a contract signal, "
                                     "which the harness drives; tie only ports outside the "
                                     "contract",
                                     name));
      }
    }
    const auto found = declared.find(name);
    if (!declared.empty() && (found == declared.end() || found->second.direction != "input")) {
      std::string inputs;
      for (const auto& [port, declaration] : declared) {
        if (declaration.direction == "input") inputs += (inputs.empty() ? "" : ", ") + port;
      }
      throw UsageError(fmt::format("tie: {} is not an input of your top `{}`{} (its inputs: {})",
                                   name, p.top,
                                   found == declared.end() ? ""
                                                           : " (it is an " +
                                                                 found->second.direction + ")",
                                   inputs));
    }
    notes.push_back(fmt::format("port {} of your top `{}` is {} {} (profile field tie)", name,
                                p.top, tie.high >= 0 ? "driven with" : "tied to",
                                tie.high >= 0 ? "the instruction's bits " + tie.value_text()
                                              : tie.value_text()));
  }
  const TopConnection usual;
  for (const auto& [ours, theirs, value] :
       {std::tuple{usual.row, connection.row, request.array.row},
        std::tuple{usual.col, connection.col, request.array.col},
        std::tuple{usual.bw, connection.bw, request.array.bw},
        std::tuple{usual.psum_bw, connection.psum_bw, request.array.psum_bw}}) {
    if (theirs.empty()) {
      notes.push_back(fmt::format(
          "your top `{}` declares no parameter {} (in any case): not passed, so its ports must "
          "already fit {} = {}",
          request.profile.top, ours, ours, value));
    } else if (theirs != ours) {
      notes.push_back(fmt::format("your top's parameter {} is passed as {} = {}", theirs, ours,
                                  value));
    }
  }
  // The build folder of a wrapper (keyed by it and the user's files), its files written and
  // the user's files linted through it.
  UserBuild build;
  const auto prepare = [&](const std::string& wrapper) {
    build = UserBuild{};
    build.folder = (root / fmt::format("{:016x}", content_key(user_files, wrapper, registry,
                                                             request.strict_lint,
                                                             request.opt_level)))
                       .string();
    const fs::path folder(build.folder);
    build.program = (folder / "cosim_user").string();
    fs::create_directories(folder);
    write_if_changed(folder / "cosim_user_top.v", wrapper);
    write_if_changed(folder / "user_registry.cpp", registry);
    lint_user_files(sources, folder / "cosim_user_top.v", folder, source_flags, build);
  };
  prepare(user_wrapper_verilog(request.profile, request.array, connection));
  // Ports of the top that the contract does not have: connected explicitly, and said.
  if (!build.missing_pins.empty()) {
    for (const std::string& pin : build.missing_pins) {
      const auto found = declared.find(pin);
      const std::string direction = found == declared.end() ? "" : found->second.direction;
      connection.unmapped.push_back({pin, direction});
      notes.push_back(fmt::format(
          "port {} of your top `{}` is not in the course contract (DESIGN.md 3a) and no "
          "profile field names it: {}",
          pin, request.profile.top,
          direction == "input" ? "cosim drives it with 0"
          : direction.empty()
              ? "its direction was not found in the text, so it is left open (an input would "
                "read random bits under --x-initial unique)"
              : "left open"));
    }
    prepare(user_wrapper_verilog(request.profile, request.array, connection));
  }
  const fs::path folder(build.folder);
  const fs::path wrapper_path = folder / "cosim_user_top.v";
  if (!build.language.empty()) {
    notes.push_back(fmt::format(
        "your files do not parse as SystemVerilog (Verilator's default for .v files; a "
        "Verilog-2005 name such as `bit` or `final` is a keyword there): read as {} "
        "(--default-language {})",
        build.language == "1364-2005" ? "Verilog-2005" : build.language, build.language));
  }
  for (const std::string& note : notes) {
    if (!request.quiet) fmt::print("note: {}\n", note);
  }
  // The data ports must have the array's widths: a top that keeps its own shape would run
  // another array than the one checked.
  for (const UserBuild::WidthMismatch& mismatch : build.width_mismatches) {
    const bool data = mismatch.port == request.profile.d_xmem;
    if (!data && mismatch.port != request.profile.sfp_out) continue;
    throw UsageError(fmt::format(
        "port {} of your top `{}` has {} bits, and a {}x{} array with bw {} and psum_bw {} "
        "needs {} ({}): the port does not follow the array's shape (a parameter cosim does not "
        "pass, or a width written as a number); run the core with the array it is built for "
        "(--array), or declare its width from row, col, bw and psum_bw parameters",
        mismatch.port, request.profile.top, mismatch.top_bits, request.array.row,
        request.array.col, request.array.bw, request.array.psum_bw, mismatch.wrapper_bits,
        data ? "row * bw" : "col * psum_bw"));
  }
  // Verilator builds past a module declared twice, with one of the two; Icarus stops.
  for (const UserBuild::DuplicateModule& duplicate : build.duplicate_modules) {
    const auto shown = [&](const std::string& location) {
      const fs::path path = location.substr(0, location.rfind(':'));
      const std::string line = location.substr(location.rfind(':') + 1);
      return fmt::format("{} line {}",
                         path.lexically_relative(fs::absolute(request.rtl_dir).lexically_normal())
                             .string(),
                         line);
    };
    throw UsageError(fmt::format(
        "module {} is declared twice, in {} and in {}: Verilator would build one of them "
        "without a word, and Icarus stops; keep one (an older copy?), or list the files to "
        "build in {}/filelist",
        duplicate.name, duplicate.original.empty() ? "another file" : shown(duplicate.original),
        shown(duplicate.again), request.rtl_dir));
  }
  report_lint(request, build);
  const fs::path stamp = folder / "harness.stamp";
  if (fs::exists(build.program) && fs::exists(stamp) && read_file(stamp) == stamp_text) {
    return build;
  }
  fs::remove(build.program);

  // First run for this content: Verilate wrapper + user files and link our harness.
  const fs::path root_stamp = build_seconds_stamp(root, request.opt_level, request.traced);
  const bool first_build = !fs::exists(folder / "obj");
  if (!request.quiet) {
    if (first_build) {
      fmt::print("building your core (first run takes ~{} s) in {}\n",
                 build_estimate(root_stamp, request.opt_level, request.traced), build.folder);
    } else {
      fmt::print("relinking your core with this harness in {}\n", build.folder);
    }
    std::fflush(stdout);
  }
  const auto start = std::chrono::steady_clock::now();
  std::string output;
  int status = run_command(verilator_command(build, sources, wrapper_path, source_flags,
                                             request.traced, build.language),
                           output);
  if (status == 0) {
    std::string make_output;
    const SharedPch pch = shared_verilator_pch(build, root, request.opt_level, make_output);
    const std::string units = write_model_units(folder / "obj", request.opt_level);
    status = run_command(user_make_command(build, units, request.opt_level, pch),
                         make_output);
    output += make_output;
  }
  write_if_changed(folder / "build.log", output);
  if (status != 0 || !fs::exists(build.program)) {
    throw_build_failure(output, request.profile, declared, folder / "build.log");
  }
  write_if_changed(stamp, stamp_text);
  build.rebuilt = true;
  build.seconds = seconds_since(start);
  // Only whole builds set the estimate (a relink after a harness change is much shorter).
  if (first_build) write_if_changed(root_stamp, fmt::format("{:.0f}\n", build.seconds));
  if (!request.quiet) fmt::print("built in {:.0f} s\n", build.seconds);
  return build;
}

}  // namespace tb
