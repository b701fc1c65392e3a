// cosim: the command line (CLI11, through tb/command_line.hpp). Parses options, runs one layer, maps results and errors to exit codes.
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "vector_files/doctor.hpp"
#include "golden/error.hpp"
#include "tb/bus.hpp"
#include "tb/command_line.hpp"
#include "tb/core_driver.hpp"
#include "tb/core_probe.hpp"
#include "tb/cosim.hpp"
#include "tb/dataflow.hpp"
#include "tb/errors.hpp"
#include "tb/gtkw.hpp"
#include "tb/report.hpp"
#include "tb/user_core.hpp"
#include "tb/whole_model.hpp"

namespace {

constexpr int kExitPass = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitBadInput = 2;

// Where cosim --rtl builds user cores: beside this program's build.
std::string default_user_build_root() {
  char self[PATH_MAX] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return "build/user-cores";
  const std::filesystem::path program(std::string(self, static_cast<std::size_t>(length)));
  // build/tb/cosim -> build/user-cores
  return (program.parent_path().parent_path() / "user-cores").string();
}

// A failing user-core run: the same run again with a waveform window around the first
// mismatch and a GTKWave save file with a marker there.
void trace_first_mismatch(const tb::RunOptions& options, const tb::RunSummary& failed,
                          std::uint64_t mismatch_cycle) {
  tb::RunOptions traced = options;
  const std::filesystem::path folder = std::filesystem::path("waves");
  std::filesystem::create_directories(folder);
  const std::string stem = fmt::format("user_core_fail_cycle{}", mismatch_cycle);
  traced.trace.path = (folder / (stem + ".vcd")).string();
  traced.trace.from_cycle = mismatch_cycle > 300 ? mismatch_cycle - 300 : 0;
  traced.trace.to_cycle = mismatch_cycle + 20;
  traced.max_cycles = mismatch_cycle + 25;
  traced.gtkw.clear();
  const tb::RunSummary again = tb::run_cosim(traced);
  const std::string gtkw = (folder / (stem + ".gtkw")).string();
  tb::write_gtkw(gtkw, traced.trace.path, again.array, mismatch_cycle * tb::kTimePerCycle +
                                                           tb::kTimePerCycle / 2);
  fmt::print("waveform around the first mismatch (cycles {}..{}): {}  (gtkwave {})\n",
             traced.trace.from_cycle, traced.trace.to_cycle, traced.trace.path, gtkw);
  (void)failed;
}

// Verilator is 2-state: state read before it is written starts at 0. Two more runs with random
// initial values (+verilator+rand+reset+2) show whether the results depend on it.
void random_reset_check(const tb::RunOptions& options, const tb::RunSummary& base) {
  std::vector<std::string> results;
  bool differ = false;
  for (int seed : {1, 2}) {
    tb::RunOptions random = options;
    random.plusargs.push_back("+verilator+rand+reset+2");
    random.plusargs.push_back(fmt::format("+verilator+seed+{}", seed));
    random.trace.path.clear();
    random.gtkw.clear();
    const tb::RunSummary summary = tb::run_cosim(random);
    const bool same = summary.pass == base.pass && summary.mismatches == base.mismatches &&
                      summary.failure == base.failure;
    differ = differ || !same;
    results.push_back(fmt::format("seed {}: {}{}", seed, summary.pass ? "PASS" : "FAIL",
                                  same ? "" : fmt::format(" ({} mismatches; {})",
                                                          summary.mismatches, summary.failure)));
  }
  if (differ) {
    std::string joined;
    for (const std::string& result : results) joined += (joined.empty() ? "" : "; ") + result;
    fmt::print("random initial state (+verilator+rand+reset+2): results DIFFER from the zero-"
               "initialised run ({}): the core reads state before it is written (a register "
               "without reset, or memory read before written)\n",
               joined);
  } else {
    fmt::print("random initial state (+verilator+rand+reset+2, seeds 1 and 2): same results\n");
  }
}

std::string built_shapes() {
  std::string shapes;
  for (const tb::ModelVariant& variant : tb::built_models()) {
    shapes += fmt::format("{}{}x{} ({})", shapes.empty() ? "" : ", ", variant.array.row,
                          variant.array.col, tb::to_string(variant.trace));
  }
  return shapes;
}

// FST needs the FST build of the model, which lives in its own program next to this one.
void run_fst_program_if_needed(const std::string& trace, char** argv) {
  if (tb::trace_format_of(trace) != tb::TraceFormat::Fst) return;
  for (const tb::ModelVariant& variant : tb::built_models()) {
    if (variant.trace == tb::TraceFormat::Fst) return;
  }
  char self[PATH_MAX] = {};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return;
  const std::filesystem::path fst_program =
      std::filesystem::path(std::string(self, static_cast<std::size_t>(length))).parent_path() /
      "cosim_fst";
  if (std::filesystem::exists(fst_program)) {
    std::fflush(stdout);
    execv(fst_program.c_str(), argv);
  }
}

// cosim check-vectors DIR: the vector-set doctor (golden/doctor.hpp), no RTL involved.
int run_check_vectors(const std::string& dir, const std::string& write_meta, bool print_meta,
                      const std::string& model, std::optional<int> layer) {
  try {
    const golden::DoctorReport report = golden::diagnose_vector_set(dir);
    if (layer) {
      golden::require_same_layer(report.best, golden::find_layer(model, *layer),
                                 report.has_meta_json ? "meta.json" : dir);
    }
    fmt::print("{}", golden::format_doctor_report(report, print_meta));
    if (!write_meta.empty()) {
      std::ofstream stream(write_meta, std::ios::binary | std::ios::trunc);
      if (!(stream << report.suggested_meta_json))
        throw golden::InputError(write_meta, "cannot write file");
    }
    return report.exit_code();
  } catch (const golden::InputError& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
    return kExitBadInput;
  }
}

// probe-core, in the program built for the core: the probes, the evidence, the profile file.
int run_probe(const tb::RunOptions& options, const std::string& rtl_dir,
              const std::string& write_profile) {
  try {
    const tb::ProbeResult result = tb::probe_core(options);
    for (const std::string& line : result.evidence) fmt::print("evidence: {}\n", line);
    if (!result.fits) {
      fmt::print("no profile fits this core; first contract item broken: {}\n", result.broken);
      fmt::print("FAIL probe-core {}\n", rtl_dir);
      return kExitMismatch;
    }
    namespace fs = std::filesystem;
    std::string target = write_profile;
    if (target.empty()) {
      target = (fs::path(rtl_dir) / "core.json").string();
      if (fs::exists(target)) target = (fs::path(rtl_dir) / "core.probed.json").string();
    }
    std::ofstream stream(target, std::ios::binary | std::ios::trunc);
    if (!(stream << result.profile.to_json())) {
      throw golden::InputError(target, "cannot write the profile");
    }
    fmt::print("profile: {}\nwritten to {}\n", result.profile.summary(), target);
    fmt::print("PASS probe-core {} relu={} sram_read={} ofifo_pop={} inst_width={}\n", rtl_dir,
               result.profile.relu_text(), result.profile.sram_read_text(),
               result.profile.ofifo_pop_text(), result.profile.inst_width);
    return kExitPass;
  } catch (const std::exception& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
    return kExitBadInput;
  }
}

// Everything the command line sets.
struct Cli {
  tb::RunOptions options;
  std::string report_path;
  bool quiet = false;
  std::string layer_text = "27";
  bool all_layers = false;
  std::string psum_check = "readback";
  int mutant = -1;
  int jobs = tb::default_jobs();
  bool print_array = false;
  // bring your own core
  std::string rtl_dir;
  std::string filelist;
  std::string profile_file;
  std::string user_build_root;
  int user_build_opt = 2;
  bool user_build_no_trace = false;
  bool strict_lint = false;
  bool no_trace_on_fail = false;
  bool no_rand_check = false;
  bool course_flow = false;  // our own core driven as a course core (as --rtl drives one)
  std::vector<std::string> profile_values;
  std::vector<std::pair<std::string, std::string>> profile_overrides;
  // subcommands
  cmdline::App* probe = nullptr;
  std::string probe_write;
  cmdline::App* check_vectors = nullptr;
  std::string check_dir;
  std::string write_meta;
  bool print_meta = false;
};

// "--psum-latency" for the profile field "psum_latency".
std::string profile_flag(const std::string& field) {
  std::string flag = field;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return "--" + flag;
}

void add_layer_options(cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  app.add_option("--model", options.model, "Model of the layer catalog: vgg16 or vgg16_sq8")
      ->capture_default_str();
  cli.layer_text = std::to_string(options.layer);
  app.add_option("--layer", cli.layer_text,
                 "features[i] index of a conv layer of the model, or 'all': every conv layer of "
                 "the model in order, with a table of cycles, efficiency and wall time")
      ->capture_default_str();
  app.add_option("--psum-check", cli.psum_check,
                 "Where psums are checked: readback (through the SFP after each ic tile, costs "
                 "cycles) or write (each word as pmem's write port takes it, no extra cycles); "
                 "with --rtl: sfp (= readback, one word at a time), pmem-path (= write, needs "
                 "--pmem-path) or none")
      ->capture_default_str()
      ->check(cmdline::IsMember({"readback", "write", "sfp", "pmem-path", "none"}));
  app.add_option("--seed", options.seed, "Seed of the generated activations and weights")
      ->capture_default_str();
  app.add_option("--vectors", options.vectors,
                 "Run a folder of notebook vector files instead (the shape comes from the set)")
      ->type_name("DIR");
  app.add_option("--dataflow", options.dataflow, tb::dataflow_help())
      ->capture_default_str()
      ->check(cmdline::Validator(
          [](std::string& text) {
            try {
              tb::dataflow_sequence(text);
              return std::string();
            } catch (const tb::UsageError& error) {
              return std::string(error.what());
            }
          },
          ""))
      ->type_name("DATAFLOW");
  app.add_flag("--stress", options.stress,
               "Generated inputs at the formats' corners: weights -8 and 7, activations 15, "
               "all-zero and all-max channels, map rows and columns (sums wrap psum_bw on wide "
               "layers); deterministic by --seed");
  app.add_option("--array", options.array,
                 "Square array size for generated inputs (8 or 16 are built by default)")
      ->capture_default_str()
      ->check(cmdline::Range(1, 64));
}

void add_output_options(cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  app.add_option("--trace", options.trace.path,
                 "Write a waveform: FILE.vcd, or FILE.fst with the FST build (cosim_fst); the "
                 "core models with waveform code are listed below (8x8 by default; make wave "
                 "ARRAY=16 adds 16x16)")
      ->type_name("FILE");
  app.add_option("--trace-from", options.trace.from_cycle, "First cycle in the waveform")
      ->type_name("CYCLE")
      ->capture_default_str();
  app.add_option("--trace-to", options.trace.to_cycle, "Last cycle in the waveform")
      ->type_name("CYCLE");
  app.add_option("--trace-depth", options.trace.depth, "Hierarchy levels in the waveform")
      ->capture_default_str();
  app.add_option("--gtkw", options.gtkw,
                 "With --trace: write a GTKWave save file with the core's signals grouped")
      ->type_name("FILE");
  app.add_option("--stimulus", options.stimulus,
                 "Write every cycle's stimulus (reset, inst, D_xmem) and outputs (ofifo_valid, sfp_out) "
                 "to a text file, for a replay in another simulator")
      ->type_name("FILE");
  app.add_option("--export-stimulus", options.export_stimulus,
                 "Write the run as $readmemh files into DIR: every cycle's reset, inst and "
                 "D_xmem, and the golden sfp_out and pmem-write values at the cycles they are "
                 "checked; tb/replay_tb.v replays them in any Verilog simulator (make sim-icarus)")
      ->type_name("DIR");
}

void add_checker_options(cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  app.add_option("--max-cycles", options.max_cycles,
                 "Stop with FAIL after this many cycles (default: from the layer's size)");
  app.add_flag("--no-ofifo-valid-check", [&options](std::int64_t) {
    options.sequencer.check_ofifo_valid = false;
  }, "Schedule by the contract's cycle counts without comparing ofifo_valid with them every "
     "cycle (a core that does not drive it)");
  app.add_option("--stall-cycles", options.stall_cycles,
                 "Watchdog: FAIL after this many cycles without progress")
      ->capture_default_str()
      ->check(cmdline::PositiveNumber());
  app.add_option("--rtl-variant", options.rtl_variant,
                 "Run a mutation build of the core (a named fault, tests/mutants/<name>.patch; "
                 "only in programs built with one, such as cosim_faults, to show the checker "
                 "catches faults)");
  app.add_option("--mutant", cli.mutant,
                 "In a program built with a Yosys mutant netlist (cosim_mutation): activate "
                 "mutant N (0: none; passes +mutant=N to the model; use with --rtl-variant YOSYS_MUTANTS)")
      ->check(cmdline::NonNegativeNumber());
  app.add_flag("--stop-on-first", options.stop_on_first, "Stop at the first mismatch");
  app.add_flag("--idle-noise", options.idle_noise,
               "In cycles that leave xmem or pmem deselected (CEN=1), drive WEN=0 and the last "
               "address used (xmem: with that word inverted); the core must ignore it");
}

void add_report_options(cmdline::App& app, Cli& cli) {
  app.add_flag("-q,--quiet", cli.quiet,
               "Print only the final PASS/FAIL line (after one 'error:' line when it fails)");
  app.add_option("--report", cli.report_path,
                 "Write the summary as JSON to this file (with --layer all: the whole model's, "
                 "every layer's report in it)")
      ->type_name("FILE");
  app.add_option("-j,--jobs", cli.jobs,
                 "With --layer all: how many layers run at a time, each in its own worker "
                 "process, the longest predicted first, each printed as it ends (1: one after "
                 "the other in this process, in catalog order)")
      ->capture_default_str()
      ->check(cmdline::PositiveNumber());
  app.add_flag("--print-array", cli.print_array,
               "Print the array shape the run needs (ROWxCOL, e.g. 16x8) and exit; make sim uses "
               "it to build a missing core model");
}

void add_user_core_options(cmdline::App& app, Cli& cli) {
  app.add_option("--rtl", cli.rtl_dir,
                 "Run your own course core instead: every .v/.sv in DIR but testbenches, and a "
                 "module they lack from the nearest file below DIR that declares it (or the "
                 "files of DIR/filelist; a DIR without Verilog of its own starts from the one "
                 "file below it that declares the top), top module `core`, driven through the "
                 "course's bits 33..0 and cycle contract (DESIGN.md 3a); built once per content "
                 "into build/user-cores/ (tb/USER_CORES.md)")
      ->type_name("DIR");
  app.add_option("--filelist", cli.filelist,
                 "With --rtl: the files to build, one per line relative to FILE's folder (`#` "
                 "comments, +incdir+FOLDER and +define+NAME[=VALUE] lines), instead of "
                 "DIR/filelist (or filelist.txt) or the folder's files")
      ->type_name("FILE");
  app.add_option("--profile", cli.profile_file,
                 "The core's profile (default: DIR/core.json when present, else the course's "
                 "with the port names and instruction width read from the top's text)")
      ->type_name("FILE");
  const std::vector<std::string>& fields = tb::core_profile_fields();
  cli.profile_values.resize(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string flag = profile_flag(fields[i]);
    app.add_option(flag, cli.profile_values[i],
                   "With --rtl: profile field " + fields[i] +
                       " (overrides core.json; see tb/USER_CORES.md)" +
                       (flag == "--psum-latency" ? "; without --rtl: our core's schedule" : ""))
        ->group("Profile of a user core (--rtl)");
  }
  app.add_flag("--course-flow", cli.course_flow,
               "Drive this build's own core as --rtl drives a course core: bits 33..0 only, "
               "the course's cycle contract (DESIGN.md 3a), the SFP summing each output's "
               "psums from pmem (what a course testbench does) instead of our read-add-write; "
               "every output checked, each psum read back through the SFP (--psum-check "
               "write: at pmem's write port instead)");
  app.add_flag("--strict-lint", cli.strict_lint,
               "With --rtl: Verilator -Wall warnings in your core are fatal");
  app.add_flag("--no-trace-on-fail", cli.no_trace_on_fail,
               "With --rtl: do not re-run a failing layer to write a waveform around the first "
               "mismatch");
  app.add_flag("--no-rand-check", cli.no_rand_check,
               "With --rtl: skip the two extra runs with random initial state");
  app.add_option("--user-build-dir", cli.user_build_root,
                 "Where user cores are built (default: <build>/user-cores)")
      ->type_name("DIR");
  app.add_option("--user-build-opt", cli.user_build_opt,
                 "With --rtl: the C++ compiler's -O level of your core model's per-cycle code. "
                 "2 simulates fastest; 0 builds the core in about four fifths of the time (after "
                 "the first core's build; about five sixths with --user-build-no-trace) and "
                 "simulates about 5x slower: for short runs (one small layer) while you edit "
                 "the RTL. Each level is its own build")
      ->check(cmdline::Range(0, 2))
      ->default_val(2)
      ->type_name("0|1|2");
  app.add_flag("--user-build-no-trace", cli.user_build_no_trace,
               "With --rtl: build your core without waveform code, which is about half of "
               "Verilator's C++ (a build after an edit takes about three fifths of the time): "
               "for CI runs. --trace and the waveform window of a failing run then "
               "need the traced build (the same command without this flag). Its own build");
}

void add_subcommands(cmdline::App& app, Cli& cli) {
  cli.probe = app.add_subcommand(
      "probe-core",
      "With --rtl DIR: drive small known stimuli (a kernel load and one execute, then layer 27 "
      "under each candidate profile) and report which profile fits the core, with the evidence "
      "(the cycle the first psum appears, when the OFIFO pops, whether sfp_out is ReLU'd, the "
      "SRAM read style); writes the core.json it would use (DIR/core.json when DIR has none, "
      "else DIR/core.probed.json). Exit 0 a profile fits, 1 none does, 2 bad input.");
  cli.probe->add_option("--write-profile", cli.probe_write, "Write the profile here instead")
      ->type_name("FILE");
  cli.probe->fallthrough();

  cli.check_vectors = app.add_subcommand(
      "check-vectors",
      "Check a vector set against itself, without the RTL: psums against activations x weights, "
      "out against the psums. Names what is wrong (out_relu, element order, transposed weights, "
      "header lines, shape, negative zeros, off-by-ones) and the meta.json field that fixes it; "
      "without meta.json, prints the one it would write. Exit 0 consistent, 1 not, 2 unreadable. "
      "With --layer N (and --model), the set must also be that layer.");
  cli.check_vectors->add_option("DIR", cli.check_dir, "The set folder")->required();
  cli.check_vectors->add_option("--write-meta", cli.write_meta,
                                "Write the meta.json that describes the set")
      ->type_name("FILE");
  cli.check_vectors->add_flag("--print-meta", cli.print_meta,
                              "Print that meta.json even when the set's own is right");
  cli.check_vectors->fallthrough();
}

void describe_program(cmdline::App& app) {
  app.footer(
      "Examples:\n"
      "  cosim                                   layer 27 of vgg16_sq8 on an 8x8 array\n"
      "  cosim --layer 29 --array 16 --seed 7\n"
      "  cosim --vectors ../shared/vectors/jaco-part3\n"
      "  cosim --trace l27.vcd --gtkw l27.gtkw --trace-from 100 --trace-to 400\n"
      "  cosim --report run.json --quiet\n"
      "Verilator runtime options (+verilator+seed+N, +verilator+rand+reset+2, ...) are passed\n"
      "through to the model.\n"
      "Models in this program: " + built_shapes());
  app.allow_extras();
}

// Profile fields given as flags: a user core's profile overrides, or (--psum-latency without
// --rtl) our own core's schedule with another execute-to-OFIFO latency than the contract's (a
// checker test of what a core off the contract does).
void apply_profile_flags(const cmdline::App& app, Cli& cli) {
  const std::vector<std::string>& fields = tb::core_profile_fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string flag = profile_flag(fields[i]);
    if (app.count(flag) == 0) continue;
    if (cli.rtl_dir.empty() && flag == "--psum-latency") {
      int& latency = cli.options.sequencer.psum_latency;
      try {
        latency = std::stoi(cli.profile_values[i]);
      } catch (const std::exception&) {
        latency = -1;
      }
      if (latency < 0) {
        throw tb::UsageError(fmt::format("--psum-latency {}: expected a number of cycles >= 0",
                                         cli.profile_values[i]));
      }
      continue;
    }
    if (cli.rtl_dir.empty()) {
      throw tb::UsageError(fmt::format(
          "{} is a profile field of a user core: it needs --rtl DIR", flag));
    }
    cli.profile_overrides.emplace_back(fields[i], cli.profile_values[i]);
  }
}

// --layer: one features[i] index, or 'all'; with --vectors the set must be that layer.
void apply_layer(const cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  cli.all_layers = cli.layer_text == "all";
  if (!cli.all_layers) {
    try {
      std::size_t used = 0;
      options.layer = std::stoi(cli.layer_text, &used);
      if (used != cli.layer_text.size()) throw std::invalid_argument(cli.layer_text);
    } catch (const std::exception&) {
      throw tb::UsageError(fmt::format("--layer {}: expected a features[i] index or 'all' (see "
                                       "cosim --help)", cli.layer_text));
    }
  } else if (!options.vectors.empty()) {
    throw tb::UsageError("--layer all runs the catalog's layers; it cannot be combined with "
                         "--vectors");
  }
  if (!options.vectors.empty() && app.count("--layer") > 0) {
    // Both given: the set must be that layer (otherwise the set's own shape would silently win).
    const golden::VectorSet set = golden::load_vector_set(options.vectors);
    golden::require_same_layer(set.meta, golden::find_layer(options.model, options.layer),
                               set.from_meta_json ? "meta.json" : options.vectors);
  }
}

// What parsing alone does not settle: pass-through arguments, the psum check, profile flags,
// the layer. Throws UsageError or golden::InputError (exit 2).
void apply_options(const cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  for (const std::string& extra : app.remaining()) {
    if (extra.rfind("+verilator+", 0) != 0) {
      throw tb::UsageError(
          fmt::format("unexpected argument '{}' (see cosim --help)", extra));
    }
    options.plusargs.push_back(extra);
  }
  if (cli.mutant >= 0) options.plusargs.push_back(fmt::format("+mutant={}", cli.mutant));
  options.array_given = app.count("--array") > 0;
  options.sequencer.psum_check = cli.psum_check == "write" || cli.psum_check == "pmem-path"
                                     ? tb::PsumCheck::Write
                                 : cli.psum_check == "none" ? tb::PsumCheck::None
                                                            : tb::PsumCheck::Readback;
  apply_profile_flags(app, cli);
  apply_layer(app, cli);
}

void check_trace_options(const tb::RunOptions& options) {
  if (!options.gtkw.empty() && options.trace.path.empty()) {
    throw tb::UsageError("--gtkw needs --trace FILE (the waveform it describes)");
  }
  if (options.trace.from_cycle > options.trace.to_cycle) {
    throw tb::UsageError(fmt::format("--trace-from {} is after --trace-to {}",
                                     options.trace.from_cycle, options.trace.to_cycle));
  }
}

// Where the course's flow checks psums: --psum-check when given (write: at pmem's write port,
// none: not at all, else through the SFP), else `fallback`.
tb::CoursePsumCheck course_psum_check(const cmdline::App& app, const tb::RunOptions& options,
                                      tb::CoursePsumCheck fallback) {
  if (app.count("--psum-check") == 0) return fallback;
  return options.sequencer.psum_check == tb::PsumCheck::Write  ? tb::CoursePsumCheck::PmemPath
         : options.sequencer.psum_check == tb::PsumCheck::None ? tb::CoursePsumCheck::None
                                                                : tb::CoursePsumCheck::Sfp;
}

// --rtl: the profile and where psums are checked on that core.
void resolve_user_core(const cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  options.course_flow = true;
  std::vector<std::string> notes;
  options.profile =
      tb::resolve_profile(cli.rtl_dir, cli.profile_file, cli.profile_overrides, &notes,
                          cli.filelist);
  // Said once, by the cosim that builds the core (the built program resolves it again).
  if (!cli.quiet && !tb::is_user_core_program()) {
    for (const std::string& note : notes) fmt::print("note: {}\n", note);
  }
  options.course_psum_check = course_psum_check(
      app, options,
      options.profile.pmem_path.empty() ? tb::CoursePsumCheck::Sfp : tb::CoursePsumCheck::PmemPath);
  if (options.course_psum_check == tb::CoursePsumCheck::PmemPath &&
      options.profile.pmem_path.empty()) {
    throw tb::UsageError("--psum-check pmem-path needs the path of pmem's memory array "
                         "(--pmem-path, e.g. pmem.memory)");
  }
  if (tb::trace_format_of(options.trace.path) == tb::TraceFormat::Fst) {
    throw tb::UsageError("a user core's build writes VCD waveforms; ask for a .vcd file");
  }
}

[[noreturn]] void exec_program(const std::string& program, char** argv) {
  std::fflush(stdout);
  execv(program.c_str(), argv);
  throw tb::UsageError(fmt::format("cannot run {}", program));
}

// The build of the user's core at --rtl for this profile and shape, where and at which -O level
// the command line says.
tb::UserBuildRequest user_build_request(const Cli& cli, const tb::CoreProfile& profile,
                                        const golden::ArrayShape& array) {
  tb::UserBuildRequest request;
  request.rtl_dir = cli.rtl_dir;
  request.filelist = cli.filelist;
  request.profile = profile;
  request.array = array;
  request.opt_level = cli.user_build_opt;
  request.traced = !cli.user_build_no_trace;
  request.build_root =
      cli.user_build_root.empty() ? default_user_build_root() : cli.user_build_root;
  return request;
}

// probe-core from cosim: ports and width from the top's text (flags still win), then the core
// is built and its own program probes it.
[[noreturn]] void build_and_probe(Cli& cli) {
  std::vector<std::string> evidence;
  tb::CoreProfile start = tb::resolve_profile("", cli.profile_file, {});
  std::string top = start.top;
  for (const auto& [field, value] : cli.profile_overrides) {
    if (field == "top") top = value;
  }
  std::vector<std::string> notes;
  const std::vector<std::string> sources =
      tb::collect_user_sources(cli.rtl_dir, notes, top, cli.filelist);
  // Ties are the user's to declare (a mode input that must be 1): kept from DIR/core.json.
  const std::string declared = cli.rtl_dir + "/core.json";
  if (cli.profile_file.empty() && std::filesystem::exists(declared)) {
    start.tie = tb::load_core_profile(declared).tie;
  }
  start = tb::guess_ports(sources, start, evidence);
  for (const auto& [field, value] : cli.profile_overrides) {
    tb::set_profile_field(start, field, value, profile_flag(field));
  }
  cli.options.profile = start;
  for (const std::string& line : evidence) fmt::print("evidence: {}\n", line);
  const tb::UserBuild build =
      tb::build_user_core(user_build_request(cli, start, tb::array_for(cli.options)));
  const std::string guessed = build.folder + "/probe_start.json";
  std::ofstream(guessed) << start.to_json();
  std::vector<std::string> args{build.program, "probe-core", "--rtl", cli.rtl_dir, "--profile",
                                guessed};
  if (!cli.probe_write.empty()) {
    args.push_back("--write-profile");
    args.push_back(cli.probe_write);
  }
  std::vector<char*> child;
  for (std::string& arg : args) child.push_back(arg.data());
  child.push_back(nullptr);
  exec_program(build.program, child.data());
}

// cosim itself builds the user's core once per content and runs the same command line in the
// program built for it.
[[noreturn]] void build_and_run(const Cli& cli, char** argv) {
  tb::UserBuildRequest request = user_build_request(
      cli, cli.options.profile,
      cli.all_layers ? golden::ArrayShape::square(cli.options.array) : tb::array_for(cli.options));
  request.strict_lint = cli.strict_lint;
  request.quiet = cli.quiet;
  const tb::UserBuild build = tb::build_user_core(request);
  exec_program(build.program, argv);
}

// --course-flow: this build's own core driven as --rtl drives a course core. Its ports are the
// course's; the bits above 33 stay 0, so relu_bypass is off and sfp_out is always ReLU'd.
void use_course_flow_on_own_core(const cmdline::App& app, Cli& cli) {
  tb::RunOptions& options = cli.options;
  options.course_flow = true;
  tb::CoreProfile profile;
  profile.inst_width = tb::inst::kWidth;
  profile.pmem_path = "pmem.memory";
  options.profile = profile;
  options.course_psum_check = course_psum_check(app, options, tb::CoursePsumCheck::Sfp);
}

// --rtl and probe-core: an exit code when handled here, nothing when the layer run follows
// (in the program built for the user's core).
std::optional<int> dispatch_user_core(const cmdline::App& app, Cli& cli, char** argv) {
  // The program cosim --rtl builds for a user's core runs this same main, driving that core.
  const bool user_program = tb::is_user_core_program();
  if (cli.rtl_dir.empty()) {
    if (cli.probe->parsed()) throw tb::UsageError("probe-core needs --rtl DIR (your core's folder)");
    if (user_program) {
      throw tb::UsageError("this program drives a user core: run it through cosim --rtl DIR");
    }
    if (cli.course_flow) use_course_flow_on_own_core(app, cli);
    return std::nullopt;
  }
  resolve_user_core(app, cli);
  if (cli.probe->parsed() && !user_program) build_and_probe(cli);
  if (cli.probe->parsed()) return run_probe(cli.options, cli.rtl_dir, cli.probe_write);
  if (!user_program) build_and_run(cli, argv);
  return std::nullopt;
}

// One layer (or the whole model with --layer all) on the core; prints and writes the results.
int run_layers(const Cli& cli) {
  const tb::RunOptions& options = cli.options;
  if (cli.all_layers) {
    return tb::run_whole_model(options, cli.quiet, cli.jobs, cli.report_path) ? kExitPass
                                                                              : kExitMismatch;
  }
  const tb::RunSummary summary = tb::run_cosim(options);
  if (!cli.quiet) {
    tb::print_summary(stdout, summary);
  } else if (!summary.failure.empty()) {
    fmt::print(stdout, "error: {}\n", summary.failure);
  }
  if (options.course_flow && tb::is_user_core_program()) {
    std::fflush(stdout);
    if (!cli.no_rand_check) random_reset_check(options, summary);
    if (!summary.pass && cli.user_build_no_trace && !cli.no_trace_on_fail) {
      fmt::print(stdout, "note: no waveform around the first mismatch: this core is built "
                         "without waveform code (--user-build-no-trace); the same command "
                         "without that flag builds it with waveforms and writes one\n");
    } else if (!summary.pass && !cli.no_trace_on_fail && options.trace.path.empty()) {
      trace_first_mismatch(options, summary,
                           summary.first_mismatch_cycle >= 0
                               ? static_cast<std::uint64_t>(summary.first_mismatch_cycle)
                               : summary.cycles);
    }
  }
  if (!cli.report_path.empty()) tb::write_json_report(cli.report_path, summary);
  fmt::print(stdout, "{}\n", tb::final_line(summary));
  std::fflush(stdout);
  return summary.pass ? kExitPass : kExitMismatch;
}

// --print-array: the shape the run needs.
int print_array(const tb::RunOptions& options) {
  try {
    const golden::ArrayShape array = tb::array_for(options);
    fmt::print("{}x{}\n", array.row, array.col);
    return kExitPass;
  } catch (const std::exception& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
    return kExitBadInput;
  }
}

// Everything before the run: options settled, subcommands and user cores dispatched. An exit
// code when the program is done, nothing when the layer run follows.
std::optional<int> prepare(const cmdline::App& app, Cli& cli, char** argv) {
  apply_options(app, cli);
  if (cli.check_vectors->parsed()) {
    if (cli.all_layers) throw tb::UsageError("check-vectors --layer takes one features[i] index");
    return run_check_vectors(cli.check_dir, cli.write_meta, cli.print_meta, cli.options.model,
                             app.count("--layer") > 0 ? std::optional<int>(cli.options.layer)
                                                      : std::nullopt);
  }
  check_trace_options(cli.options);
  if (cli.course_flow && !cli.rtl_dir.empty()) {
    throw tb::UsageError("--course-flow drives this build's own core; --rtl DIR always runs "
                         "the course's flow");
  }
  if (!cli.filelist.empty() && cli.rtl_dir.empty()) {
    throw tb::UsageError("--filelist names a user core's files: it needs --rtl DIR");
  }
  if (cli.user_build_no_trace && cli.rtl_dir.empty()) {
    throw tb::UsageError("--user-build-no-trace is for a user core: it needs --rtl DIR");
  }
  if (cli.user_build_no_trace && !cli.options.trace.path.empty()) {
    throw tb::UsageError("--trace needs a core built with waveform code: drop "
                         "--user-build-no-trace");
  }
  if (cli.print_array) return print_array(cli.options);
  return dispatch_user_core(app, cli, argv);
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli;
  cmdline::App app{
      "cosim: runs one convolution layer on the Verilated accelerator core, cycle by cycle, and\n"
      "compares every psum and every ReLU output with the golden model.\n"
      "\n"
      "Inputs are either generated (a layer of a model, --model/--layer/--seed) or a folder of\n"
      "notebook vector files (--vectors DIR, described by its meta.json when present).\n"
      "The last line printed is always 'PASS ...' or 'FAIL ...' with key=value figures.\n"
      "Exit codes: 0 pass, 1 mismatch (or a defect in a vector set's own files, or a hang),\n"
      "2 bad input or usage.",
      "cosim"};
  describe_program(app);
  add_layer_options(app, cli);
  add_output_options(app, cli);
  add_checker_options(app, cli);
  add_report_options(app, cli);
  add_user_core_options(app, cli);
  add_subcommands(app, cli);
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) {
      app.exit(error);
      return kExitPass;
    }
    fmt::print(stderr, "cosim: error: {} (see cosim --help)\n", error.what());
    return kExitBadInput;
  }
  try {
    if (const std::optional<int> done = prepare(app, cli, argv)) return *done;
    run_fst_program_if_needed(cli.options.trace.path, argv);
    return run_layers(cli);
  } catch (const std::exception& error) {
    // golden::InputError and tb::UsageError: the user's to fix.
    fmt::print(stderr, "cosim: error: {}\n", error.what());
  }
  return kExitBadInput;
}
