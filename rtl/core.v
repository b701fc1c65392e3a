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

  // Instruction fields (bits 33..0 as the course's testbench drives them).
  wire               pmem_acc = inst[38];
  wire               os_drain = inst[37];
  wire               os = inst[36];
  wire               relu_bypass = inst[35];
  wire               sfp_init = inst[34];
  wire               acc = inst[33];
  wire               CEN_pmem = inst[32];
  wire               WEN_pmem = inst[31];
  wire [addr_bw-1:0] A_pmem = inst[30:20];
  wire               CEN_xmem = inst[19];
  wire               WEN_xmem = inst[18];
  wire [addr_bw-1:0] A_xmem = inst[17:7];
  wire               ofifo_rd = inst[6];
  wire               ififo_wr = inst[5];
  wire               ififo_rd = inst[4];
  wire               l0_rd = inst[3];
  wire               l0_wr = inst[2];
  wire               execute = inst[1];
  wire               load = inst[0];

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
