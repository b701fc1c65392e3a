// Synchronous FIFO with a combinational head: full/empty flags, simultaneous read and write (the banks around it check underflow and overflow).
`default_nettype none

// Behaviour at an edge with rd and/or wr:
//   rd pops the head (the word on `out` during that cycle) unless the FIFO is empty; a read
//   of an empty FIFO is an underflow: nothing is popped, even if wr writes in the same cycle
//   (a word written at an edge is readable from the next cycle on).
//   wr pushes `in` unless the FIFO is full and not read in the same cycle (overflow: the word
//   is dropped). Full with rd and wr together pops one word and pushes one.
// `out` shows the oldest word; while empty it is stale and must not be used.
module fifo #(
    parameter width = 4,
    parameter depth = 64
) (
    input  wire             clk,
    input  wire             reset,
    input  wire             wr    /*verilator public_flat_rd*/,
    input  wire [width-1:0] in    /*verilator public_flat_rd*/,
    input  wire             rd    /*verilator public_flat_rd*/,
    output wire [width-1:0] out   /*verilator public_flat_rd*/,
    output wire             full  /*verilator public_flat_rd*/,
    output wire             empty /*verilator public_flat_rd*/
);

  localparam ptr_bw = (depth > 1) ? $clog2(depth) : 1;  /*verilator no_inline_module*/
  localparam count_bw = $clog2(depth + 1);
  localparam [31:0] last_slot_32 = depth - 1;
  localparam [31:0] full_count_32 = depth;
  localparam [ptr_bw-1:0] last_slot = last_slot_32[ptr_bw-1:0];
  localparam [count_bw-1:0] full_count = full_count_32[count_bw-1:0];

  reg [width-1:0]    memory[0:depth-1];
  reg [ptr_bw-1:0]   rd_ptr_q;
  reg [ptr_bw-1:0]   wr_ptr_q;
  reg [count_bw-1:0] count_q;

  assign empty = (count_q == {count_bw{1'b0}});
  assign full = (count_q == full_count);
  assign out = memory[rd_ptr_q];

  wire do_rd = rd & ~empty;
  wire do_wr = wr & (~full | do_rd);

  wire [ptr_bw-1:0] rd_ptr_next = (rd_ptr_q == last_slot) ? {ptr_bw{1'b0}} : rd_ptr_q + 1'b1;
  wire [ptr_bw-1:0] wr_ptr_next = (wr_ptr_q == last_slot) ? {ptr_bw{1'b0}} : wr_ptr_q + 1'b1;

  always @(posedge clk) begin
    if (do_wr) memory[wr_ptr_q] <= in;
  end

  always @(posedge clk) begin
    if (reset) begin
      rd_ptr_q <= {ptr_bw{1'b0}};
      wr_ptr_q <= {ptr_bw{1'b0}};
      count_q <= {count_bw{1'b0}};
    end else begin
      if (do_rd) rd_ptr_q <= rd_ptr_next;
      if (do_wr) wr_ptr_q <= wr_ptr_next;
      if (do_wr & ~do_rd) count_q <= count_q + 1'b1;
      else if (do_rd & ~do_wr) count_q <= count_q - 1'b1;
    end
  end


endmodule

// For Verilator the module is never inlined and its ports are public (the marks in the port list
// and after ptr_bw, where they move no line of the logic: Yosys names its cells by line): each
// lane then reads and writes its ports as variables of its own, and one copy of the per-cycle
// code serves every FIFO of a width instead of one inlined copy per lane (a third less compile
// time for the 16x16 core's per-cycle unit, and features[17] runs about 5 % faster).

`default_nettype wire
