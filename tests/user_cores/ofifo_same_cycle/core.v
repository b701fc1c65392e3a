// Variant ofifo_same_cycle: the course's 34-bit bus around rtl/'s core (renamed rtl_core) with the edit in edits.txt.
module core #(
    parameter row = 8,
    parameter col = 8,
    parameter bw = 4,
    parameter psum_bw = 16
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [33:0]            inst,
    input  wire [row*bw-1:0]      D_xmem,
    output wire                   ofifo_valid,
    output wire [col*psum_bw-1:0] sfp_out
);
  rtl_core #(.row(row), .col(col), .bw(bw), .psum_bw(psum_bw)) u_core (
      .clk(clk), .reset(reset), .inst({5'b00000, inst}), .D_xmem(D_xmem),
      .ofifo_valid(ofifo_valid), .sfp_out(sfp_out));
endmodule
