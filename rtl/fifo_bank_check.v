// Simulation-only underflow and overflow checks of a bank of FIFO lanes (L0 rows, IFIFO or OFIFO columns), one report per bank naming the first lane.
`default_nettype none

module fifo_bank_check #(
    parameter lanes = 8
) (
    input wire             clk,
    input wire             reset,
    input wire [lanes-1:0] rd,     // lane popped this cycle (read enable as the FIFO sees it)
    input wire [lanes-1:0] wr,
    input wire [lanes-1:0] full,
    input wire [lanes-1:0] empty
);
  wire [lanes-1:0] underflow = reset ? {lanes{1'b0}} : rd & empty;
  wire [lanes-1:0] overflow = reset ? {lanes{1'b0}} : wr & full & ~rd;

`ifndef SYNTHESIS
  // protocol_check prints the lowest lane of the mask, looked up only when the check fires.
  protocol_check #(
      .what("FIFO underflow: read while empty"),
      .detail_is_mask(1),
      .detail_bits(lanes)
  ) u_underflow (
      .clk(clk),
      .fire(|underflow),
      .detail(underflow)
  );

  protocol_check #(
      .what("FIFO overflow: write while full"),
      .detail_is_mask(1),
      .detail_bits(lanes)
  ) u_overflow (
      .clk(clk),
      .fire(|overflow),
      .detail(overflow)
  );
`else
  // Yosys numbers the cells it creates in reading order and the mutation sample's keys
  // (tools/mutation) name cells by those numbers, so synthesis reads the lookup here.
  // Index of the lowest set bit (0 when none is set).
  function [31:0] first_lane;
    input [lanes-1:0] bits;
    integer i;
    begin
      first_lane = 32'd0;
      for (i = lanes - 1; i >= 0; i = i - 1) if (bits[i]) first_lane = i;
    end
  endfunction

  protocol_check #(
      .what("FIFO underflow: read while empty")
  ) u_underflow (
      .clk(clk),
      .fire(|underflow),
      .detail(first_lane(underflow))
  );

  protocol_check #(
      .what("FIFO overflow: write while full")
  ) u_overflow (
      .clk(clk),
      .fire(|overflow),
      .detail(first_lane(overflow))
  );
`endif
endmodule

`default_nettype wire
