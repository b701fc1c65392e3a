// Replays a cosim --export-stimulus folder on `core` in any Verilog simulator and compares every golden value it holds (sfp_out, psums entering pmem).
//
//   iverilog -g2012 -s replay_tb -Irtl -Preplay_tb.row=8 -Preplay_tb.col=8 -o replay.vvp \
//            tb/replay_tb.v rtl/*.v
//   vvp -n replay.vvp +export=DIR [+vcd=replay.vcd]
//
// `make sim-icarus LAYER=27` does both (sizes the memories from DIR/header.hex). The folder's
// files are described in tb/REPLAY.md. The last line printed is "PASS ..." or "FAIL ..."; a
// failure also ends with $fatal, so the simulator's exit code is non-zero.
`timescale 1ns / 1ps
`default_nettype none

module replay_tb;
  parameter row = 8;
  parameter col = 8;
  // Capacity of the stimulus and check memories; the header's counts must fit.
  parameter max_cycles = 1 << 16;
  parameter max_checks = 1 << 16;
  // How many failing checks are described one by one.
  parameter max_reported = 10;

  // bw, psum_bw, INST_W, clk, reset, inst, D_xmem, ofifo_valid, sfp_out and the instance dut.
  `include "core_dut.vh"
  localparam DATA_W = col * psum_bw;

  // header.hex: cycles, checks, row, col, bw, psum_bw, inst bits.
  reg [31:0]        header[0:6];
  reg               reset_mem[0:max_cycles-1];
  reg [INST_W-1:0]  inst_mem[0:max_cycles-1];
  reg [row*bw-1:0]  xmem_mem[0:max_cycles-1];
  reg [31:0]        check_cycle[0:max_checks-1];
  reg               check_kind[0:max_checks-1];  // 0: sfp_out, 1: the word written into pmem
  reg [10:0]        check_address[0:max_checks-1];
  reg [DATA_W-1:0]  check_data[0:max_checks-1];

  string            folder;
  string            vcd;
  integer           cycles;
  integer           checks;
  integer           cycle;
  integer           check = 0;
  integer           passed = 0;
  integer           failed = 0;
  integer           column;
  reg [DATA_W-1:0]  got;
  reg [DATA_W-1:0]  expected;

  // Stops with a message naming the folder; $fatal makes the simulator's exit code non-zero.
  task automatic give_up(input string message);
    begin
      $display("REPLAY ERROR: %0s: %0s", folder, message);
      $display("FAIL replay of %0s: bad input", folder);
      $fatal(1);
    end
  endtask

  // One failing check: the place, the whole word, and the first column that differs.
  task automatic report_failure(input integer index, input integer at_cycle);
    integer c;
    reg found;
    begin
      found = 1'b0;
      if (check_kind[index])
        $display("REPLAY check %0d at cycle %0d: pmem[%0d] written %h, expected %h", index,
                 at_cycle, check_address[index], got, expected);
      else
        $display("REPLAY check %0d at cycle %0d: sfp_out %h, expected %h", index, at_cycle, got,
                 expected);
      for (c = 0; c < col; c = c + 1) begin
        if (!found && got[c*psum_bw+:psum_bw] !== expected[c*psum_bw+:psum_bw]) begin
          found = 1'b1;
          $display("REPLAY   first differing col %0d: got %0d, expected %0d (line %0d of checks.txt)",
                   c, $signed(got[c*psum_bw+:psum_bw]), $signed(expected[c*psum_bw+:psum_bw]),
                   index + 2);
        end
      end
    end
  endtask

  initial begin
    if (!$value$plusargs("export=%s", folder)) begin
      folder = "(none)";
      give_up("no +export=DIR (a folder written by cosim --export-stimulus DIR)");
    end
    for (cycle = 0; cycle < 7; cycle = cycle + 1) header[cycle] = 32'hx;
    $readmemh({folder, "/header.hex"}, header);
    if (^header[0] === 1'bx || ^header[6] === 1'bx) give_up("header.hex is missing or short");
    cycles = header[0];
    checks = header[1];
    if (header[2] != row || header[3] != col || header[4] != bw || header[5] != psum_bw ||
        header[6] != INST_W)
      give_up($sformatf({"recorded on a %0dx%0d core (bw %0d, psum_bw %0d, inst %0d bits); this ",
                         "testbench is %0dx%0d: compile with -Preplay_tb.row=%0d -Preplay_tb.col=%0d"},
                        header[2], header[3], header[4], header[5], header[6], row, col,
                        header[2], header[3]));
    if (cycles < 1 || cycles > max_cycles || checks > max_checks)
      give_up($sformatf({"%0d cycles and %0d checks do not fit max_cycles=%0d max_checks=%0d: ",
                         "compile with -Preplay_tb.max_cycles=%0d -Preplay_tb.max_checks=%0d"},
                        cycles, checks, max_cycles, max_checks, cycles, checks));
    $readmemh({folder, "/reset.hex"}, reset_mem, 0, cycles - 1);
    $readmemh({folder, "/inst.hex"}, inst_mem, 0, cycles - 1);
    $readmemh({folder, "/d_xmem.hex"}, xmem_mem, 0, cycles - 1);
    if (checks > 0) begin
      $readmemh({folder, "/check_cycle.hex"}, check_cycle, 0, checks - 1);
      $readmemh({folder, "/check_kind.hex"}, check_kind, 0, checks - 1);
      $readmemh({folder, "/check_address.hex"}, check_address, 0, checks - 1);
      $readmemh({folder, "/check_data.hex"}, check_data, 0, checks - 1);
    end
    if (^inst_mem[cycles-1] === 1'bx || ^reset_mem[cycles-1] === 1'bx ||
        (checks > 0 && (^check_cycle[checks-1] === 1'bx || ^check_data[checks-1] === 1'bx)))
      give_up("a .hex file holds fewer lines than header.hex counts");
    if ($value$plusargs("vcd=%s", vcd)) begin
      $dumpfile(vcd);
      $dumpvars(0, replay_tb);
    end

    // The harness's timing: inputs change while clk is low, the clock rises, and every check
    // of that cycle is compared right after the edge.
    for (cycle = 0; cycle < cycles; cycle = cycle + 1) begin
      reset = reset_mem[cycle];
      inst = inst_mem[cycle];
      D_xmem = xmem_mem[cycle];
      #5 clk = 1'b1;
      #1;
      while (check < checks && check_cycle[check] == cycle) begin
        got = check_kind[check] ? dut.pmem.memory[check_address[check]] : sfp_out;
        expected = check_data[check];
        if (got === expected) begin
          passed = passed + 1;
        end else begin
          if (failed < max_reported) report_failure(check, cycle);
          failed = failed + 1;
        end
        check = check + 1;
      end
      #4 clk = 1'b0;
    end
    if (check != checks)
      $display("REPLAY ERROR: %0d checks name a cycle past the last one or are out of order",
               checks - check);
    failed = failed + (checks - check);

    $display("%0d passed, %0d failed", passed, failed);
    if (failed == 0 && passed > 0) begin
      $display("PASS replay of %0s: %0d checks over %0d cycles", folder, passed, cycles);
      $finish;
    end else begin
      $display("FAIL replay of %0s: %0d of %0d checks failed over %0d cycles", folder, failed,
               checks, cycles);
      $fatal(1);
    end
  end
endmodule

`default_nettype wire
