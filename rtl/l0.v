// L0: one FIFO per array row on the west edge, all rows written together, read through registered, row-skewed read enables (the course's L0).
`default_nettype none

// Course contract (DESIGN.md 3a): the read enables are registers. `rd` at cycle t sets row 0's
// enable at edge t; row r's enable is row r-1's one cycle later, so row r pops at edge
// t + 1 + r and `out` lane r shows row r's head during cycle t + 1 + r, the cycle in which
// mac_array applies the instruction of cycle t to row r. `out` lane r is 0 while row r is not
// read, so nothing downstream ever sees a stale word.
module l0 #(
    parameter row = 8,
    parameter bw = 4,
    parameter depth = 64
) (
    input  wire              clk,
    input  wire              reset,
    input  wire              wr,      // push `in` (lane r into row r's FIFO)
    input  wire [row*bw-1:0] in,
    input  wire              rd,      // read request: row r pops 1 + r cycles later
    output wire [row*bw-1:0] out,     // lane r at [r*bw +: bw]
    output wire [row-1:0]    rd_row,  // row r is popped this cycle
    output wire [row-1:0]    full,
    output wire [row-1:0]    empty
);
  // Unsupported parameters stop elaboration in every tool with a module name that says why.
  generate
    if (row < 2) begin : g_bad_parameters
      parameter_error_row_and_col_must_be_at_least_2 u_stop ();
    end
  endgenerate

  localparam stages = row;

  // rd_q[k] = rd delayed k + 1 cycles.
  reg [stages-1:0] rd_q;
  always @(posedge clk) begin
    if (reset) rd_q <= {stages{1'b0}};
    else rd_q <= {rd_q[stages-2:0], rd};
  end

  genvar r;
  generate
    for (r = 0; r < row; r = r + 1) begin : g_row
      wire [bw-1:0] head;
      assign rd_row[r] = rd_q[r];
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

  fifo_bank_check #(
      .lanes(row)
  ) u_check (
      .clk(clk),
      .reset(reset),
      .rd(rd_row),
      .wr({row{wr}}),
      .full(full),
      .empty(empty)
  );
endmodule

`default_nettype wire
