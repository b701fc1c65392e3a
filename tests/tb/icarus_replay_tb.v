// Replays a cosim stimulus file (--stimulus) on the core under Icarus and compares ofifo_valid and sfp_out with what Verilator showed, cycle by cycle.
`timescale 1ns / 1ps
`default_nettype none

// +stimulus=<file>: 3 '#' lines, then "<cycle> <reset> <inst> <D_xmem> <ofifo_valid> <sfp_out>"
// per cycle (hex for the buses). Inputs change while the clock is low, the clock rises, the
// outputs are compared right after the edge: the same timing the harness uses.
module icarus_replay_tb;
  parameter row = 8;
  parameter col = 8;

  // bw, psum_bw, INST_W, clk, reset, inst, D_xmem, ofifo_valid, sfp_out and the instance dut.
  `include "core_dut.vh"

  reg [8*4096-1:0]      path;
  reg [8*1024-1:0]      header;
  integer               file;
  integer               status;
  integer               cycle;
  integer               cycles = 0;
  integer               mismatches = 0;
  reg                   line_reset;
  reg [INST_W-1:0]      line_inst;
  reg [row*bw-1:0]      line_xmem;
  reg                   line_valid;
  reg [col*psum_bw-1:0] line_sfp;

  initial begin
    if (!$value$plusargs("stimulus=%s", path)) begin
      $display("REPLAY ERROR: no +stimulus=<file>");
      $finish;
    end
    file = $fopen(path, "r");
    if (file == 0) begin
      $display("REPLAY ERROR: cannot open %0s", path);
      $finish;
    end
    repeat (3) status = $fgets(header, file);
    status = $fscanf(file, "%d %d %h %h %d %h\n", cycle, line_reset, line_inst, line_xmem,
                     line_valid, line_sfp);
    while (status == 6) begin
      reset = line_reset;
      inst = line_inst;
      D_xmem = line_xmem;
      #5 clk = 1'b1;
      #1;
      if (ofifo_valid !== line_valid || sfp_out !== line_sfp) begin
        if (mismatches == 0) begin
          $display("REPLAY first mismatch at cycle %0d: ofifo_valid %b sfp_out %h, Verilator had %b %h",
                   cycle, ofifo_valid, sfp_out, line_valid, line_sfp);
        end
        mismatches = mismatches + 1;
      end
      #4 clk = 1'b0;
      cycles = cycles + 1;
      status = $fscanf(file, "%d %d %h %h %d %h\n", cycle, line_reset, line_inst, line_xmem,
                       line_valid, line_sfp);
    end
    $fclose(file);
    if (cycles == 0) $display("REPLAY ERROR: no cycles in %0s", path);
    else if (mismatches == 0) $display("REPLAY PASS cycles=%0d", cycles);
    else $display("REPLAY FAIL cycles=%0d mismatches=%0d", cycles, mismatches);
    $finish;
  end
endmodule

`default_nettype wire
