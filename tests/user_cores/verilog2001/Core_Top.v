// Variant verilog2001: a team-style Verilog-2001 top with lint warnings, around rtl/'s core (renamed rtl_core).
// What real team cores do, on purpose: ports declared in the body, parameters after the ports in
// capitals and with other defaults (so each must be passed, by its own name), a column count fixed
// by a localparam (so the core runs only on 8 columns), an output named coreOut instead of sfp_out
// (found by its width, no core.json), a net named `bit` (a keyword in SystemVerilog, the language
// .v files are read in by default: the core is read as Verilog-2005), an implicit net, a register
// given blocking and non-blocking assignments (BLKANDNBLK), ofifo_valid never driven, a module that
// is never instantiated, a filelist whose names differ in case from the files, and ports the course
// contract does not have: an input that must read 0 (D_wmem, ORed into the activation data) and an
// output.
module core (clk, reset, inst, D_xmem, D_wmem, ofifo_valid, coreOut, acc_count);
  input clk;
  input reset;
  input [33:0] inst;
  parameter BW = 8;
  parameter ROW = 4;
  parameter PSUM_BW = 32;
  localparam col = 8;
  input [ROW*BW-1:0] D_xmem;
  input [ROW*BW-1:0] D_wmem;
  output ofifo_valid;
  output [col*PSUM_BW-1:0] coreOut;

  wire core_valid;
  wire bit = inst[0];
  assign acc_seen = inst[33];  // implicit net

  output [7:0] acc_count;
  reg [7:0] acc_count;
  always @(posedge clk) begin
    if (reset) acc_count = 8'd0;
    else if (acc_seen) acc_count <= acc_count + 8'd1;
  end

  rtl_core #(.row(ROW), .col(col), .bw(BW), .psum_bw(PSUM_BW)) u_core (
      .clk(clk), .reset(reset), .inst({5'b00000, inst}), .D_xmem(D_xmem | D_wmem),
      .ofifo_valid(core_valid), .sfp_out(coreOut));
endmodule

module debug_counter (clk, count);
  input clk;
  output [3:0] count;
  reg [3:0] count;
  always @(posedge clk) count <= count + 1;
endmodule
