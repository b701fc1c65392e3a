// Single-port SRAM (xmem, pmem) with the course's timing: active-low CEN/WEN, write at the edge, registered read address.
`default_nettype none

// Course contract (DESIGN.md 3a): CEN=0, WEN=0 at an edge writes D to A. CEN=0, WEN=1 at an
// edge registers A, and Q shows the memory word at the registered address from then on (a later
// write to that address shows on Q after its edge). Contents are not cleared by anything (no
// reset). With check_unwritten, reading a word that was never written is reported through
// protocol_check (its contents would be whatever the simulator started with).
module sram #(
    parameter width = 32,
    parameter num = 2048,
    parameter check_unwritten = 0
) (
    input  wire                     clk,
    input  wire                     CEN,  // chip enable, active low
    input  wire                     WEN,  // write enable, active low
    input  wire [$clog2(num)-1:0]   A,
    input  wire [width-1:0]         D,
    output wire [width-1:0]         Q
);
  localparam addr_bw = $clog2(num);

  reg [width-1:0]   memory[0:num-1]  /*verilator public_flat_rd*/;  // cosim reads pmem by this name
  reg [addr_bw-1:0] address_q;

  always @(posedge clk) begin
    if (!CEN && WEN) address_q <= A;
    if (!CEN && !WEN) memory[A] <= D;
  end
  assign Q = memory[address_q];

`ifndef SYNTHESIS
  reg     written[0:num-1];
  integer i;
  initial begin
    for (i = 0; i < num; i = i + 1) written[i] = 1'b0;
  end
  always @(posedge clk) begin
    if (!CEN && !WEN) written[A] <= 1'b1;
  end

  wire [31:0] read_address = {{(32 - addr_bw) {1'b0}}, A};
  protocol_check #(
      .what("read of a word that was never written"),
      .detail_name("address")
  ) u_unwritten (
      .clk(clk),
      .fire(check_unwritten != 0 && !CEN && WEN && !written[A]),
      .detail(read_address)
  );
`endif
endmodule

`default_nettype wire
