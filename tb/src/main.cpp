// cosim: the command line (CLI11). Parses options, runs one layer, maps results and errors to exit codes.
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

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "golden/catalog.hpp"
#include "vector_files/doctor.hpp"
#include "golden/error.hpp"
#include "tb/core_driver.hpp"
#include "tb/core_probe.hpp"
#include "tb/cosim.hpp"
#include "tb/errors.hpp"
#include "tb/gtkw.hpp"
#include "tb/report.hpp"
#include "tb/user_core.hpp"
#include "tb/whole_model.hpp"

namespace {

constexpr int kExitPass = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitBadInput = 2;

// The program built by cosim --rtl for a user's core (the same main, driving that core).
#ifdef COSIM_USER_PROGRAM
constexpr bool kUserProgram = true;
#else
constexpr bool kUserProgram = false;
#endif

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

}  // namespace

int main(int argc, char** argv) {
  tb::RunOptions options;
  std::string report_path;
  bool quiet = false;

  CLI::App app{
      "cosim: runs one convolution layer on the Verilated accelerator core, cycle by cycle, and\n"
      "compares every psum and every ReLU output with the golden model.\n"
      "\n"
      "Inputs are either generated (a layer of a model, --model/--layer/--seed) or a folder of\n"
      "notebook vector files (--vectors DIR, described by its meta.json when present).\n"
      "The last line printed is always 'PASS ...' or 'FAIL ...' with key=value figures.\n"
      "Exit codes: 0 pass, 1 mismatch (or a defect in a vector set's own files, or a hang),\n"
      "2 bad input or usage.",
      "cosim"};
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
  app.add_option("--model", options.model, "Model of the layer catalog: vgg16 or vgg16_sq8")
      ->capture_default_str();
  std::string layer_text = std::to_string(options.layer);
  app.add_option("--layer", layer_text,
                 "features[i] index of a conv layer of the model, or 'all': every conv layer of "
                 "the model in order, with a table of cycles, efficiency and wall time")
      ->capture_default_str();
  std::string psum_check = "readback";
  app.add_option("--psum-check", psum_check,
                 "Where psums are checked: readback (through the SFP after each ic tile, costs "
                 "cycles) or write (each word as pmem's write port takes it, no extra cycles); "
                 "with --rtl: sfp (= readback, one word at a time), pmem-path (= write, needs "
                 "--pmem-path) or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"readback", "write", "sfp", "pmem-path", "none"}));
  app.add_option("--seed", options.seed, "Seed of the generated activations and weights")
      ->capture_default_str();
  app.add_option("--vectors", options.vectors,
                 "Run a folder of notebook vector files instead (the shape comes from the set)")
      ->type_name("DIR");
  app.add_option("--dataflow", options.dataflow,
                 "ws (weight-stationary, the course's) or os (output-stationary) for generated "
                 "inputs; a vector set says its own. os-ws-os: the layer output-stationary, "
                 "then weight-stationary, then output-stationary again on one core, reset only "
                 "before the first, each checked against the golden model")
      ->capture_default_str()
      ->check(CLI::IsMember({"ws", "os", "os-ws-os"}));
  app.add_flag("--stress", options.stress,
               "Generated inputs at the formats' corners: weights -8 and 7, activations 15, "
               "all-zero and all-max channels, map rows and columns (sums wrap psum_bw on wide "
               "layers); deterministic by --seed");
  app.add_option("--array", options.array,
                 "Square array size for generated inputs (8 or 16 are built by default)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--trace", options.trace.path,
                 "Write a waveform: FILE.vcd, or FILE.fst with the FST build (cosim_fst)")
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
  app.add_option("--max-cycles", options.max_cycles,
                 "Stop with FAIL after this many cycles (default: from the layer's size)");
  app.add_flag("--no-ofifo-valid-check", [&options](std::int64_t) {
    options.sequencer.check_ofifo_valid = false;
  }, "Schedule by the contract's cycle counts without comparing ofifo_valid with them every "
     "cycle (a core that does not drive it)");
  app.add_option("--stall-cycles", options.stall_cycles,
                 "Watchdog: FAIL after this many cycles without progress")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--rtl-variant", options.rtl_variant,
                 "Run a mutation build of the core (a named fault, tests/mutants/<name>.patch; "
                 "only in programs built with one, such as cosim_mutants, to show the checker "
                 "catches faults)");
  int mutant = -1;
  app.add_option("--mutant", mutant,
                 "In a program built with a Yosys mutant netlist (cosim_mutation): activate "
                 "mutant N (0: none; passes +mutant=N to the model; use with --rtl-variant YOSYS_MUTANTS)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--stop-on-first", options.stop_on_first, "Stop at the first mismatch");
  app.add_flag("--idle-noise", options.idle_noise,
               "In cycles that leave xmem or pmem deselected (CEN=1), drive WEN=0 and the last "
               "address used (xmem: with that word inverted); the core must ignore it");
  app.add_flag("-q,--quiet", quiet,
               "Print only the final PASS/FAIL line (after one 'error:' line when it fails)");
  app.add_option("--report", report_path,
                 "Write the summary as JSON to this file (with --layer all: the whole model's, "
                 "every layer's report in it)")
      ->type_name("FILE");
  int jobs = tb::default_jobs();
  app.add_option("-j,--jobs", jobs,
                 "With --layer all: how many layers run at a time, each in its own worker "
                 "process (1: one after the other in this process)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  bool print_array = false;
  app.add_flag("--print-array", print_array,
               "Print the array shape the run needs (ROWxCOL, e.g. 16x8) and exit; make sim uses "
               "it to build a missing core model");

  // ---- bring your own core ----
  std::string rtl_dir;
  std::string profile_file;
  std::string user_build_root;
  bool strict_lint = false;
  bool no_trace_on_fail = false;
  bool no_rand_check = false;
  app.add_option("--rtl", rtl_dir,
                 "Run your own course core instead: every .v/.sv in DIR (or DIR/filelist), top "
                 "module `core`, driven through the course's bits 33..0 and cycle contract "
                 "(DESIGN.md 3a); built once per content into build/user-cores/ (tb/USER_CORES.md)")
      ->type_name("DIR");
  app.add_option("--profile", profile_file,
                 "The core's profile (default: DIR/core.json when present, else the course's)")
      ->type_name("FILE");
  std::vector<std::pair<std::string, std::string>> profile_overrides;
  std::vector<std::string> profile_values(tb::core_profile_fields().size());
  for (std::size_t i = 0; i < tb::core_profile_fields().size(); ++i) {
    std::string flag = tb::core_profile_fields()[i];
    std::replace(flag.begin(), flag.end(), '_', '-');
    app.add_option("--" + flag, profile_values[i],
                   "With --rtl: profile field " + tb::core_profile_fields()[i] +
                       " (overrides core.json; see tb/USER_CORES.md)" +
                       (flag == "psum-latency" ? "; without --rtl: our core's schedule" : ""))
        ->group("Profile of a user core (--rtl)");
  }
  app.add_flag("--strict-lint", strict_lint,
               "With --rtl: Verilator -Wall warnings in your core are fatal");
  app.add_flag("--no-trace-on-fail", no_trace_on_fail,
               "With --rtl: do not re-run a failing layer to write a waveform around the first "
               "mismatch");
  app.add_flag("--no-rand-check", no_rand_check,
               "With --rtl: skip the two extra runs with random initial state");
  app.add_option("--user-build-dir", user_build_root,
                 "Where user cores are built (default: <build>/user-cores)")
      ->type_name("DIR");

  std::string probe_write;
  CLI::App* probe = app.add_subcommand(
      "probe-core",
      "With --rtl DIR: drive small known stimuli (a kernel load and one execute, then layer 27 "
      "under each candidate profile) and report which profile fits the core, with the evidence "
      "(the cycle the first psum appears, when the OFIFO pops, whether sfp_out is ReLU'd, the "
      "SRAM read style); writes the core.json it would use (DIR/core.json when DIR has none, "
      "else DIR/core.probed.json). Exit 0 a profile fits, 1 none does, 2 bad input.");
  probe->add_option("--write-profile", probe_write, "Write the profile here instead")
      ->type_name("FILE");
  probe->fallthrough();

  std::string check_dir;
  std::string write_meta;
  bool print_meta = false;
  CLI::App* check_vectors = app.add_subcommand(
      "check-vectors",
      "Check a vector set against itself, without the RTL: psums against activations x weights, "
      "out against the psums. Names what is wrong (out_relu, element order, transposed weights, "
      "header lines, shape, negative zeros, off-by-ones) and the meta.json field that fixes it; "
      "without meta.json, prints the one it would write. Exit 0 consistent, 1 not, 2 unreadable. "
      "With --layer N (and --model), the set must also be that layer.");
  check_vectors->add_option("DIR", check_dir, "The set folder")->required();
  check_vectors->add_option("--write-meta", write_meta, "Write the meta.json that describes the set")
      ->type_name("FILE");
  check_vectors->add_flag("--print-meta", print_meta,
                          "Print that meta.json even when the set's own is right");
  check_vectors->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      app.exit(error);
      return kExitPass;
    }
    fmt::print(stderr, "cosim: error: {} (see cosim --help)\n", error.what());
    return kExitBadInput;
  }
  for (const std::string& extra : app.remaining()) {
    if (extra.rfind("+verilator+", 0) == 0) {
      options.plusargs.push_back(extra);
    } else {
      fmt::print(stderr, "cosim: error: unexpected argument '{}' (see cosim --help)\n", extra);
      return kExitBadInput;
    }
  }
  if (mutant >= 0) options.plusargs.push_back(fmt::format("+mutant={}", mutant));
  options.array_given = app.count("--array") > 0;
  options.sequencer.psum_check = psum_check == "write" || psum_check == "pmem-path"
                                     ? tb::PsumCheck::Write
                                 : psum_check == "none" ? tb::PsumCheck::None
                                                        : tb::PsumCheck::Readback;
  for (std::size_t i = 0; i < tb::core_profile_fields().size(); ++i) {
    std::string flag = tb::core_profile_fields()[i];
    std::replace(flag.begin(), flag.end(), '_', '-');
    if (app.count("--" + flag) > 0) {
      if (rtl_dir.empty() && flag == "psum-latency") {
        // Our own core: schedule with another execute-to-OFIFO latency than the contract's
        // (a checker test of what a core off the contract does).
        try {
          options.sequencer.psum_latency = std::stoi(profile_values[i]);
        } catch (const std::exception&) {
          options.sequencer.psum_latency = -1;
        }
        if (options.sequencer.psum_latency < 0) {
          fmt::print(stderr, "cosim: error: --psum-latency {}: expected a number of cycles >= 0\n",
                     profile_values[i]);
          return kExitBadInput;
        }
        continue;
      }
      if (rtl_dir.empty()) {
        fmt::print(stderr, "cosim: error: --{} is a profile field of a user core: it needs "
                   "--rtl DIR\n", flag);
        return kExitBadInput;
      }
      profile_overrides.emplace_back(tb::core_profile_fields()[i], profile_values[i]);
    }
  }
  const bool all_layers = layer_text == "all";
  if (!all_layers) {
    try {
      std::size_t used = 0;
      options.layer = std::stoi(layer_text, &used);
      if (used != layer_text.size()) throw std::invalid_argument(layer_text);
    } catch (const std::exception&) {
      fmt::print(stderr, "cosim: error: --layer {}: expected a features[i] index or 'all' (see "
                 "cosim --help)\n", layer_text);
      return kExitBadInput;
    }
  } else if (!options.vectors.empty()) {
    fmt::print(stderr, "cosim: error: --layer all runs the catalog's layers; it cannot be "
               "combined with --vectors\n");
    return kExitBadInput;
  }
  if (!options.vectors.empty() && app.count("--layer") > 0) {
    // Both given: the set must be that layer (otherwise the set's own shape would silently win).
    try {
      const golden::VectorSet set = golden::load_vector_set(options.vectors);
      golden::require_same_layer(set.meta, golden::find_layer(options.model, options.layer),
                                 set.from_meta_json ? "meta.json" : options.vectors);
    } catch (const golden::InputError& error) {
      fmt::print(stderr, "cosim: error: {}\n", error.what());
      return kExitBadInput;
    }
  }
  if (check_vectors->parsed()) {
    if (all_layers) {
      fmt::print(stderr, "cosim: error: check-vectors --layer takes one features[i] index\n");
      return kExitBadInput;
    }
    return run_check_vectors(check_dir, write_meta, print_meta, options.model,
                             app.count("--layer") > 0 ? std::optional<int>(options.layer)
                                                      : std::nullopt);
  }
  if (!options.gtkw.empty() && options.trace.path.empty()) {
    fmt::print(stderr, "cosim: error: --gtkw needs --trace FILE (the waveform it describes)\n");
    return kExitBadInput;
  }
  if (options.trace.from_cycle > options.trace.to_cycle) {
    fmt::print(stderr, "cosim: error: --trace-from {} is after --trace-to {}\n",
               options.trace.from_cycle, options.trace.to_cycle);
    return kExitBadInput;
  }
  if (print_array) {
    try {
      const golden::ArrayShape array = tb::array_for(options);
      fmt::print("{}x{}\n", array.row, array.col);
      return kExitPass;
    } catch (const std::exception& error) {
      fmt::print(stderr, "cosim: error: {}\n", error.what());
      return kExitBadInput;
    }
  }
  if (!rtl_dir.empty()) {
    try {
      options.course_flow = true;
      options.profile = tb::resolve_profile(rtl_dir, profile_file, profile_overrides);
      if (app.count("--psum-check") > 0) {
        options.course_psum_check = options.sequencer.psum_check == tb::PsumCheck::Write
                                        ? tb::CoursePsumCheck::PmemPath
                                    : options.sequencer.psum_check == tb::PsumCheck::None
                                        ? tb::CoursePsumCheck::None
                                        : tb::CoursePsumCheck::Sfp;
      } else {
        options.course_psum_check = options.profile.pmem_path.empty()
                                        ? tb::CoursePsumCheck::Sfp
                                        : tb::CoursePsumCheck::PmemPath;
      }
      if (options.course_psum_check == tb::CoursePsumCheck::PmemPath &&
          options.profile.pmem_path.empty()) {
        throw tb::UsageError("--psum-check pmem-path needs the path of pmem's memory array "
                             "(--pmem-path, e.g. pmem.memory)");
      }
      if (tb::trace_format_of(options.trace.path) == tb::TraceFormat::Fst) {
        throw tb::UsageError("a user core's build writes VCD waveforms; ask for a .vcd file");
      }
      if (probe->parsed() && !kUserProgram) {
        // Ports and width from the top's text (flags still win), then build and probe.
        std::vector<std::string> notes;
        const std::vector<std::string> sources = tb::collect_user_sources(rtl_dir, notes);
        std::vector<std::string> evidence;
        tb::CoreProfile start = tb::resolve_profile("", profile_file, {});
        start = tb::guess_ports(sources, start, evidence);
        for (const auto& [field, value] : profile_overrides) {
          std::string flag = field;
          std::replace(flag.begin(), flag.end(), '_', '-');
          tb::set_profile_field(start, field, value, "--" + flag);
        }
        options.profile = start;
        for (const std::string& line : evidence) fmt::print("evidence: {}\n", line);
        tb::UserBuildRequest request;
        request.rtl_dir = rtl_dir;
        request.profile = start;
        request.array = tb::array_for(options);
        request.build_root = user_build_root.empty() ? default_user_build_root() : user_build_root;
        const tb::UserBuild build = tb::build_user_core(request);
        const std::string guessed = build.folder + "/probe_start.json";
        std::ofstream(guessed) << start.to_json();
        std::vector<std::string> args{build.program, "probe-core", "--rtl", rtl_dir, "--profile",
                                      guessed};
        if (!probe_write.empty()) {
          args.push_back("--write-profile");
          args.push_back(probe_write);
        }
        std::vector<char*> child;
        for (std::string& arg : args) child.push_back(arg.data());
        child.push_back(nullptr);
        std::fflush(stdout);
        execv(build.program.c_str(), child.data());
        throw tb::UsageError(fmt::format("cannot run {}", build.program));
      }
      if (probe->parsed()) return run_probe(options, rtl_dir, probe_write);
      if (!kUserProgram) {
        tb::UserBuildRequest request;
        request.rtl_dir = rtl_dir;
        request.profile = options.profile;
        request.array = all_layers ? golden::ArrayShape::square(options.array)
                                   : tb::array_for(options);
        request.strict_lint = strict_lint;
        request.build_root = user_build_root.empty() ? default_user_build_root() : user_build_root;
        request.quiet = quiet;
        const tb::UserBuild build = tb::build_user_core(request);
        std::fflush(stdout);
        execv(build.program.c_str(), argv);
        throw tb::UsageError(fmt::format("cannot run {}", build.program));
      }
    } catch (const golden::InputError& error) {
      fmt::print(stderr, "cosim: error: {}\n", error.what());
      return kExitBadInput;
    } catch (const tb::UsageError& error) {
      fmt::print(stderr, "cosim: error: {}\n", error.what());
      return kExitBadInput;
    }
  } else if (probe->parsed()) {
    fmt::print(stderr, "cosim: error: probe-core needs --rtl DIR (your core's folder)\n");
    return kExitBadInput;
  } else if (kUserProgram) {
    fmt::print(stderr, "cosim: error: this program drives a user core: run it through cosim "
               "--rtl DIR\n");
    return kExitBadInput;
  }
  run_fst_program_if_needed(options.trace.path, argv);

  try {
    if (all_layers) {
      return tb::run_whole_model(options, quiet, jobs, report_path) ? kExitPass : kExitMismatch;
    }
    const tb::RunSummary summary = tb::run_cosim(options);
    if (!quiet) {
      tb::print_summary(stdout, summary);
    } else if (!summary.failure.empty()) {
      fmt::print(stdout, "error: {}\n", summary.failure);
    }
    if (options.course_flow) {
      std::fflush(stdout);
      if (!no_rand_check) random_reset_check(options, summary);
      if (!summary.pass && !no_trace_on_fail && options.trace.path.empty()) {
        trace_first_mismatch(options, summary,
                             summary.first_mismatch_cycle >= 0
                                 ? static_cast<std::uint64_t>(summary.first_mismatch_cycle)
                                 : summary.cycles);
      }
    }
    if (!report_path.empty()) tb::write_json_report(report_path, summary);
    fmt::print(stdout, "{}\n", tb::final_line(summary));
    std::fflush(stdout);
    return summary.pass ? kExitPass : kExitMismatch;
  } catch (const golden::InputError& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
  } catch (const tb::UsageError& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
  } catch (const std::exception& error) {
    fmt::print(stderr, "cosim: error: {}\n", error.what());
  }
  return kExitBadInput;
}
