// The core the harness drives: corelet plus xmem (activations, weights) and pmem (psums), controlled by the INST_W-bit instruction bus of rtl/README.md.
`default_nettype none

module core #(
    parameter row = 8,
    parameter col = 8,
    parameter bw = 4,
    parameter psum_bw = 16,
    parameter l0_depth = 64,
    parameter ififo_depth = 64,
    parameter ofifo_depth = 64
) (
    input  wire                   clk,
    input  wire                   reset,        // synchronous, active high
    input  wire [38:0]            inst,         // INST_W bits, rtl/README.md
    input  wire [row*bw-1:0]      D_xmem,
    output wire                   ofifo_valid,
    output wire [col*psum_bw-1:0] sfp_out
);

  localparam sram_num = 2048;
  localparam addr_bw = 11;

  // Instruction fields: rtl/core_bus.json is their one definition (bits 33..0 as the
  // course's testbench drives them).
  wire               pmem_acc, os_drain, os, relu_bypass, sfp_init, acc;
  wire               CEN_pmem, WEN_pmem, CEN_xmem, WEN_xmem;
  wire [addr_bw-1:0] A_pmem, A_xmem;
  wire               ofifo_rd, ififo_wr, ififo_rd, l0_rd, l0_wr, execute, load;

  core_inst_decode u_inst_decode (
      .inst(inst),
      .pmem_acc(pmem_acc),
      .os_drain(os_drain),
      .os(os),
      .relu_bypass(relu_bypass),
      .sfp_init(sfp_init),
      .acc(acc),
      .CEN_pmem(CEN_pmem),
      .WEN_pmem(WEN_pmem),
      .A_pmem(A_pmem),
      .CEN_xmem(CEN_xmem),
      .WEN_xmem(WEN_xmem),
      .A_xmem(A_xmem),
      .ofifo_rd(ofifo_rd),
      .ififo_wr(ififo_wr),
      .ififo_rd(ififo_rd),
      .l0_rd(l0_rd),
      .l0_wr(l0_wr),
      .execute(execute),
      .load(load)
  );

  wire [row*bw-1:0]      xmem_q;
  wire [col*psum_bw-1:0] pmem_q;
  wire [col*psum_bw-1:0] pmem_d;

  sram #(
      .width(row * bw),
      .num(sram_num),
      .check_unwritten(0)
  ) xmem (
      .clk(clk),
      .CEN(CEN_xmem),
      .WEN(WEN_xmem),
      .A(A_xmem),
      .D(D_xmem),
      .Q(xmem_q)
  );

  sram #(
      .width(col * psum_bw),
      .num(sram_num),
      .check_unwritten(1)
  ) pmem (
      .clk(clk),
      .CEN(CEN_pmem),
      .WEN(WEN_pmem),
      .A(A_pmem),
      .D(pmem_d),
      .Q(pmem_q)
  );

  corelet #(
      .row(row),
      .col(col),
      .bw(bw),
      .psum_bw(psum_bw),
      .l0_depth(l0_depth),
      .ififo_depth(ififo_depth),
      .ofifo_depth(ofifo_depth)
  ) u_corelet (
      .clk(clk),
      .reset(reset),
      .load(load),
      .execute(execute),
      .os(os),
      .os_drain(os_drain),
      .l0_wr(l0_wr),
      .l0_rd(l0_rd),
      .ififo_wr(ififo_wr),
      .ififo_rd(ififo_rd),
      .ofifo_rd(ofifo_rd),
      .acc(acc),
      .sfp_init(sfp_init),
      .relu_bypass(relu_bypass),
      .pmem_acc(pmem_acc),
      .xmem_q(xmem_q),
      .pmem_q(pmem_q),
      .pmem_d(pmem_d),
      .ofifo_valid(ofifo_valid),
      .sfp_out(sfp_out)
  );

endmodule

`default_nettype wire
