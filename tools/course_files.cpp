// Writes a vector set as the files a course testbench reads (activation.txt, weight_kij0..8.txt, out.txt) plus the iverilog parameters of its layer, or says why it cannot.
#include <fmt/format.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "golden/error.hpp"
#include "tb/command_line.hpp"
#include "vector_files/layer_files.hpp"
#include "vector_files/vector_file.hpp"
#include "vector_files/vector_set.hpp"

namespace {

namespace fs = std::filesystem;

// Exit code for a readable set the course flow cannot run (the reason is printed).
constexpr int kNotEligible = 77;
constexpr int kPmemWords = 2048;

// Empty when the course flow can run the set: one weight-stationary tile, ReLU outputs that
// agree with its own inputs, and every kij's psums fitting pmem side by side.
std::string why_not_eligible(const golden::VectorSet& set, int max_array) {
  if (max_array > 0 && (set.array.row > max_array || set.array.col > max_array)) {
    return fmt::format("its {}x{} array is larger than --max-array {}", set.array.row,
                       set.array.col, max_array);
  }
  if (set.dataflow != golden::Dataflow::WeightStationary) return "it is output-stationary";
  if (set.tiling.ic_tiles != 1 || set.tiling.oc_tiles != 1) {
    return fmt::format("it has {} ic x {} oc tiles (the course flow runs one)", set.tiling.ic_tiles,
                       set.tiling.oc_tiles);
  }
  if (!set.outputs) return "it has no out file";
  if (!set.meta.out_relu) return "its out file holds raw sums, not ReLU outputs";
  const int nij = (set.shape.height + 2) * (set.shape.width + 2);
  if (golden::kKijCount * nij > kPmemWords) {
    return fmt::format("9 x {} psum words do not fit pmem's {} words", nij, kPmemWords);
  }
  const golden::CheckReport report = golden::check_vector_set(set);
  if (!report.disagreements.empty()) {
    return "its files disagree with its own inputs (run cosim check-vectors)";
  }
  return {};
}

void write_course_files(const golden::VectorSet& set, const fs::path& out) {
  fs::create_directories(out);
  using golden::FileKind;
  using golden::RecordFormat;
  const golden::ArrayShape& array = set.array;
  golden::write_record_file(out / "activation.txt", RecordFormat::of(FileKind::Activation, array),
                            golden::activation_records(set.activations, array, 0),
                            golden::notebook_header(FileKind::Activation, array));
  for (int kij = 0; kij < golden::kKijCount; ++kij) {
    golden::write_record_file(out / fmt::format("weight_kij{}.txt", kij),
                              RecordFormat::of(FileKind::Weight, array),
                              golden::weight_records(set.weights, array, 0, 0, kij),
                              golden::notebook_header(FileKind::Weight, array));
  }
  golden::write_record_file(out / "out.txt", RecordFormat::of(FileKind::Out, array),
                            golden::out_records(*set.outputs, array, 0),
                            golden::notebook_header(FileKind::Out, array));
  // One iverilog option per line: the testbench's parameters for this layer.
  const fs::path args_path = out / "core_tb.args";
  std::ofstream args(args_path);
  const golden::LayerShape& shape = set.shape;
  args << fmt::format("-Pcore_tb.row={}\n-Pcore_tb.col={}\n", array.row, array.col)
       << fmt::format("-Pcore_tb.len_onij={}\n-Pcore_tb.o_ni_dim={}\n", shape.height * shape.width,
                      shape.width)
       << fmt::format("-Pcore_tb.a_pad_ni_dim={}\n-Pcore_tb.len_nij={}\n", shape.width + 2,
                      (shape.height + 2) * (shape.width + 2));
  if (!args) throw golden::InputError(args_path.string(), "write failed");
}

}  // namespace

int main(int argc, char** argv) {
  cmdline::App app{
      "Write a vector set as the files the course's testbench flow reads "
      "(tests/course/core_tb.v): activation.txt, weight_kij0..8.txt and out.txt with "
      "three comment lines each, and core_tb.args (one iverilog option a line) with "
      "the layer's parameters. Exit 0 written, 77 the set is readable but the course "
      "flow cannot run it (the reason is printed), 2 unreadable."};
  std::string set_dir;
  std::string out;
  int max_array = 0;
  app.add_option("set", set_dir, "vector set folder (meta.json or inferred)")->required();
  app.add_option("--out", out, "output folder (created if missing)")->required();
  app.add_option("--max-array", max_array,
                 "treat sets whose array has more rows or columns as not for the course flow "
                 "(0: no limit)");
  try {
    app.parse(argc, argv);
  } catch (const cmdline::ParseError& error) {
    if (error.exit_code() == 0) return app.exit(error);  // --help
    fmt::print(stderr, "course_files: {}\n", error.what());
    return 2;
  }
  try {
    const golden::VectorSet set = golden::load_vector_set(set_dir);
    const std::string reason = why_not_eligible(set, max_array);
    if (!reason.empty()) {
      fmt::print("course_files: {}: not for the course flow: {}\n", set_dir, reason);
      return kNotEligible;
    }
    write_course_files(set, out);
    fmt::print("course_files: {} -> {} ({}x{} array, {}x{} map)\n", set_dir, out, set.array.row,
               set.array.col, set.shape.height, set.shape.width);
    return 0;
  } catch (const std::exception& error) {
    fmt::print(stderr, "course_files: {}\n", error.what());
    return 2;
  }
}
