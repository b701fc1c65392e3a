// L0: one FIFO per array row on the west edge, all rows written together, row r read r cycles after the read request (the systolic skew).
`default_nettype none

// A read request `rd` at cycle t pops row r at cycle t + r, the same cycle mac_array applies
// the instruction of cycle t to row r, so the harness asserts rd with load/execute and the
// skew stays inside the RTL. `out` lane r is row r's head while row r is read (rd_row[r]) and
// 0 otherwise, so nothing downstream ever sees a stale word.
module l0 #(
    parameter row = 8,
    parameter bw = 4,
    parameter depth = 64
) (
    input  wire              clk,
    input  wire              reset,
    input  wire              wr,      // push `in` (lane r into row r's FIFO)
    input  wire [row*bw-1:0] in,
    input  wire              rd,      // read request, applied to row r after r cycles
    output wire [row*bw-1:0] out,     // lane r at [r*bw +: bw]
    output wire [row-1:0]    rd_row,  // row r is popped this cycle
    output wire [row-1:0]    full,
    output wire [row-1:0]    empty
);

`ifdef MUTANT_SKEW_OFF_BY_ONE
  // Deliberate fault: rows 1 .. row-1 are read one cycle later than their instruction.
  localparam skew_extra = 1;
`else
  localparam skew_extra = 0;
`endif
  localparam stages = row - 1 + skew_extra;

  // rd_delayed[k] = rd delayed k cycles.
  wire [stages:0] rd_delayed;
  assign rd_delayed[0] = rd;

  genvar k;
  generate
    for (k = 1; k <= stages; k = k + 1) begin : g_skew
      reg rd_q;
      always @(posedge clk) begin
        if (reset) rd_q <= 1'b0;
        else rd_q <= rd_delayed[k-1];
      end
      assign rd_delayed[k] = rd_q;
    end
  endgenerate

  genvar r;
  generate
    for (r = 0; r < row; r = r + 1) begin : g_row
      wire [bw-1:0] head;
      assign rd_row[r] = rd_delayed[(r == 0) ? 0 : r + skew_extra];
      fifo #(
          .width(bw),
          .depth(depth)
      ) u_fifo (
          .clk(clk),
          .reset(reset),
          .wr(wr),
          .in(in[r*bw+:bw]),
          .rd(rd_row[r]),
          .out(head),
          .full(full[r]),
          .empty(empty[r])
      );
      assign out[r*bw+:bw] = rd_row[r] ? head : {bw{1'b0}};
    end
  endgenerate

endmodule

`default_nettype wire
