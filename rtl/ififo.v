// IFIFO: one FIFO per array column on the north edge (output-stationary weights), column c read 1 + c cycles after the read request.
`default_nettype none

// The same skewed FIFO bank as the L0, turned to the columns: a read request at cycle t pops
// column c at edge t + 1 + c, when the instruction of cycle t reaches PE (0, c). `out` lane c is
// column c's head while it is read and 0 otherwise (the array's north edge then carries 0).
module ififo #(
    parameter col = 8,
    parameter bw = 4,
    parameter depth = 64
) (
    input  wire              clk,
    input  wire              reset,
    input  wire              wr,      // push `in` (lane c into column c's FIFO)
    input  wire [col*bw-1:0] in,
    input  wire              rd,      // read request: column c pops 1 + c cycles later
    output wire [col*bw-1:0] out,     // lane c at [c*bw +: bw]
    output wire [col-1:0]    rd_col,  // column c is popped this cycle
    output wire [col-1:0]    full,
    output wire [col-1:0]    empty
);

  l0 #(
      .row(col),
      .bw(bw),
      .depth(depth)
  ) u_lanes (
      .clk(clk),
      .reset(reset),
      .wr(wr),
      .in(in),
      .rd(rd),
      .out(out),
      .rd_row(rd_col),
      .full(full),
      .empty(empty)
  );

endmodule

`default_nettype wire
