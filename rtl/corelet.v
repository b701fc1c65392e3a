// The corelet: L0 and IFIFO feeding the MAC array, the OFIFO catching its psums, and the SFP; everything between the two SRAMs.
`default_nettype none

module corelet #(
    parameter row = 8,
    parameter col = 8,
    parameter bw = 4,
    parameter psum_bw = 16,
    parameter l0_depth = 64,
    parameter ififo_depth = 64,
    parameter ofifo_depth = 64
) (
    input  wire                   clk,
    input  wire                   reset,
    // PE instruction (see mac_tile.v)
    input  wire                   load,
    input  wire                   execute,
    input  wire                   os,
    input  wire                   os_drain,
    // FIFOs
    input  wire                   l0_wr,
    input  wire                   l0_rd,
    input  wire                   ififo_wr,
    input  wire                   ififo_rd,
    input  wire                   ofifo_rd,
    // SFP
    input  wire                   acc,
    input  wire                   sfp_init,
    input  wire                   relu_bypass,
    input  wire                   pmem_acc,
    input  wire [row*bw-1:0]      xmem_q,       // xmem read data: feeds the L0 and the IFIFO
    input  wire [col*psum_bw-1:0] pmem_q,       // pmem read data: feeds the SFP
    output wire [col*psum_bw-1:0] pmem_d,       // pmem write data: OFIFO head (+ pmem_q)
    output wire                   ofifo_valid,
    output wire [col*psum_bw-1:0] sfp_out
);

  // ---- west edge: L0 ----
  wire [row*bw-1:0] l0_out;
  wire [row-1:0]    l0_rd_row;
  wire [row-1:0]    l0_full;
  wire [row-1:0]    l0_empty;

  l0 #(
      .row(row),
      .bw(bw),
      .depth(l0_depth)
  ) u_l0 (
      .clk(clk),
      .reset(reset),
      .wr(l0_wr),
      .in(xmem_q),
      .rd(l0_rd),
      .out(l0_out),
      .rd_row(l0_rd_row),
      .full(l0_full),
      .empty(l0_empty)
  );

  // ---- north edge: IFIFO, fed from the low col*bw bits of the xmem word ----
  wire [col*bw-1:0] ififo_in;
  generate
    if (col <= row) begin : g_ififo_in_narrow
      assign ififo_in = xmem_q[col*bw-1:0];
    end else begin : g_ififo_in_wide
      assign ififo_in = {{((col - row) * bw) {1'b0}}, xmem_q};
    end
  endgenerate

  wire [col*bw-1:0] ififo_out;
  wire [col-1:0]    ififo_rd_col;
  wire [col-1:0]    ififo_full;
  wire [col-1:0]    ififo_empty;

  ififo #(
      .col(col),
      .bw(bw),
      .depth(ififo_depth)
  ) u_ififo (
      .clk(clk),
      .reset(reset),
      .wr(ififo_wr),
      .in(ififo_in),
      .rd(ififo_rd),
      .out(ififo_out),
      .rd_col(ififo_rd_col),
      .full(ififo_full),
      .empty(ififo_empty)
  );

  // The IFIFO lanes are already 0 unless read, so the north edge is 0 in weight-stationary
  // operation and while draining.
  wire [col*psum_bw-1:0] north;
  genvar c;
  generate
    for (c = 0; c < col; c = c + 1) begin : g_north
      assign north[c*psum_bw+:psum_bw] = {{(psum_bw - bw) {1'b0}}, ififo_out[c*bw+:bw]};
    end
  endgenerate

  // ---- the array ----
  wire [col*psum_bw-1:0] south;
  wire [col-1:0]         valid;

  mac_array #(
      .bw(bw),
      .psum_bw(psum_bw),
      .row(row),
      .col(col)
  ) u_mac_array (
      .clk(clk),
      .reset(reset),
      .in_w(l0_out),
      .in_n(north),
      .inst_w({os_drain, os, execute, load}),
      .out_s(south),
      .valid(valid)
  );

  // ---- south edge: OFIFO ----
  wire [col*psum_bw-1:0] ofifo_out;
  wire [col-1:0]         ofifo_full;
  wire [col-1:0]         ofifo_empty;

  ofifo #(
      .col(col),
      .psum_bw(psum_bw),
      .depth(ofifo_depth)
  ) u_ofifo (
      .clk(clk),
      .reset(reset),
      .wr(valid),
      .in(south),
      .rd(ofifo_rd),
      .out(ofifo_out),
      .o_valid(ofifo_valid),
      .full(ofifo_full),
      .empty(ofifo_empty)
  );

  // ---- SFP and the pmem write data ----
  wire [col*psum_bw-1:0] pmem_sum;

  sfp #(
      .col(col),
      .psum_bw(psum_bw)
  ) u_sfp (
      .clk(clk),
      .reset(reset),
      .acc(acc),
      .init(sfp_init),
      .relu_bypass(relu_bypass),
      .psum_in(pmem_q),
      .ofifo_head(ofifo_out),
      .add_out(pmem_sum),
      .out(sfp_out)
  );

  assign pmem_d = pmem_acc ? pmem_sum : ofifo_out;

  // Flow control is the harness's (it sees ofifo_valid and counts what it pushed); the FIFOs
  // check their own overflow and underflow, so their flags and read strobes end here.
  wire unused_status = &{1'b0, l0_rd_row, l0_full, l0_empty, ififo_rd_col, ififo_full,
                         ififo_empty, ofifo_full, ofifo_empty};

endmodule

`default_nettype wire
