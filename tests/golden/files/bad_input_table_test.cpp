// Bad input, one case per row: what is written into a fresh set folder (or given on the command
// line), the exit class it must end in, and the message it must print (file, line, column, what
// was expected). Rows run through the golden loader, the vector-set doctor, or the cosim program.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "golden/error.hpp"
#include "test_support.hpp"
#include "text_pattern.hpp"
#include "vector_files/doctor.hpp"
#include "vector_files/generator.hpp"
#include "vector_files/vector_set.hpp"

namespace golden {
namespace {

namespace fs = std::filesystem;
using golden_test::read_text;
using golden_test::write_text;
using json = nlohmann::ordered_json;

// How a row changes the fresh set (vgg16_sq8 features[27] on an 8x8 array, seed 3: notebook
// names, 3 header lines, 36 activation records of 32 characters, 8 weight records of 32,
// 36 psum records of 128, 16 out records of 128).
struct Edit {
  enum Kind {
    Write,         // file := text
    Delete,        // remove file ("*" removes every file)
    ReplaceLine,   // physical line `line` := text
    DropLastLine,  // remove the last line
    AppendLine,    // add text as a last line
    MetaSet,       // meta.json at JSON pointer `file` := JSON text
    MetaErase,     // remove the meta.json member at JSON pointer `file`
    Crlf,          // every line ends in " \t\r\n", and two blank lines follow the last
  };
  Kind kind;
  std::string file;
  int line = 0;
  std::string text;
};

Edit write(std::string file, std::string text) { return {Edit::Write, std::move(file), 0, std::move(text)}; }
Edit remove(std::string file) { return {Edit::Delete, std::move(file), 0, ""}; }
Edit replace_line(std::string file, int line, std::string text) {
  return {Edit::ReplaceLine, std::move(file), line, std::move(text)};
}
Edit drop_last_line(std::string file) { return {Edit::DropLastLine, std::move(file), 0, ""}; }
Edit append_line(std::string file, std::string text) {
  return {Edit::AppendLine, std::move(file), 0, std::move(text)};
}
Edit meta_set(std::string pointer, std::string json_text) {
  return {Edit::MetaSet, std::move(pointer), 0, std::move(json_text)};
}
Edit meta_erase(std::string pointer) { return {Edit::MetaErase, std::move(pointer), 0, ""}; }
Edit crlf(std::string file) { return {Edit::Crlf, std::move(file), 0, ""}; }

// What runs the row.
enum class Via {
  Loader,  // load_vector_set + check_vector_set: 0 agrees, 1 disagrees, 2 InputError
  Doctor,  // diagnose_vector_set: its exit code, 2 InputError
  Cli,     // the cosim program with `args` (@SET@ = the set folder): its exit status
};

struct BadInputCase {
  std::string name;
  Via via;
  std::vector<Edit> edits;
  std::vector<std::string> args;
  int exit;           // 0 pass / consistent, 1 mismatch / inconsistent, 2 bad input or usage
  std::string regex;  // must match (text_pattern::search) the message or the program's output
};

void PrintTo(const BadInputCase& row, std::ostream* os) { *os << row.name; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

void apply(const fs::path& dir, const Edit& edit) {
  const fs::path path = dir / edit.file;
  switch (edit.kind) {
    case Edit::Write: write_text(path, edit.text); break;
    case Edit::Delete:
      if (edit.file == "*") {
        for (const auto& entry : fs::directory_iterator(dir)) fs::remove_all(entry.path());
      } else {
        fs::remove(path);
      }
      break;
    case Edit::ReplaceLine: {
      std::vector<std::string> lines = lines_of(read_text(path));
      lines.at(static_cast<std::size_t>(edit.line - 1)) = edit.text;
      write_text(path, joined(lines));
      break;
    }
    case Edit::DropLastLine: {
      std::vector<std::string> lines = lines_of(read_text(path));
      lines.pop_back();
      write_text(path, joined(lines));
      break;
    }
    case Edit::AppendLine: write_text(path, read_text(path) + edit.text + "\n"); break;
    case Edit::Crlf: {
      std::string text;
      for (const std::string& line : lines_of(read_text(path))) text += line + " \t\r\n";
      write_text(path, text + "\r\n\n");
      break;
    }
    case Edit::MetaSet:
    case Edit::MetaErase: {
      json meta = json::parse(read_text(dir / "meta.json"));
      const json::json_pointer pointer(edit.file);
      if (edit.kind == Edit::MetaSet) {
        meta[pointer] = json::parse(edit.text);
      } else {
        meta[pointer.parent_pointer()].erase(pointer.back());
      }
      write_text(dir / "meta.json", meta.dump(2));
      break;
    }
  }
}

struct Outcome {
  int exit = -1;
  std::string message;
};

Outcome run_loader(const fs::path& dir) {
  try {
    const VectorSet set = load_vector_set(dir);
    const CheckReport report = check_vector_set(set);
    if (report.as_declared()) return {0, "consistent"};
    return {1, report.disagreements.front().message()};
  } catch (const InputError& error) {
    return {2, error.what()};
  }
}

Outcome run_doctor(const fs::path& dir) {
  try {
    const DoctorReport report = diagnose_vector_set(dir);
    return {report.exit_code(), format_doctor_report(report)};
  } catch (const InputError& error) {
    return {2, error.what()};
  }
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char ch : text) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return quoted + "'";
}

Outcome run_program(const std::string& program, const std::vector<std::string>& args,
                    const fs::path& dir) {
  std::string command = shell_quote(program);
  for (std::string arg : args) {
    const std::size_t at = arg.find("@SET@");
    if (at != std::string::npos) arg.replace(at, 5, dir.string());
    command += " " + shell_quote(arg);
  }
  command += " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return outcome;
  char buffer[4096];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) outcome.message.append(buffer, count);
  const int status = pclose(pipe);
  outcome.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string cosim_program() {
#ifdef COSIM_PROGRAM
  return COSIM_PROGRAM;
#else
  return "";
#endif
}

class BadInputTable : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(BadInputTable, EndsInItsExitClassWithAMessageNamingThePlace) {
  const BadInputCase& row = GetParam();
  if (row.via == Via::Cli && (cosim_program().empty() || !fs::exists(cosim_program())))
    GTEST_SKIP() << "the cosim program is not built (target cosim)";
  const fs::path dir = fs::path(DOCTOR_SCRATCH_DIR) /
                       fmt::format("table_{}_{}", ::getpid(),
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_vector_set(dir, generate_layer("vgg16_sq8", 27, ArrayShape::square(8), 3));
  for (const Edit& edit : row.edits) apply(dir, edit);

  const Outcome outcome = row.via == Via::Loader   ? run_loader(dir)
                          : row.via == Via::Doctor ? run_doctor(dir)
                                                   : run_program(cosim_program(), row.args, dir);
  fs::remove_all(dir);
  EXPECT_EQ(outcome.exit, row.exit) << outcome.message;
  EXPECT_TRUE(text_pattern::search(outcome.message, row.regex))
      << "message: " << outcome.message << "\nexpected to match: " << row.regex;
  if (row.via != Via::Cli && row.exit == 2) {
    // One line: the message is what main prints after "error: ".
    EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
  }
}

const std::string kActivationLine(32, '0');
const std::string kPsumLine(128, '0');

const BadInputCase kCases[] = {
    // ---- the readers, through the golden loader -------------------------------------------
    {"missing_file", Via::Loader, {remove("weight_kij4.txt")}, {}, 2,
     R"(^weight_kij4\.txt: cannot open file, expected 8 records of 32 characters \(8 elements of 4 bits\)$)"},
    {"empty_file", Via::Loader, {write("activation.txt", "")}, {}, 2,
     R"(^activation\.txt line 1: file ends inside its 3 header lines, expected 36 records of 32 characters)"},
    {"header_only", Via::Loader, {write("out.txt", "#a\n#b\n#c\n")}, {}, 2,
     R"(^out\.txt line 4: no records after the 3 header lines, expected 16 of 128 characters)"},
    {"short_line", Via::Loader, {replace_line("psum_kij2.txt", 10, std::string(127, '0'))}, {}, 2,
     R"(^psum_kij2\.txt line 10: line has 127 characters, expected 128 characters \(8 elements of 16 bits\)$)"},
    {"long_line", Via::Loader, {replace_line("activation.txt", 4, kActivationLine + "0")}, {}, 2,
     R"(^activation\.txt line 4: line has 33 characters, expected 32 characters)"},
    {"character_other_than_0_1", Via::Loader,
     {replace_line("weight_kij1.txt", 5, "0101012" + std::string(25, '0'))}, {}, 2,
     R"(^weight_kij1\.txt line 5 col 7: expected '0' or '1', found '2'$)"},
    {"tab_inside_a_record", Via::Loader,
     {replace_line("activation.txt", 6, "0000\t" + std::string(27, '0'))}, {}, 2,
     R"(^activation\.txt line 6 col 5: expected '0' or '1', found a tab$)"},
    {"non_ascii_byte", Via::Loader,
     {replace_line("out.txt", 9, std::string(20, '0') + "\xc3\xa9" + std::string(106, '0'))}, {},
     2, R"(^out\.txt line 9 col 21: expected '0' or '1', found byte 0xc3$)"},
    {"too_few_records", Via::Loader, {drop_last_line("activation.txt")}, {}, 2,
     R"(^activation\.txt line 39: file ends after 35 records, expected 36 of 32 characters)"},
    {"too_many_records", Via::Loader, {append_line("out.txt", kPsumLine)}, {}, 2,
     R"(^out\.txt line 20: more records than expected: the file holds 17, expected 16$)"},
    {"blank_line_between_records", Via::Loader, {replace_line("weight_kij0.txt", 6, "")}, {}, 2,
     R"(^weight_kij0\.txt line 6: blank line where record 3 was expected)"},
    {"crlf_trailing_blanks_and_blank_lines_at_end_are_accepted", Via::Loader,
     {crlf("activation.txt"), crlf("weight_kij2.txt"), crlf("psum_kij5.txt"), crlf("out.txt")}, {},
     0, R"(^consistent$)"},
    {"psum_that_disagrees_with_its_inputs", Via::Loader,
     {replace_line("psum_kij0.txt", 4, std::string(127, '0') + "1")}, {}, 1,
     R"(^psum_kij0\.txt line 4 col 0: file has 1, its inputs give 0$)"},

    // ---- meta.json, through the golden loader ---------------------------------------------
    {"meta_json_not_json", Via::Loader, {write("meta.json", "{\n  \"array\": {\"row\": 8,, }\n}\n")},
     {}, 2, R"(^meta\.json line 2 col 2[0-9]: invalid JSON: )"},
    {"meta_json_empty", Via::Loader, {write("meta.json", "")}, {}, 2,
     R"(^meta\.json line 1 col 1: invalid JSON: )"},
    {"meta_json_not_an_object", Via::Loader, {write("meta.json", "[1, 2]")}, {}, 2,
     R"(^meta\.json: expected a JSON object at the top level$)"},
    {"meta_json_number_too_large", Via::Loader, {write("meta.json", "{\"bw\": 1E999}")}, {}, 2,
     R"(^meta\.json line 1 col 8: invalid JSON: number overflow parsing '1E999'$)"},
    {"meta_json_missing_field", Via::Loader, {meta_erase("/files")}, {}, 2,
     R"(^meta\.json: field "files": expected an object, found nothing$)"},
    {"meta_json_missing_nested_field", Via::Loader, {meta_erase("/layer/width")}, {}, 2,
     R"(^meta\.json: field "layer\.width": expected an integer, found nothing$)"},
    {"meta_json_mistyped_field", Via::Loader, {meta_set("/array/row", "\"8\"")}, {}, 2,
     R"(^meta\.json: field "array\.row": expected an integer, found "8"$)"},
    {"meta_json_unknown_value", Via::Loader, {meta_set("/element_order", "\"reversed\"")}, {}, 2,
     R"(^meta\.json: field "element_order": expected one of "high_first", "low_first", found "reversed"$)"},
    {"meta_json_unknown_placeholder", Via::Loader,
     {meta_set("/files/weight", "\"weight_{kij}_{k}.txt\"")}, {}, 2,
     R"(^meta\.json: pattern "weight_\{kij\}_\{k\}\.txt": unknown placeholder \{k\})"},
    {"meta_json_tiles_disagree_with_layer", Via::Loader, {meta_set("/tiles/ic", "2")}, {}, 2,
     R"(^meta\.json: field "tiles": 2 ic x 1 oc tiles, but 8->8 channels on a 8x8 array need 1 x 1$)"},
    {"meta_json_layer_too_large_to_hold", Via::Loader,
     {meta_set("/layer", R"({"in_ch": 65536, "out_ch": 65536, "height": 4096, "width": 4096})"),
      meta_erase("/tiles")},
     {}, 2, R"(^meta\.json: layer 65536->65536 channels at 4096x4096 is too large)"},
    {"meta_json_map_disagrees_with_files", Via::Loader, {meta_set("/layer/height", "5")}, {}, 2,
     R"(^activation\.txt line 40: file ends after 36 records, expected 42 of 32 characters)"},
    {"meta_json_array_disagrees_with_files", Via::Loader,
     {meta_set("/array", R"({"row": 16, "col": 8})")}, {}, 2,
     R"(^activation\.txt line 4: line has 32 characters, expected 64 characters \(16 elements of 4 bits\)$)"},
    {"meta_json_header_lines_disagree_with_files", Via::Loader, {meta_set("/header_lines", "2")},
     {}, 2, R"(^activation\.txt line 3 col 1: expected '0' or '1', found '#'$)"},
    {"meta_json_channels_the_files_do_not_have", Via::Loader,
     {meta_set("/layer/in_ch", "4")}, {}, 2,
     R"(^activation\.txt line [0-9]+: .*4 input channels)"},
    {"meta_json_malformed_known_defect", Via::Loader,
     {meta_set("/expect", "\"defects\""), meta_set("/known_defects", R"(["psum_kij0.txt line 4"])")},
     {}, 2, R"(^meta\.json: known_defects entry "psum_kij0\.txt line 4": expected "file:line:element: what"$)"},
    {"meta_json_known_defect_without_element", Via::Loader,
     {meta_set("/expect", "\"defects\""), meta_set("/known_defects", R"(["psum_kij0.txt:4: x"])")},
     {}, 2, R"(^meta\.json: known_defects entry "psum_kij0\.txt:4: x": expected "file:line:element: what"$)"},
    {"meta_json_known_defect_without_file", Via::Loader,
     {meta_set("/expect", "\"defects\""), meta_set("/known_defects", R"(["  :4:1: x"])")},
     {}, 2, R"(^meta\.json: known_defects entry "  :4:1: x": expected "file:line:element: what"$)"},
    {"meta_json_known_defect_line_too_large", Via::Loader,
     {meta_set("/expect", "\"defects\""),
      meta_set("/known_defects", R"(["psum_kij0.txt:99999999999:1: x"])")},
     {}, 2, R"(^meta\.json: known_defects entry .*: line or element number too large$)"},
    {"meta_json_defects_listed_but_expect_pass", Via::Loader,
     {meta_set("/known_defects", R"(["psum_kij0.txt:4:0: x"])")}, {}, 2,
     R"(^meta\.json: field "known_defects" lists defects but "expect" is "pass"$)"},

    // ---- the vector-set doctor --------------------------------------------------------------
    {"doctor_empty_folder", Via::Doctor, {remove("*")}, {}, 2,
     R"(doctor_empty_folder: no meta\.json and no activation file \(a name containing "act"\))"},
    {"doctor_unreadable_under_every_reading", Via::Doctor,
     {replace_line("weight_kij1.txt", 5, "0101012" + std::string(25, '0'))}, {}, 2,
     R"(^weight_kij1\.txt line 5 col 7: expected '0' or '1', found '2'$)"},
    {"doctor_no_meta_json_and_no_square_map", Via::Doctor,
     {remove("meta.json"), drop_last_line("activation.txt")}, {}, 2,
     R"(^activation\.txt: no meta\.json, and the line widths and record counts of activation\.txt and weight_kij\{kij\}\.txt do not give an array and a square map$)"},
    {"doctor_no_meta_json_weight_files_missing_a_kij", Via::Doctor,
     {remove("meta.json"), remove("weight_kij4.txt")}, {}, 2,
     R"(^weight_kij[0-9]\.txt: no meta\.json, and the weight files are not 9 files numbered 0\.\.8)"},
    {"doctor_map_disagrees_with_files", Via::Doctor, {meta_set("/layer/height", "5")}, {}, 1,
     R"(\n- the files give layer\.height = 4, meta\.json says 5 \(activation\.txt holds 36 records = a 6x6 padded map\): set layer\.height=4\n)"},
    {"doctor_array_disagrees_with_files", Via::Doctor,
     {meta_set("/array", R"({"row": 16, "col": 8})"), meta_set("/layer/in_ch", "16")}, {}, 1,
     R"(\n- the files give array\.row = 8, meta\.json says 16 \(activation\.txt lines hold 32 characters = 8 rows of 4 bits\): set array\.row=8\n)"},
    {"doctor_header_lines_disagree_with_files", Via::Doctor, {meta_set("/header_lines", "4")}, {},
     1, R"(have 3 line\(s\) before their first record, meta\.json says 4: set header_lines=3\n)"},
    {"doctor_file_names_disagree_with_meta_json", Via::Doctor,
     {meta_set("/files/weight", "\"weight_{kij}.txt\"")}, {}, 1,
     R"(the folder holds weight_kij0\.txt \.\. weight_kij8\.txt \(9 files\), not the files "weight_\{kij\}\.txt" names: set files\.weight="weight_kij\{kij\}\.txt")"},

    // ---- the command line ---------------------------------------------------------------------
    {"cli_layer_that_is_not_a_conv_layer", Via::Cli, {}, {"--layer", "28"}, 2,
     R"(cosim: error: vgg16_sq8 features\[28\] is ReLU, not a conv layer; conv layers are 0, 3, )"},
    {"cli_layer_past_the_model", Via::Cli, {}, {"--layer", "99"}, 2,
     R"(cosim: error: vgg16_sq8 has no features\[99\])"},
    {"cli_unknown_model", Via::Cli, {}, {"--model", "resnet", "--layer", "3"}, 2,
     R"(cosim: error: .*resnet)"},
    {"cli_array_size_out_of_range", Via::Cli, {}, {"--array", "100"}, 2,
     R"(cosim: error: .*--array.*100)"},
    {"cli_array_size_not_built", Via::Cli, {}, {"--array", "3"}, 2,
     R"(cosim: error: no 3x3 core model in this build)"},
    {"cli_vectors_unreadable", Via::Cli,
     {replace_line("weight_kij1.txt", 5, "0101012" + std::string(25, '0'))},
     {"--vectors", "@SET@"}, 2,
     R"(cosim: error: weight_kij1\.txt line 5 col 7: expected '0' or '1', found '2')"},
    {"cli_vectors_shape_not_the_layer", Via::Cli, {}, {"--vectors", "@SET@", "--layer", "24"}, 2,
     R"(cosim: error: meta\.json: the set is a 8->8 channel layer at 4x4, but vgg16_sq8 features\[24\] is 256->8 at 4x4)"},
    {"cli_check_vectors_consistent", Via::Cli, {}, {"check-vectors", "@SET@"}, 0,
     R"(\nCONSISTENT as meta\.json describes it\n)"},
    {"cli_check_vectors_planted_fault", Via::Cli, {meta_set("/out_relu", "false")},
     {"check-vectors", "@SET@"}, 1,
     R"(\n- out\.txt matches if read as ReLU outputs \(negative sums clamped to 0\): set out_relu=true\n)"},
    {"cli_check_vectors_unreadable", Via::Cli, {remove("activation.txt")},
     {"check-vectors", "@SET@"}, 2, R"(cosim: error: activation\.txt: cannot open file)"},
    {"cli_check_vectors_missing_folder", Via::Cli, {}, {"check-vectors", "@SET@/absent"}, 2,
     R"(cosim: error: .*absent: no such folder)"},
    {"cli_check_vectors_set_matches_layer", Via::Cli, {}, {"check-vectors", "@SET@", "--layer", "27"},
     0, R"(CONSISTENT)"},
    {"cli_check_vectors_set_shape_not_the_layer", Via::Cli, {},
     {"check-vectors", "@SET@", "--layer", "24"}, 2,
     R"(cosim: error: meta\.json: the set is a 8->8 channel layer at 4x4, but vgg16_sq8 features\[24\] is 256->8 at 4x4)"},
    {"cli_check_vectors_layer_not_conv", Via::Cli, {}, {"check-vectors", "@SET@", "--layer", "26"},
     2, R"(cosim: error: vgg16_sq8 features\[26\] is .*, not a conv layer)"},
};

INSTANTIATE_TEST_SUITE_P(Rows, BadInputTable, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<BadInputCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace golden
