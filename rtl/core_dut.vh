// The core as a Verilog testbench's device under test: its widths, a signal per port and the instance `dut`; include it inside a module that defines row and col.
`include "core_bus.vh"

  localparam bw = 4;  // ../shared/DESIGN.md 3: the widths the harness runs
  localparam psum_bw = 16;
  localparam INST_W = `CORE_INST_W;  // rtl/core_bus.json

  reg                    clk = 1'b0;
  reg                    reset = 1'b1;
  reg  [INST_W-1:0]      inst = {INST_W{1'b0}};
  reg  [row*bw-1:0]      D_xmem = {row * bw{1'b0}};
  wire                   ofifo_valid;
  wire [col*psum_bw-1:0] sfp_out;

  core #(
      .row(row),
      .col(col),
      .bw(bw),
      .psum_bw(psum_bw)
  ) dut (
      .clk(clk),
      .reset(reset),
      .inst(inst),
      .D_xmem(D_xmem),
      .ofifo_valid(ofifo_valid),
      .sfp_out(sfp_out)
  );
