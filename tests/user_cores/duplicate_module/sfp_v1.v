// An older SFP left beside rtl/sfp.v under another file name: the same module name, another
// port list. Icarus stops on the second declaration; cosim must stop too, naming both files.
module sfp #(
    parameter psum_bw = 16
) (
    input  wire               clk,
    input  wire [psum_bw-1:0] in,
    output reg  [psum_bw-1:0] out
);
  always @(posedge clk) out <= in;
endmodule
