// A user core as cosim reads it from the text: its files (testbenches skipped, modules from subfolders), the top's ports and parameters, and the wrapper it generates around it (the shape parameters by the top's own names, ports outside the contract connected explicitly).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/catalog.hpp"
#include "golden/error.hpp"
#include "tb/core_probe.hpp"
#include "tb/core_profile.hpp"
#include "tb/errors.hpp"
#include "tb/user_core.hpp"

namespace {

namespace fs = std::filesystem;

// The text as a file in a scratch folder of its own.
std::string write_top(const std::string& name, const std::string& text) {
  const fs::path folder = fs::path(TB_TEST_SCRATCH_DIR) / "user_top";
  fs::create_directories(folder);
  const fs::path path = folder / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(UserTop, ParametersOfTheHeaderListAndTheBodyButNotLocalparams) {
  const std::string file = write_top("ansi.v", R"(
// module core #(parameter commented = 1) is not the module
module other #(parameter row = 99) (input wire clk);
endmodule
module core #(
    parameter ROW = 8,
    parameter [3:0] Col = 4'd8,  // a sized default
    parameter integer bw = 4
) (
    input  wire clk,
    input  wire [33:0] inst,
    output wire [Col*16-1:0] sfp_out
);
  parameter psum_bw = 16, mask = {2'b01, 2'b10}, last = (1 + 2);
  localparam depth = 64;
  /* parameter hidden = 1; */
endmodule
)");
  const tb::TopPorts top = tb::top_ports({file}, "core");
  EXPECT_EQ(top.file, "ansi.v");
  EXPECT_EQ(top.parameters,
            (std::vector<std::string>{"ROW", "Col", "bw", "psum_bw", "mask", "last"}));
  ASSERT_EQ(top.ports.count("inst"), 1U);
  EXPECT_EQ(top.ports.at("inst").direction, "input");
  EXPECT_EQ(top.ports.at("inst").range, "[33:0]");
  EXPECT_EQ(top.ports.at("sfp_out").direction, "output");
}

TEST(UserTop, NonAnsiTopWithOneParameterStatement) {
  const std::string file = write_top("non_ansi.v", R"(
module core (clk, reset, inst, D_xmem, D_wmem, ofifo_valid, sfp_out);
    parameter bw = 3'd4, psum_bw = 16, col = 4'd8, row = 4'd8;
    input clk, reset;
    input [46:0] inst;
    input [bw*row-1:0] D_xmem;
    input [bw*row-1:0] D_wmem;
    output ofifo_valid;
    output [psum_bw*col-1:0] sfp_out;
endmodule
)");
  const tb::TopPorts top = tb::top_ports({file}, "core");
  EXPECT_EQ(top.parameters, (std::vector<std::string>{"bw", "psum_bw", "col", "row"}));
  ASSERT_EQ(top.ports.count("D_wmem"), 1U);
  EXPECT_EQ(top.ports.at("D_wmem").direction, "input");
  EXPECT_EQ(top.ports.at("reset").direction, "input");
  EXPECT_THROW(tb::top_ports({file}, "corelet"), tb::UsageError);
}

TEST(UserTop, PortsWithoutAUsualNameAreFoundByTheirDeclaredWidthWhenOnlyOneFits) {
  const std::string file = write_top("unusual_names.v", R"(
module core #(parameter row = 8, col = 8, bw = 4, psum_bw = 16) (
    input clk, input reset,
    input [34:0] cmd,
    input [bw*row-1:0] act_data,
    output valid,
    output [psum_bw*col-1:0] coreOut,
    output [31:0] xmem_out
);
endmodule
)");
  std::vector<std::string> evidence;
  const tb::CoreProfile profile = tb::guess_ports({file}, tb::CoreProfile{}, evidence);
  EXPECT_EQ(profile.inst, "cmd");
  EXPECT_EQ(profile.inst_width, 35);
  EXPECT_EQ(profile.d_xmem, "act_data");
  EXPECT_EQ(profile.ofifo_valid, "valid");
  EXPECT_EQ(profile.sfp_out, "coreOut");
  ASSERT_FALSE(evidence.empty());
  EXPECT_NE(evidence.front().find("sfp_out coreOut[psum_bw*col-1:0] (not a usual name: the one "
                                  "output declared col * psum_bw wide)"),
            std::string::npos)
      << evidence.front();

  // Two inputs as wide as the rows: neither is taken, the default name stays (and the build
  // then names the missing port).
  const std::string two = write_top("two_data_inputs.v", R"(
module core (clk, reset, inst, act_in, weight_in, ofifo_valid, sfp_out);
  parameter row = 8, bw = 4, col = 8, psum_bw = 16;
  input clk, reset;
  input [33:0] inst;
  input [row*bw-1:0] act_in, weight_in;
  output ofifo_valid;
  output [col*psum_bw-1:0] sfp_out;
endmodule
)");
  evidence.clear();
  const tb::CoreProfile ambiguous = tb::guess_ports({two}, tb::CoreProfile{}, evidence);
  EXPECT_EQ(ambiguous.d_xmem, "D_xmem");
  EXPECT_NE(evidence.front().find("d_xmem: none of the usual names, keeping 'D_xmem'"),
            std::string::npos)
      << evidence.front();
}

TEST(UserTop, AMissingTopNamesTheModulesNoOtherOneInstantiates) {
  const std::string top = write_top("candidates_top.v", R"(
module Core_Top #(parameter row = 8) (input clk);
  sub #(.w(4)) u_sub (.clk(clk));
  leaf u_leaf (.clk(clk));
endmodule
)");
  const std::string blocks = write_top("candidates_blocks.v", R"(
module sub #(parameter w = 1) (input clk);
endmodule
module leaf (input clk);
endmodule
// module commented_out (input clk); endmodule
module spare (input clk);
endmodule
)");
  try {
    tb::top_ports({top, blocks}, "core");
    FAIL() << "expected a UsageError";
  } catch (const tb::UsageError& error) {
    EXPECT_EQ(std::string(error.what()),
              "no module core in the core's files (the profile's \"top\"): modules no other one "
              "instantiates: Core_Top (candidates_top.v), spare (candidates_blocks.v); name the "
              "top with --top NAME (or \"top\" in core.json)");
  }
}

TEST(UserTop, ShapeParametersMatchIgnoringCaseAndNameTheMissingOnesEmpty) {
  const tb::TopConnection found = tb::shape_parameters({"ROW", "Col", "bw", "depth"});
  EXPECT_EQ(found.row, "ROW");
  EXPECT_EQ(found.col, "Col");
  EXPECT_EQ(found.bw, "bw");
  EXPECT_EQ(found.psum_bw, "");
  const tb::TopConnection none = tb::shape_parameters({"rows", "bw_in"});
  EXPECT_EQ(none.row, "");
  EXPECT_EQ(none.bw, "");
}

TEST(UserTop, WrapperPassesTheTopsParameterNamesAndTiesPortsOutsideTheContract) {
  tb::CoreProfile profile;
  tb::TopConnection connection = tb::shape_parameters({"ROW", "COL", "BW"});
  connection.unmapped = {{"D_wmem", "input"}, {"debug", "output"}, {"mystery", ""}};
  const golden::ArrayShape array{16, 8, 4, 16};
  const std::string wrapper = tb::user_wrapper_verilog(profile, array, connection);
  EXPECT_NE(wrapper.find("      .ROW(16),\n      .COL(8),\n      .BW(4)\n  ) u_core ("),
            std::string::npos)
      << wrapper;
  EXPECT_EQ(wrapper.find("psum_bw"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find(".D_wmem(0),"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find(".debug(),"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find(".mystery(),"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find("input  wire [63:0] D_xmem"), std::string::npos) << wrapper;

  // A top without any shape parameter is instantiated without a parameter list.
  const std::string bare =
      tb::user_wrapper_verilog(profile, array, tb::shape_parameters({"depth"}));
  EXPECT_NE(bare.find("  core u_core (\n"), std::string::npos) << bare;
  // The default: the course's names.
  const std::string usual = tb::user_wrapper_verilog(profile, array);
  EXPECT_NE(usual.find(".row(16),\n      .col(8),\n      .bw(4),\n      .psum_bw(16)\n"),
            std::string::npos)
      << usual;
}

TEST(VerilogText, CommentsGoStringsStayLineBreaksStay) {
  const std::string code = tb::verilog_without_comments(
      "a // one\nb /* two\nthree */ c \"d // e /* f\" g\n");
  EXPECT_EQ(code, "a  \nb  \n c \"d // e /* f\" g\n");
}

TEST(VerilogText, ModuleDeclarationsWithAndWithoutPorts) {
  const std::string code = tb::verilog_without_comments(R"(
module with_ports #(parameter w = 4) (input wire [w-1:0] a);
endmodule
module core_tb;
  initial $finish;
endmodule
module empty_list #(parameter n = (1 + 2)) ( );
endmodule  // module commented (input x);
macromodule old_style (a, b);
endmodule
)");
  const std::vector<tb::ModuleDeclaration> modules = tb::declared_modules(code);
  ASSERT_EQ(modules.size(), 4u);
  // module first, then macromodule.
  EXPECT_EQ(modules[0].name, "with_ports");
  EXPECT_TRUE(modules[0].has_ports);
  EXPECT_EQ(modules[0].line, 2);
  EXPECT_EQ(modules[1].name, "core_tb");
  EXPECT_FALSE(modules[1].has_ports);
  EXPECT_EQ(modules[1].line, 4);
  EXPECT_EQ(modules[2].name, "empty_list");
  EXPECT_FALSE(modules[2].has_ports);
  EXPECT_EQ(modules[3].name, "old_style");
  EXPECT_TRUE(modules[3].has_ports);
}

TEST(VerilogText, AnInstanceIsTheWholeNameNotAPrefixNorTheDeclaration) {
  const std::string code = tb::verilog_without_comments(R"(
module fifo #(parameter depth = 4) (input clk);
endmodule
module user (input clk);
  wire fifo_depth (clk);
  my$cell u_cell (.clk(clk));
endmodule
)");
  const auto instantiates = [](const std::string& text, const std::string& module) {
    return tb::instance_names(text).count(module) != 0;
  };
  EXPECT_FALSE(instantiates(code, "fifo"));
  EXPECT_TRUE(instantiates(code + "module x (input c); fifo #(.depth(2)) u (.clk(c)); "
                                  "endmodule",
                           "fifo"));
  EXPECT_TRUE(instantiates(code + "fifo u_lanes [3:0] (.clk(c));", "fifo"));
  EXPECT_TRUE(instantiates(code, "my$cell"));
  EXPECT_FALSE(instantiates(code, "my"));
  // In one pass: every name used as an instance's module, not a declaration's own name.
  EXPECT_EQ(tb::instance_names(tb::verilog_without_comments(R"(
module top #(parameter n = 2) (input clk);
  sub #(.w(4)) u_sub (.clk(clk));
  leaf u_leaf [1:0] (.clk(clk));
  macromodule old (a);
  if (n > 1) begin : g_more
    leaf2 u_more(.clk(clk));  // comment u_c (clk)
  end
  reg [3:0] memory [0:3];
endmodule
)")),
            (std::set<std::string>{"leaf", "leaf2", "sub"}));
}

// The message of the golden::InputError `run` throws, or "" when it throws none.
template <typename Run>
std::string input_error(Run run) {
  try {
    run();
  } catch (const golden::InputError& error) {
    return error.what();
  }
  return "";
}

// A user's folder in the scratch folder, made anew: file name -> text.
std::string write_folder(const std::string& name,
                         const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path folder = fs::path(TB_TEST_SCRATCH_DIR) / "user_files" / name;
  fs::remove_all(folder);
  for (const auto& [file, text] : files) {
    fs::create_directories((folder / file).parent_path());
    std::ofstream(folder / file) << text;
  }
  return folder.string();
}

std::vector<std::string> names_below(const std::string& folder,
                                     const std::vector<std::string>& files) {
  std::vector<std::string> names;
  for (const std::string& file : files) {
    names.push_back(fs::path(file).lexically_relative(folder).string());
  }
  return names;
}

const char* const kTop = "module core (input clk);\n  corelet u_corelet (.clk(clk));\nendmodule\n";

TEST(UserFiles, TestbenchesByNameOrByContentAreSkippedAndSaid) {
  const std::string dir = write_folder(
      "testbenches", {{"core.v", kTop},
                      {"corelet.v", "module corelet (input clk);\nendmodule\n"},
                      {"customTB.v", "module customTB;\n  core u (.clk(1'b0));\nendmodule\n"},
                      {"core_tb.v", "module core_tb;\nendmodule\n"},
                      {"defines.v", "`define WIDTH 4\n"}});
  std::vector<std::string> notes;
  const tb::UserSources found = tb::collect_user_files(dir, notes);
  EXPECT_EQ(names_below(dir, found.files),
            (std::vector<std::string>{"core.v", "corelet.v", "defines.v"}));
  EXPECT_EQ(found.include_dirs, std::vector<std::string>{dir});
  ASSERT_EQ(notes.size(), 2u);
  std::sort(notes.begin(), notes.end());
  EXPECT_EQ(notes[0], "skipped core_tb.v (a testbench by its name; list files in " + dir +
                          "/filelist to choose)");
  EXPECT_EQ(notes[1], "skipped customTB.v (a testbench: no module in it has ports; list files "
                      "in " + dir + "/filelist to choose)");
}

TEST(UserFiles, AModuleTheFolderLacksComesFromTheOneSubfolderFileDeclaringIt) {
  const std::string dir = write_folder(
      "subfolders",
      {{"core.v", kTop},
       {"array/corelet.v", "module corelet (input clk);\n  mac u_mac (.clk(clk));\nendmodule\n"},
       {"array/mac.v", "module mac (input clk);\nendmodule\n"},
       {"array/mac_tb.v", "module mac_tb;\nendmodule\n"},
       {"spare/unused.v", "module unused (input clk);\nendmodule\n"},
       {".git/core.v", "module corelet (input clk);\nendmodule\n"}});
  std::vector<std::string> notes;
  const tb::UserSources found = tb::collect_user_files(dir, notes);
  EXPECT_EQ(names_below(dir, found.files),
            (std::vector<std::string>{"core.v", "array/corelet.v", "array/mac.v"}));
  EXPECT_EQ(found.include_dirs, (std::vector<std::string>{dir, dir + "/array"}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "took 2 files from subfolders of " + dir +
                          ", each the one that declares a module the others instantiate and "
                          "none of them declares (module for file): array/corelet.v (corelet "
                          "for core.v), array/mac.v (mac for corelet.v)");
}

TEST(UserFiles, AModuleTwoSubfolderFilesDeclareIsAnErrorNamingBoth) {
  const std::string dir = write_folder(
      "two_versions", {{"core.v", kTop},
                       {"part1/corelet.v", "module corelet (input clk);\nendmodule\n"},
                       {"part2/corelet.v",
                        "module corelet (input clk, input mode);\nendmodule\n"}});
  std::vector<std::string> notes;
  try {
    tb::collect_user_files(dir, notes);
    FAIL() << "expected an InputError";
  } catch (const golden::InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              dir + ": --rtl: core.v instantiates module corelet, which none of the files "
                    "taken so far declares, and 2 files below " + dir + " do, none nearer to "
                    "it than the others: part1/corelet.v, part2/corelet.v; list the files to "
                    "build in " + dir + "/filelist");
  }
}

TEST(UserFiles, ARepositoryFolderStartsFromItsOneTopAndTakesTheNearestBlocks) {
  // Part 1's top and blocks in sibling folders, part 2's blocks of the same names elsewhere.
  const std::string dir = write_folder(
      "repository",
      {{"README.md", "a course project\n"},
       {"part1/core/core.v", kTop},
       {"part1/blocks/corelet.v", "module corelet (input clk);\n  mac u (.clk(clk));\nendmodule\n"},
       {"part1/blocks/mac.v", "module mac (input clk);\nendmodule\n"},
       {"part2/blocks/corelet.v", "module corelet (input clk, input mode);\nendmodule\n"},
       {"part2/blocks/mac.v", "module mac (input clk);\nendmodule\n"},
       {"sim/core_tb.v", "module core_tb;\nendmodule\n"}});
  std::vector<std::string> notes;
  const tb::UserSources found = tb::collect_user_files(dir, notes);
  EXPECT_EQ(names_below(dir, found.files),
            (std::vector<std::string>{"part1/core/core.v", "part1/blocks/corelet.v",
                                      "part1/blocks/mac.v"}));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], dir + " has no .v or .sv files of its own: the top `core` is taken from "
                            "part1/core/core.v, the only file below it that declares it");
  EXPECT_NE(notes[1].find("part1/blocks/corelet.v (corelet for core.v), part1/blocks/mac.v "
                          "(mac for corelet.v)"),
            std::string::npos)
      << notes[1];

  // Two tops: name them.
  const std::string two =
      write_folder("repository_two_tops", {{"a/core.v", kTop}, {"b/core.v", kTop}});
  EXPECT_EQ(input_error([&] { tb::collect_user_files(two, notes); }),
            two + ": --rtl: no .v or .sv files in the folder itself, and 2 files below it "
                  "declare the top `core`: a/core.v, b/core.v; point --rtl at the folder of the "
                  "one to run, or list its files in " + two + "/filelist");
  // No top at all: say where the Verilog is.
  const std::string none = write_folder(
      "repository_no_top",
      {{"hardware/verilog/Core_Top.v", "module Core_Top (input c);\nendmodule\n"},
       {"hardware/verilog/l0.v", "module l0 (input c);\nendmodule\n"}});
  EXPECT_EQ(input_error([&] { tb::collect_user_files(none, notes); }),
            none + ": --rtl: no .v or .sv files in the folder itself (and no filelist), and none "
                   "below it declares the top `core`; its subfolders have: hardware/verilog (2 "
                   "files): point --rtl at the folder of your core (--top NAME for another top), "
                   "or list its files in " + none + "/filelist");
  // The top named another way.
  notes.clear();
  EXPECT_EQ(names_below(none, tb::collect_user_files(none, notes, "Core_Top").files),
            std::vector<std::string>{"hardware/verilog/Core_Top.v"});
}

TEST(UserFiles, FilelistsIncdirLinesALineListedTwiceAndWhereNamesAreRelativeTo) {
  const std::string dir = write_folder(
      "filelist", {{"filelist", "# the course's order\n+incdir+include\ncore.v\nsrc/corelet.v\n"
                                "core.v\n"},
                   {"core.v", kTop},
                   {"src/corelet.v", "module corelet (input clk);\nendmodule\n"},
                   {"include/widths.vh", "`define W 4\n"}});
  std::vector<std::string> notes;
  const tb::UserSources found = tb::collect_user_files(dir, notes);
  EXPECT_EQ(names_below(dir, found.files),
            (std::vector<std::string>{"core.v", "src/corelet.v"}));
  EXPECT_EQ(found.include_dirs,
            (std::vector<std::string>{dir, dir + "/include", dir + "/src"}));
  EXPECT_EQ(notes, std::vector<std::string>{
                       "filelist line 5: 'core.v' is listed again; built once"});

  // --filelist: names relative to its own folder; filelist.txt when there is no filelist.
  const std::string elsewhere = write_folder(
      "filelist_elsewhere", {{"sim/files.f", "../rtl/core.v\n../rtl/corelet.v\n"},
                             {"rtl/core.v", kTop},
                             {"rtl/corelet.v", "module corelet (input clk);\nendmodule\n"},
                             {"filelist.txt", "rtl/core.v\n"}});
  notes.clear();
  EXPECT_EQ(names_below(elsewhere, tb::collect_user_files(elsewhere, notes, "core",
                                                          elsewhere + "/sim/files.f")
                                       .files),
            (std::vector<std::string>{"rtl/core.v", "rtl/corelet.v"}));
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(names_below(elsewhere, tb::collect_user_files(elsewhere, notes).files),
            std::vector<std::string>{"rtl/core.v"});
  EXPECT_EQ(notes, std::vector<std::string>{"the files to build are those " + elsewhere +
                                            "/filelist.txt lists"});
  EXPECT_EQ(input_error([&] { tb::collect_user_files(elsewhere, notes, "core", "/nope.f"); }),
            "/nope.f: --filelist: no such file");

  // +define+ lines: Verilator's -D.
  const std::string defines = write_folder(
      "filelist_defines", {{"filelist", "+define+W=4+FAST\ncore.v\n"}, {"core.v", kTop}});
  EXPECT_EQ(tb::collect_user_files(defines, notes).defines,
            (std::vector<std::string>{"W=4", "FAST"}));

  write_folder("filelist_define", {{"filelist", "core.v\n-y lib\n"}, {"core.v", kTop}});
  try {
    tb::collect_user_files(fs::path(TB_TEST_SCRATCH_DIR) / "user_files" / "filelist_define",
                           notes);
    FAIL() << "expected an InputError";
  } catch (const golden::InputError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("filelist line 2: '-y lib': only file names, +incdir+FOLDER and "
                        "+define+NAME[=VALUE] are supported here"),
              std::string::npos)
        << error.what();
  }
}

TEST(UserProfile, TiesFromAJsonObjectOrTextRoundTripAndDriveTheWrapper) {
  const std::string file = write_top("tie.json", R"({"inst_width": 37, "relu": "bit 34",
    "tie": {"mode": 1, "inst[36]": 1, "inst[35]": 0, "bank": 5000000000,
            "inst_w": "inst[1:0]", "go": "inst[33]"}})");
  const tb::CoreProfile profile = tb::load_core_profile(file);
  // nlohmann::json keeps an object's keys sorted.
  EXPECT_EQ(profile.tie_text(),
            "bank=5000000000,go=inst[33],inst[35]=0,inst[36]=1,inst_w=inst[1:0],mode=1");
  EXPECT_EQ(profile.inst_tie_mask(1), 1ULL << 36);
  EXPECT_EQ(profile.inst_tie_mask(0), 1ULL << 35);
  EXPECT_NE(profile.to_json().find("\"tie\": \"bank=5000000000,go=inst[33],inst[35]=0,"
                                   "inst[36]=1,inst_w=inst[1:0],mode=1\""),
            std::string::npos);
  const std::string again = write_top("tie_again.json", profile.to_json());
  EXPECT_EQ(tb::load_core_profile(again).tie, profile.tie);

  const std::string wrapper = tb::user_wrapper_verilog(profile, golden::ArrayShape{8, 8, 4, 16});
  EXPECT_NE(wrapper.find(".inst(((inst | 37'h1000000000) & ~37'h800000000)),"), std::string::npos)
      << wrapper;
  EXPECT_NE(wrapper.find(".mode(1),  // profile field tie\n"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find(".inst_w(inst[1:0]),  // profile field tie\n"), std::string::npos)
      << wrapper;
  EXPECT_NE(wrapper.find(".go(inst[33]),  // profile field tie\n"), std::string::npos) << wrapper;
  EXPECT_NE(wrapper.find(".bank(64'd5000000000),  // profile field tie\n"), std::string::npos)
      << wrapper;

  tb::CoreProfile text;
  tb::set_profile_field(text, "tie", " mode=0x1 , inst[40]=1", "--tie");
  EXPECT_EQ(text.tie_text(), "mode=1,inst[40]=1");
  tb::set_profile_field(text, "tie", "", "--tie");
  EXPECT_TRUE(text.tie.empty());
}

TEST(UserProfile, BadTiesNameTheFieldAndWhatIsWrong) {
  tb::CoreProfile profile;
  const auto set = [&](const std::string& value) {
    return input_error([&] { tb::set_profile_field(profile, "tie", value, "--tie"); });
  };
  EXPECT_EQ(set("mode"), "--tie: field \"tie\": 'mode': expected PORT=VALUE or inst[N]=VALUE, "
                         "comma-separated");
  EXPECT_EQ(set("mode=-1"), "--tie: field \"tie\": 'mode=-1': -1 is not a whole number "
                            "(decimal, or 0x hexadecimal) or inst[HIGH:LOW]");
  EXPECT_EQ(set("inst_w=inst[0:1]"), "--tie: field \"tie\": 'inst_w=inst[0:1]': expected "
                                     "inst[HIGH:LOW] with HIGH >= LOW");
  EXPECT_EQ(set("inst[36]=inst[1]"), "--tie: field \"tie\": 'inst[36]=inst[1]': an "
                                     "instruction bit is held at 0 or 1");
  EXPECT_EQ(set("inst[36]=2"), "--tie: field \"tie\": 'inst[36]=2': a bit is 0 or 1");
  EXPECT_EQ(set("inst[33]=1"), "--tie: field \"tie\": '33' is not a whole number in 34..63");
  EXPECT_EQ(set("mode=1,mode=0"), "--tie: field \"tie\": mode is tied twice");

  tb::set_profile_field(profile, "tie", "inst[36]=1", "--tie");
  EXPECT_EQ(input_error([&] { profile.check("core.json"); }),
            "core.json: field \"tie\": inst[36] is outside the 34-bit instruction (inst_width)");
  tb::set_profile_field(profile, "inst_width", "37", "--inst-width");
  tb::set_profile_field(profile, "relu", "bit 36", "--relu");
  EXPECT_EQ(input_error([&] { profile.check("core.json"); }),
            "core.json: field \"tie\": inst[36] is the relu bit, which the harness drives");
  const std::string file = write_top("tie_bad.json", R"({"tie": {"mode": "one"}})");
  EXPECT_EQ(input_error([&] { tb::load_core_profile(file); }),
            file + ": field \"tie\": 'mode=one': one is not a whole number (decimal, or 0x "
                   "hexadecimal) or inst[HIGH:LOW]");
  const std::string wide = write_top("tie_wide.json", R"({"tie": {"inst_w": "inst[40:39]"}})");
  EXPECT_EQ(input_error([&] { tb::load_core_profile(wide); }),
            wide + ": field \"tie\": inst_w=inst[40:39] is outside the 34-bit instruction "
                   "(inst_width)");
}

}  // namespace
