// A user core's top as cosim reads it from the text (ports, parameters) and the wrapper it generates around it: the shape parameters by the top's own names, ports outside the contract connected explicitly.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/catalog.hpp"
#include "tb/core_probe.hpp"
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

}  // namespace
