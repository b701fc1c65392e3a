// Variant verilog2001: a team-style Verilog-2001 top with lint warnings, around rtl/'s core (renamed rtl_core).
// What real team cores do, on purpose: ports declared in the body, parameters after the ports
// with other defaults (so every parameter must be passed), an implicit net, a register given
// blocking and non-blocking assignments (BLKANDNBLK), ofifo_valid never driven, a module that
// is never instantiated, a filelist whose names differ in case from the files, and ports the
// course contract does not have: an input that must read 0 (D_wmem, ORed into the activation
// data) and an output.
module core (clk, reset, inst, D_xmem, D_wmem, ofifo_valid, sfp_out, acc_count);
  input clk;
  input reset;
  input [33:0] inst;
  parameter bw = 8;
  parameter row = 4;
  parameter col = 4;
  parameter psum_bw = 32;
  input [row*bw-1:0] D_xmem;
  input [row*bw-1:0] D_wmem;
  output ofifo_valid;
  output [col*psum_bw-1:0] sfp_out;

  wire core_valid;
  assign acc_seen = inst[33];  // implicit net

  output [7:0] acc_count;
  reg [7:0] acc_count;
  always @(posedge clk) begin
    if (reset) acc_count = 8'd0;
    else if (acc_seen) acc_count <= acc_count + 8'd1;
  end

  rtl_core #(.row(row), .col(col), .bw(bw), .psum_bw(psum_bw)) u_core (
      .clk(clk), .reset(reset), .inst({5'b00000, inst}), .D_xmem(D_xmem | D_wmem),
      .ofifo_valid(core_valid), .sfp_out(sfp_out));
endmodule

module debug_counter (clk, count);
  input clk;
  output [3:0] count;
  reg [3:0] count;
  always @(posedge clk) count <= count + 1;
endmodule
