// Special function processor: per-column accumulation of psums read from pmem, ReLU, and the adder for in-place pmem accumulation.
`default_nettype none

// At an edge with acc: sum[c] <= init ? psum_in[c] : sum[c] + psum_in[c] (psum_bw wrap), and
// relu_bypass is sampled with it. out[c] = ReLU(sum[c]) (or sum[c] when the last acc had
// relu_bypass) is combinational from those registers, so it is valid right after that edge.
// add_out[c] = ofifo_head[c] + psum_in[c] (psum_bw wrap) is the read-add-write data for pmem.
module sfp #(
    parameter col = 8,
    parameter psum_bw = 16
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire                   acc,
    input  wire                   init,         // with acc: start a new sum
    input  wire                   relu_bypass,  // with acc: out shows the raw sum
    input  wire [col*psum_bw-1:0] psum_in,      // pmem read data (Q)
    input  wire [col*psum_bw-1:0] ofifo_head,
    output wire [col*psum_bw-1:0] add_out,
    output wire [col*psum_bw-1:0] out
);

  reg relu_bypass_q;

  always @(posedge clk) begin
    if (reset) relu_bypass_q <= 1'b0;
    else if (acc) relu_bypass_q <= relu_bypass;
  end

  genvar c;
  generate
    for (c = 0; c < col; c = c + 1) begin : g_col
      reg  [psum_bw-1:0] sum_q;
      wire [psum_bw-1:0] psum = psum_in[c*psum_bw+:psum_bw];

      always @(posedge clk) begin
        if (reset) sum_q <= {psum_bw{1'b0}};
        else if (acc) sum_q <= init ? psum : sum_q + psum;
      end

      wire keep = relu_bypass_q | ~sum_q[psum_bw-1];
      assign out[c*psum_bw+:psum_bw] = keep ? sum_q : {psum_bw{1'b0}};
      assign add_out[c*psum_bw+:psum_bw] = ofifo_head[c*psum_bw+:psum_bw] + psum;
    end
  endgenerate

endmodule

`default_nettype wire
