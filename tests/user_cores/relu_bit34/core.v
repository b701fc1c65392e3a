// Variant relu_bit34: a 35-bit bus whose bit 34 turns ReLU on at sfp_out, around rtl/'s core (renamed rtl_core).
module core #(
    parameter row = 8,
    parameter col = 8,
    parameter bw = 4,
    parameter psum_bw = 16
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [34:0]            inst,   // bit 34: relu
    input  wire [row*bw-1:0]      D_xmem,
    output wire                   ofifo_valid,
    output wire [col*psum_bw-1:0] sfp_out
);
  // rtl_core's bit 35 is relu_bypass, bit 34 sfp_init (left 0: the course flow resets instead).
  rtl_core #(.row(row), .col(col), .bw(bw), .psum_bw(psum_bw)) u_core (
      .clk(clk), .reset(reset), .inst({3'b000, ~inst[34], 1'b0, inst[33:0]}), .D_xmem(D_xmem),
      .ofifo_valid(ofifo_valid), .sfp_out(sfp_out));
endmodule
