// Single-port SRAM (xmem, pmem): active-low CEN/WEN, write at the edge, registered read data held until the next read.
`default_nettype none

// CEN=0, WEN=0 at an edge writes D to A; CEN=0, WEN=1 reads A into Q at that edge, and Q
// keeps that word until the next read. Contents are not cleared by anything (no reset).
// With check_unwritten, reading a word that was never written is an assertion error (its
// contents would be whatever the simulator started with).
module sram #(
    parameter width = 32,
    parameter num = 2048,
    parameter check_unwritten = 0,
    localparam addr_bw = $clog2(num)
) (
    input  wire               clk,
    input  wire               CEN,  // chip enable, active low
    input  wire               WEN,  // write enable, active low
    input  wire [addr_bw-1:0] A,
    input  wire [width-1:0]   D,
    output reg  [width-1:0]   Q
);

  reg [width-1:0] memory[0:num-1];

  always @(posedge clk) begin
    if (!CEN && WEN) Q <= memory[A];
    else if (!CEN && !WEN) memory[A] <= D;
  end

`ifndef SYNTHESIS
  reg written[0:num-1];
  integer i;
  initial begin
    for (i = 0; i < num; i = i + 1) written[i] = 1'b0;
  end
  always @(posedge clk) begin
    if (!CEN && !WEN) written[A] <= 1'b1;
    if (check_unwritten != 0 && !CEN && WEN && !written[A])
      $error("%m: read of address %0d, which was never written", A);
  end
`endif

endmodule

`default_nettype wire
