// Icarus smoke test of the 8x8 core on the course's cycle contract: reset, kernel load, two executes, OFIFO to pmem at the exact cycles, SFP read-back, ReLU; expected psums worked by hand.
`default_nettype none
`include "core_bus.vh"

module core_smoke_tb;

  localparam row = 8;
  localparam col = 8;

  // bw, psum_bw, INST_W, clk, reset, inst, D_xmem, ofifo_valid, sfp_out and the instance dut.
  `include "core_dut.vh"

  // Instruction bits: rtl/core_bus.json through the generated rtl/core_bus.vh.
  localparam RELU_BYPASS = `CORE_RELU_BYPASS, SFP_INIT = `CORE_SFP_INIT, ACC = `CORE_ACC;
  localparam CEN_PMEM = `CORE_CEN_PMEM, WEN_PMEM = `CORE_WEN_PMEM, CEN_XMEM = `CORE_CEN_XMEM;
  localparam WEN_XMEM = `CORE_WEN_XMEM, OFIFO_RD = `CORE_OFIFO_RD, L0_RD = `CORE_L0_RD;
  localparam L0_WR = `CORE_L0_WR, EXECUTE = `CORE_EXECUTE, LOAD = `CORE_LOAD;

  // Both SRAMs deselected, nothing else.
  localparam [INST_W-1:0] IDLE = ({{(INST_W - 1) {1'b0}}, 1'b1} << CEN_PMEM) |
                                 ({{(INST_W - 1) {1'b0}}, 1'b1} << WEN_PMEM) |
                                 ({{(INST_W - 1) {1'b0}}, 1'b1} << CEN_XMEM) |
                                 ({{(INST_W - 1) {1'b0}}, 1'b1} << WEN_XMEM);

  integer errors = 0;
  integer c, r, k, waited;

  // Inputs change while the clock is low; the core samples them at the rising edge.
  task cycle;
    begin
      #5 clk = 1'b1;
      #5 clk = 1'b0;
    end
  endtask

  // One xmem or pmem access (which: XMEM or PMEM) added to `base`.
  localparam XMEM = 1'b0, PMEM = 1'b1;
  function [INST_W-1:0] sram_access(input [INST_W-1:0] base, input which, input integer address,
                                    input write);
    begin
      sram_access = base;
      sram_access[(which == PMEM) ? CEN_PMEM : CEN_XMEM] = 1'b0;
      sram_access[(which == PMEM) ? WEN_PMEM : WEN_XMEM] = ~write;
      if (which == PMEM) sram_access[`CORE_A_PMEM] = address[10:0];
      else sram_access[`CORE_A_XMEM] = address[10:0];
    end
  endfunction

  // Weight of PE (r, c): c - r (-7 .. 7), so every row and column differs.
  function [bw-1:0] weight(input integer r, input integer c);
    begin
      weight = c - r;
    end
  endfunction

  task expect_sfp(input integer column, input integer expected, input [8*24-1:0] what);
    reg signed [psum_bw-1:0] got;
    begin
      got = sfp_out[column*psum_bw+:psum_bw];
      if (got !== expected[psum_bw-1:0]) begin
        $display("FAIL %0s column %0d: expected %0d, got %0d", what, column, expected, got);
        errors = errors + 1;
      end
    end
  endtask

  // Hand-worked psums with weight(r, c) = c - r:
  //   nij 0, a[r] = r + 1: sum_r (r+1)(c-r) = 36c - (0+2+6+12+20+30+42+56) = 36c - 168
  //   nij 1, a[r] = 15:    15 * sum_r (c-r) = 15 * (8c - 28) = 120c - 420
  integer nij0_psum[0:col-1];
  integer nij1_psum[0:col-1];
  initial begin
    nij0_psum[0] = -168; nij0_psum[1] = -132; nij0_psum[2] = -96; nij0_psum[3] = -60;
    nij0_psum[4] = -24;  nij0_psum[5] = 12;   nij0_psum[6] = 48;  nij0_psum[7] = 84;
    nij1_psum[0] = -420; nij1_psum[1] = -300; nij1_psum[2] = -180; nij1_psum[3] = -60;
    nij1_psum[4] = 60;   nij1_psum[5] = 180;  nij1_psum[6] = 300;  nij1_psum[7] = 420;
  end

  initial begin
    inst = IDLE;
    cycle;
    cycle;
    reset = 1'b0;

    // xmem: weight words at 1024 + c (lane r = weight(r, c)), activations at 0 and 1.
    for (c = 0; c < col; c = c + 1) begin
      for (r = 0; r < row; r = r + 1) D_xmem[r*bw+:bw] = weight(r, c);
      inst = sram_access(IDLE, XMEM, 1024 + c, 1'b1);
      cycle;
    end
    for (r = 0; r < row; r = r + 1) D_xmem[r*bw+:bw] = r + 1;
    inst = sram_access(IDLE, XMEM, 0, 1'b1);
    cycle;
    for (r = 0; r < row; r = r + 1) D_xmem[r*bw+:bw] = 15;
    inst = sram_access(IDLE, XMEM, 1, 1'b1);
    cycle;

    // xmem -> L0: read at t, l0_wr at t+1; the 8 weight words, then the 2 activations.
    for (k = 0; k <= col + 2; k = k + 1) begin
      inst = IDLE;
      if (k < col) inst = sram_access(inst, XMEM, 1024 + k, 1'b0);
      else if (k < col + 2) inst = sram_access(inst, XMEM, k - col, 1'b0);
      if (k > 0) inst[L0_WR] = 1'b1;
      cycle;
    end

    // Kernel load for col cycles, then execute right after it for the two nij.
    for (k = 0; k < col + 2; k = k + 1) begin
      inst = IDLE;
      inst[L0_RD] = 1'b1;
      if (k < col) inst[LOAD] = 1'b1;
      else inst[EXECUTE] = 1'b1;
      cycle;
    end

    // OFIFO -> pmem 0 and 1 on the course's contract (DESIGN.md 3a). nij 0 was executed at
    // cycle E = (this cycle) - 2; its psum leaves column c during E + 1 + row + c, so it is in
    // every column from edge E + row + col and ofifo_valid rises during E + row + col + 1.
    // ofifo_rd at t pops at edge t + 1, where the pmem write of cycle t + 1 stores the head:
    // ofifo_rd at E + row + col (the earliest cycle), then pmem 0 with ofifo_rd for nij 1,
    // then pmem 1. ofifo_valid is checked in every one of these cycles.
    inst = IDLE;
    for (k = 2; k <= row + col; k = k + 1) begin
      if (ofifo_valid) begin
        $display("FAIL ofifo_valid high at cycle E + %0d (rises at E + %0d)", k, row + col + 1);
        errors = errors + 1;
      end
      if (k == row + col) inst[OFIFO_RD] = 1'b1;
      cycle;
    end
    for (k = 0; k < 2; k = k + 1) begin
      if (!ofifo_valid) begin
        $display("FAIL ofifo_valid low at cycle E + %0d (nij %0d is in every column)",
                 row + col + 1 + k, k);
        errors = errors + 1;
      end
      inst = sram_access(IDLE, PMEM, k, 1'b1);
      inst[OFIFO_RD] = (k == 0);
      cycle;
    end
    inst = IDLE;
    if (ofifo_valid) begin
      $display("FAIL ofifo_valid still high after popping both words");
      errors = errors + 1;
    end
    cycle;

    // Raw psums through the SFP (init + bypass), then nij 0 again through ReLU.
    for (k = 0; k < 3; k = k + 1) begin
      inst = sram_access(IDLE, PMEM, (k == 1) ? 1 : 0, 1'b0);
      cycle;
      inst = IDLE;
      inst[ACC] = 1'b1;
      inst[SFP_INIT] = 1'b1;
      inst[RELU_BYPASS] = (k < 2);
      cycle;
      inst = IDLE;
      for (c = 0; c < col; c = c + 1) begin
        if (k == 0) expect_sfp(c, nij0_psum[c], "psum nij 0");
        else if (k == 1) expect_sfp(c, nij1_psum[c], "psum nij 1");
        else expect_sfp(c, (nij0_psum[c] < 0) ? 0 : nij0_psum[c], "relu nij 0");
      end
    end

    if (errors == 0) $display("PASS core_smoke_tb");
    else $display("FAIL core_smoke_tb: %0d errors", errors);
    $finish;
  end

endmodule

`default_nettype wire
