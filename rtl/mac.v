// One multiply-accumulate: out = a*b + c, a unsigned bw-bit, b signed bw-bit, c/out psum_bw-bit two's complement (wraps).
`default_nettype none

module mac #(
    parameter bw = 4,
    parameter psum_bw = 16
) (
    input  wire [bw-1:0]      a,    // activation, unsigned
    input  wire [bw-1:0]      b,    // weight, two's complement
    input  wire [psum_bw-1:0] c,    // incoming psum
    output wire [psum_bw-1:0] out
);

  // The product of a (bw+1 bits with its zero sign bit) and b (bw+1 bits sign-extended)
  // needs 2*bw+2 bits; it is then sign-extended to psum_bw (psum_bw >= 2*bw+2 for bw=4,
  // psum_bw=16) so that negative products subtract from c.
  // Unsupported parameters stop elaboration in every tool with a module name that says why.
  generate
    if (psum_bw < 2 * bw + 2) begin : g_bad_parameters
      parameter_error_psum_bw_must_be_at_least_2_bw_plus_2 u_stop ();
    end
  endgenerate

  localparam product_bw = 2 * bw + 2;

  wire signed [bw:0] a_ext = {1'b0, a};
  wire signed [bw:0] b_ext = {b[bw-1], b};
  wire signed [product_bw-1:0] product = a_ext * b_ext;
  wire [psum_bw-1:0] product_ext = {{(psum_bw - product_bw) {product[product_bw-1]}}, product};

  assign out = product_ext + c;

endmodule

`default_nettype wire
