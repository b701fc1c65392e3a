// OFIFO: one FIFO per array column on the south edge, each written by its column's valid; o_valid when every column holds a word; a registered read enable pops all columns.
`default_nettype none

module ofifo #(
    parameter col = 8,
    parameter psum_bw = 16,
    parameter depth = 64
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [col-1:0]         wr,       // valid[c] of the array: push lane c into column c
    input  wire [col*psum_bw-1:0] in,
    input  wire                   rd,       // pop one word from every column at the next edge
    output wire [col*psum_bw-1:0] out,      // the head word, column c at [c*psum_bw +: psum_bw]
    output wire                   o_valid,  // every column holds a word (from FIFO state only)
    output wire [col-1:0]         full,
    output wire [col-1:0]         empty
);

  // Course contract (DESIGN.md 3a): the read enable is a register. `rd` at cycle t pops every
  // column at edge t + 1, and `out` during cycle t + 1 is the word popped: a pmem write at
  // t + 1 stores it.
  reg rd_q;
  always @(posedge clk) begin
    if (reset) rd_q <= 1'b0;
    else rd_q <= rd;
  end

  genvar c;
  generate
    for (c = 0; c < col; c = c + 1) begin : g_col
      fifo #(
          .width(psum_bw),
          .depth(depth)
      ) u_fifo (
          .clk(clk),
          .reset(reset),
          .wr(wr[c]),
          .in(in[c*psum_bw+:psum_bw]),
          .rd(rd_q),
          .out(out[c*psum_bw+:psum_bw]),
          .full(full[c]),
          .empty(empty[c])
      );
    end
  endgenerate

  fifo_bank_check #(
      .lanes(col)
  ) u_check (
      .clk(clk),
      .reset(reset),
      .rd({col{rd_q}}),
      .wr(wr),
      .full(full),
      .empty(empty)
  );

  assign o_valid = ~|empty;

endmodule

`default_nettype wire
