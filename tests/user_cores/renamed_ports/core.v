// Variant renamed_ports: the course's 34-bit bus with ports named D and sfu_out, around rtl/'s core (renamed rtl_core).
module core #(
    parameter row = 8,
    parameter col = 8,
    parameter bw = 4,
    parameter psum_bw = 16
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [33:0]            inst,
    input  wire [row*bw-1:0]      D,
    output wire                   ofifo_valid,
    output wire [col*psum_bw-1:0] sfu_out
);
  rtl_core #(.row(row), .col(col), .bw(bw), .psum_bw(psum_bw)) u_core (
      .clk(clk), .reset(reset), .inst({5'b00000, inst}), .D_xmem(D),
      .ofifo_valid(ofifo_valid), .sfp_out(sfu_out));
endmodule
