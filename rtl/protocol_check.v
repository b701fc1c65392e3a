// Simulation-only protocol check of one block: an event (FIFO underflow or overflow, read of unwritten pmem) is an error in strict runs and a counted warning otherwise.
`default_nettype none
// Course testbenches read past the end of L0 and read pmem words they never wrote; course
// cores ignore both. So by default an event prints one warning, then only a running count at
// the 10th, 100th, 1000th ... event. Strict runs (cosim's Verilated builds define
// CORELET_STRICT; any simulator takes the plusarg +corelet_strict) report every event with
// $error, because for a schedule of ours each one is a bug.
// With detail_is_mask the lowest lane of the mask is looked up only when the event fires,
// not on every evaluation of the model.
module protocol_check #(
    parameter what = "protocol event",  // e.g. "FIFO underflow: read while empty"
    parameter detail_name = "lane",     // what `detail` is: "lane", "address"
    parameter detail_is_mask = 0,       // 1: `detail` is a lane mask, its lowest set lane printed
    parameter detail_bits = 32          // width of `detail`
) (
    input wire                   clk,
    input wire                   fire,   // the event happens at this edge
    input wire [detail_bits-1:0] detail  // printed with it (a lane mask if detail_is_mask)
);
`ifndef SYNTHESIS
  reg        strict;
  reg [31:0] count;
  reg [31:0] next_report;
  wire [31:0] count_next = count + 32'd1;  /*verilator coverage_off*/

  // `detail` as printed: itself (low 32 bits) or its lowest set bit's index (0: none set). It and
  // the report below run only when a check fires: line coverage counts neither (never in a pass).
  function [31:0] shown;
    input [detail_bits-1:0] value;
    integer i;
    begin
      shown = 32'd0;
      for (i = detail_bits - 1; i >= 0; i = i - 1) begin
        if (detail_is_mask == 0) shown = {shown[30:0], value[i]};
        else if (value[i]) shown = i;
      end
    end
  endfunction  /*verilator coverage_on*/

  initial begin
`ifdef CORELET_STRICT
    strict = 1'b1;
`else
    strict = $test$plusargs("corelet_strict") != 0;
`endif
    count = 32'd0;
    next_report = 32'd10;
  end
  always @(posedge clk) begin
    if (fire) begin  /*verilator coverage_off*/
      count <= count_next;
      if (strict) begin
        $error("%m: %0s (%0s %0d)", what, detail_name, shown(detail));
      end else if (count_next == 32'd1) begin
        $display("WARNING: %m: %0s (%0s %0d) at time %0t; counted, not repeated (+corelet_strict: error)",
                 what, detail_name, shown(detail), $time);
      end else if (count_next == next_report) begin
        $display("WARNING: %m: %0d times so far: %0s", count_next, what);
        next_report <= next_report * 32'd10;
      end
    end  /*verilator coverage_on*/
  end
`else
  wire unused = &{1'b0, clk, fire, detail};
`endif
endmodule

`default_nettype wire
