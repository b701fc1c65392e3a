// One row of the systolic array: col PEs chained west to east (activation and instruction), each with its own north/south psum lanes.
`default_nettype none

module mac_row #(
    parameter bw = 4,
    parameter psum_bw = 16,
    parameter col = 8
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [bw-1:0]          in_w,    // west edge: activation or weight for column 0
    input  wire [3:0]             inst_w,  // PE instruction for column 0 (see mac_tile.v)
    input  wire [col*psum_bw-1:0] in_n,    // column c at [c*psum_bw +: psum_bw]
    output wire [col*psum_bw-1:0] out_s,
    output wire [col-1:0]         valid
);

  localparam pe_inst_bw = 4;

  // Element c of each chain enters PE c from the west; element col leaves the east edge.
  wire [(col+1)*bw-1:0]         activation_chain;
  wire [(col+1)*pe_inst_bw-1:0] inst_chain;

  assign activation_chain[0+:bw] = in_w;
  assign inst_chain[0+:pe_inst_bw] = inst_w;

  genvar c;
  generate
    for (c = 0; c < col; c = c + 1) begin : g_col
      mac_tile #(
          .bw(bw),
          .psum_bw(psum_bw)
      ) u_mac_tile (
          .clk(clk),
          .reset(reset),
          .in_w(activation_chain[c*bw+:bw]),
          .out_e(activation_chain[(c+1)*bw+:bw]),
          .in_n(in_n[c*psum_bw+:psum_bw]),
          .out_s(out_s[c*psum_bw+:psum_bw]),
          .inst_w(inst_chain[c*pe_inst_bw+:pe_inst_bw]),
          .inst_e(inst_chain[(c+1)*pe_inst_bw+:pe_inst_bw]),
          .valid_s(valid[c])
      );
    end
  endgenerate

  // The east edge of the last column leaves the array unused.
  wire unused_east = &{1'b0, activation_chain[col*bw+:bw], inst_chain[col*pe_inst_bw+:pe_inst_bw]};

endmodule

`default_nettype wire
