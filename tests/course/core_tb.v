// A course-style Icarus testbench for `core`: the 34-bit bus, the course's flow (DESIGN.md 3a) and files, out.txt compared with sfp_out.
`timescale 1ns / 1ps

// It drives the core the way the course's own testbench does, so it is the standing proof that
// a course testbench runs on rtl/: inputs change at the falling edge and pass one register
// before the core; reset before every kij; activations, then each kij's weights into xmem; the
// weights into L0 and the kernel load; an intermission; the activations into L0 and execute;
// the OFIFO into pmem (psum of kij, nij at kij*len_nij + nij); then per output position a
// reset, the 9 psum reads with acc one cycle behind, and sfp_out against the next out.txt line.
// Files (in the working folder): activation.txt, weight_kij0..8.txt, out.txt, each with three
// comment lines that are skipped the way the course testbench skips them (one %s each).
// Plusargs: +vcd writes core_tb.vcd; +course_habits also reads two words past the end of L0
// and one pmem word that was never written, as many course testbenches do.
module core_tb;

  parameter row = 8;
  parameter col = 8;
  parameter bw = 4;
  parameter psum_bw = 16;
  parameter len_kij = 9;
  parameter len_onij = 16;      // output positions (Ho * Wo)
  parameter o_ni_dim = 4;       // Wo
  parameter a_pad_ni_dim = 6;   // Wp
  parameter len_nij = 36;       // Hp * Wp
  parameter intermission = 16;  // idle cycles between kernel load and execute

  reg clk = 1'b0;
  reg reset = 1'b1;

  // What the testbench sets at the falling edge, and the registered copy the core sees.
  reg acc = 1'b0, CEN_pmem = 1'b1, WEN_pmem = 1'b1, CEN_xmem = 1'b1, WEN_xmem = 1'b1;
  reg ofifo_rd = 1'b0, ififo_wr = 1'b0, ififo_rd = 1'b0, l0_rd = 1'b0, l0_wr = 1'b0;
  reg execute = 1'b0, load = 1'b0;
  reg [10:0] A_pmem = 11'd0, A_xmem = 11'd0;
  reg [row*bw-1:0] D_xmem = {(row * bw) {1'b0}};

  reg acc_q = 1'b0, CEN_pmem_q = 1'b1, WEN_pmem_q = 1'b1, CEN_xmem_q = 1'b1, WEN_xmem_q = 1'b1;
  reg ofifo_rd_q = 1'b0, ififo_wr_q = 1'b0, ififo_rd_q = 1'b0, l0_rd_q = 1'b0, l0_wr_q = 1'b0;
  reg execute_q = 1'b0, load_q = 1'b0;
  reg [10:0] A_pmem_q = 11'd0, A_xmem_q = 11'd0;
  reg [row*bw-1:0] D_xmem_q = {(row * bw) {1'b0}};

  wire [33:0] inst_q = {acc_q, CEN_pmem_q, WEN_pmem_q, A_pmem_q, CEN_xmem_q, WEN_xmem_q, A_xmem_q,
                        ofifo_rd_q, ififo_wr_q, ififo_rd_q, l0_rd_q, l0_wr_q, execute_q, load_q};

  wire                   ofifo_valid;
  wire [col*psum_bw-1:0] sfp_out;

  // Bits above 33 are this core's extensions; a course testbench leaves them 0.
  core #(
      .row(row),
      .col(col),
      .bw(bw),
      .psum_bw(psum_bw)
  ) core_instance (
      .clk(clk),
      .reset(reset),
      .inst({5'b00000, inst_q}),
      .D_xmem(D_xmem_q),
      .ofifo_valid(ofifo_valid),
      .sfp_out(sfp_out)
  );

  always @(posedge clk) begin
    acc_q <= acc;
    CEN_pmem_q <= CEN_pmem;
    WEN_pmem_q <= WEN_pmem;
    A_pmem_q <= A_pmem;
    CEN_xmem_q <= CEN_xmem;
    WEN_xmem_q <= WEN_xmem;
    A_xmem_q <= A_xmem;
    ofifo_rd_q <= ofifo_rd;
    ififo_wr_q <= ififo_wr;
    ififo_rd_q <= ififo_rd;
    l0_rd_q <= l0_rd;
    l0_wr_q <= l0_wr;
    execute_q <= execute;
    load_q <= load;
    D_xmem_q <= D_xmem;
  end

  integer x_file, w_file, out_file, scan;
  integer t, kij, o, j, nij, errors, checked, habits;
  reg [8*64-1:0] captured;  // a comment token
  reg [8*32-1:0] w_file_name;
  reg [col*psum_bw-1:0] answer;

  // One clock: rise, then fall (inputs are changed right after the fall).
  task tick;
    begin
      #0.5 clk = 1'b1;
      #0.5 clk = 1'b0;
    end
  endtask

  task idle(input integer cycles);
    integer i;
    begin
      for (i = 0; i < cycles; i = i + 1) tick;
    end
  endtask

  task reset_core;
    begin
      reset = 1'b1;
      idle(2);
      reset = 1'b0;
      idle(1);
    end
  endtask

  task skip_comments(input integer file);
    begin
      scan = $fscanf(file, "%s", captured);
      scan = $fscanf(file, "%s", captured);
      scan = $fscanf(file, "%s", captured);
    end
  endtask

  // Reads words first..first+count-1 of xmem into L0: l0_wr one cycle behind each read, since
  // L0 captures the word xmem shows after its read.
  task xmem_to_l0(input integer first, input integer count);
    begin
      for (t = 0; t <= count; t = t + 1) begin
        if (t < count) begin
          CEN_xmem = 1'b0;
          WEN_xmem = 1'b1;
          A_xmem = first + t;
        end else begin
          CEN_xmem = 1'b1;
        end
        l0_wr = (t > 0);
        tick;
      end
      l0_wr = 1'b0;
    end
  endtask

  // Output position o's kij term sits at padded nij (o / Wo) * Wp + o % Wo + (kij / 3) * Wp + kij % 3.
  function integer nij_of(input integer o_nij, input integer k);
    begin
      nij_of = (o_nij / o_ni_dim) * a_pad_ni_dim + o_nij % o_ni_dim + (k / 3) * a_pad_ni_dim + k % 3;
    end
  endfunction

  initial begin
    errors = 0;
    checked = 0;
    habits = $test$plusargs("course_habits");
    if ($test$plusargs("vcd")) begin
      $dumpfile("core_tb.vcd");
      $dumpvars(0, core_tb);
    end

    reset_core;

    // ---- activations into xmem 0 .. len_nij-1 ----
    x_file = $fopen("activation.txt", "r");
    if (x_file == 0) begin
      $display("ERROR: cannot open activation.txt");
      $finish;
    end
    skip_comments(x_file);
    for (t = 0; t < len_nij; t = t + 1) begin
      scan = $fscanf(x_file, "%b", D_xmem);
      CEN_xmem = 1'b0;
      WEN_xmem = 1'b0;
      A_xmem = t;
      tick;
    end
    CEN_xmem = 1'b1;
    WEN_xmem = 1'b1;
    tick;
    $fclose(x_file);

    for (kij = 0; kij < len_kij; kij = kij + 1) begin
      $sformat(w_file_name, "weight_kij%0d.txt", kij);
      w_file = $fopen(w_file_name, "r");
      if (w_file == 0) begin
        $display("ERROR: cannot open %0s", w_file_name);
        $finish;
      end
      skip_comments(w_file);
      reset_core;

      // ---- this kij's weights into xmem 1024 .. 1024+col-1 (word c = array column c) ----
      for (t = 0; t < col; t = t + 1) begin
        scan = $fscanf(w_file, "%b", D_xmem);
        CEN_xmem = 1'b0;
        WEN_xmem = 1'b0;
        A_xmem = 11'd1024 + t;
        tick;
      end
      CEN_xmem = 1'b1;
      WEN_xmem = 1'b1;
      tick;
      $fclose(w_file);

      // ---- weights into L0, kernel load, intermission ----
      xmem_to_l0(1024, col);
      l0_rd = 1'b1;
      load = 1'b1;
      idle(col);
      l0_rd = 1'b0;
      load = 1'b0;
      idle(intermission);

      // ---- activations into L0, execute ----
      xmem_to_l0(0, len_nij);
      l0_rd = 1'b1;
      execute = 1'b1;
      idle(habits ? len_nij + 2 : len_nij);  // course habit: two reads past the end of L0
      l0_rd = 1'b0;
      execute = 1'b0;
      idle(row + col + 4);  // the last psum leaves the array

      // ---- OFIFO into pmem: ofifo_rd one cycle before the first write, both run on ----
      if (!ofifo_valid) begin
        $display("ERROR: kij %0d: ofifo_valid is low after execute", kij);
        errors = errors + 1;
      end
      for (t = 0; t <= len_nij; t = t + 1) begin
        ofifo_rd = (t < len_nij);
        if (t > 0) begin
          CEN_pmem = 1'b0;
          WEN_pmem = 1'b0;
          A_pmem = kij * len_nij + t - 1;
        end
        tick;
      end
      CEN_pmem = 1'b1;
      WEN_pmem = 1'b1;
      idle(2);
    end

    // ---- accumulation: per output position, reset, 9 reads, acc one cycle behind ----
    out_file = $fopen("out.txt", "r");
    if (out_file == 0) begin
      $display("ERROR: cannot open out.txt");
      $finish;
    end
    skip_comments(out_file);
    if (habits) begin  // course habit: read a pmem word that was never written
      CEN_pmem = 1'b0;
      WEN_pmem = 1'b1;
      A_pmem = 11'd2047;
      tick;
      CEN_pmem = 1'b1;
      idle(2);
    end
    for (o = 0; o < len_onij; o = o + 1) begin
      reset_core;
      for (j = 0; j <= len_kij; j = j + 1) begin
        if (j < len_kij) begin
          nij = nij_of(o, j);
          CEN_pmem = 1'b0;
          WEN_pmem = 1'b1;
          A_pmem = j * len_nij + nij;
        end else begin
          CEN_pmem = 1'b1;
        end
        acc = (j > 0);
        tick;
      end
      acc = 1'b0;
      idle(2);
      scan = $fscanf(out_file, "%b", answer);
      checked = checked + 1;
      if (sfp_out === answer) begin
        $display("%2d-th output featuremap Data matched! :D", o);
      end else begin
        $display("%2d-th output featuremap Data ERROR!!", o);
        $display("sfp_out: %b", sfp_out);
        $display("answer:  %b", answer);
        errors = errors + 1;
      end
    end
    $fclose(out_file);

    if (errors == 0) $display("PASS: %0d of %0d outputs matched", checked, len_onij);
    else $display("FAIL: %0d errors in %0d outputs", errors, checked);
    $finish;
  end

endmodule
