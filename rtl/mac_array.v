// The row x col systolic array: rows chained north to south, the PE instruction skewed one cycle per row, valid per column at the south edge.
`default_nettype none

// Timing (cycle t = the inputs before rising edge t; DESIGN.md 3a):
//   Row r receives in_w[r] and the load/execute/os bits of the instruction presented at cycle
//   t during cycle t + 1 + r (the row skew lives here; the L0 applies the same skew to its
//   reads). Inside a row every PE delays both by one more cycle per column, so PE (r, c) acts
//   during cycle t + 1 + r + c.
//   Weight-stationary execute at cycle t: the psum leaves the bottom of column c during cycle
//   t + 1 + row + c with valid[c] high (written by the OFIFO at that edge).
//   Output-stationary step at cycle t: PE (r, c) latches its activation and weight at edge
//   t + 1 + r + c and adds their product at edge t + 2 + r + c.
//   Drain: the drain bit reaches every row with the bottom row's delay (row cycles), so a
//   whole column shifts together: drain presented at cycles d .. d + row - 1 (d may be the
//   cycle right after the last output-stationary step) puts, during cycle d + k + 1 + row + c,
//   the sum of PE (row - 1 - k, c) on out_s[c] with valid[c] high: bottom row first. The
//   north edge must carry zeros while draining; they refill the PEs, which then hold 0. The
//   top row's last shift happens at edge d + 2*row + c, and an instruction presented at cycle
//   d + 2*row reaches PE (0, c) during d + 2*row + 1 + c, after it: the next execute (either
//   dataflow) may be presented from cycle d + 2*row on.
module mac_array #(
    parameter bw = 4,
    parameter psum_bw = 16,
    parameter row = 8,
    parameter col = 8
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [row*bw-1:0]      in_w,    // row r at [r*bw +: bw], aligned with the row skew
    input  wire [col*psum_bw-1:0] in_n,    // north edge: OS weights in the low bw bits, else 0
    input  wire [3:0]             inst_w,  // {drain, os, execute, load}
    output wire [col*psum_bw-1:0] out_s,   // south edge, column c at [c*psum_bw +: psum_bw]
    output wire [col-1:0]         valid
);

  // Unsupported parameters stop elaboration in every tool with a module name that says why.
  generate
    if (row < 2 || col < 2) begin : g_bad_parameters
      parameter_error_row_and_col_must_be_at_least_2 u_stop ();
    end
  endgenerate

  localparam pe_inst_bw = 4;
  localparam DRAIN = 3;

  // Course contract (DESIGN.md 3a): the instruction is registered into row 0 as into every
  // other row, so row r acts on the instruction of cycle t during cycle t + 1 + r, the cycle its
  // L0 row shows its word. inst_q[r] = inst_w delayed r + 1 cycles.
  reg [row*pe_inst_bw-1:0] inst_q;
  always @(posedge clk) begin
    if (reset) inst_q <= {(row * pe_inst_bw) {1'b0}};
    else inst_q <= {inst_q[(row-1)*pe_inst_bw-1:0], inst_w};
  end
  wire [row*pe_inst_bw-1:0] inst_row = inst_q;

  wire drain_all_rows = inst_row[(row-1)*pe_inst_bw+DRAIN];

`ifdef SYNTHESIS  // level r of the psum chain enters row r from the north; level row: south
  wire [(row+1)*col*psum_bw-1:0] psum_chain;
  wire [row*col-1:0]             valid_row;
  genvar r;

  assign psum_chain[0+:col*psum_bw] = in_n;

  generate
    for (r = 0; r < row; r = r + 1) begin : g_row
      mac_row #(
          .bw(bw),
          .psum_bw(psum_bw),
          .col(col)
      ) u_mac_row (
          .clk(clk),
          .reset(reset),
          .in_w(in_w[r*bw+:bw]),
          .inst_w({drain_all_rows, inst_row[r*pe_inst_bw+:DRAIN]}),
          .in_n(psum_chain[r*col*psum_bw+:col*psum_bw]),
          .out_s(psum_chain[(r+1)*col*psum_bw+:col*psum_bw]),
          .valid(valid_row[r*col+:col])
      );
    end
  endgenerate

  assign out_s = psum_chain[row*col*psum_bw+:col*psum_bw];
  assign valid = valid_row[(row-1)*col+:col];

  // Only the bottom row's valid leaves the array; the other rows' drain bit comes from the
  // bottom row's skew stage.
  wire unused_valid = &{1'b0, valid_row[0+:(row-1)*col]};
`else
  // The same wiring for simulators: one psum bus per row (in_n for row 0, the south edge of
  // row r - 1 above it) rather than one vector over all levels, so an event-driven simulator
  // (Icarus) re-reads only the row whose psums changed (16x16: the course testbench's layer 27
  // in a sixth of the time). Yosys (make synth, the mutant netlist of make mutation) keeps the
  // single vector above, the coding its mutation sample was drawn on.
  wire [row*col-1:0] valid_row;
  genvar r;

  generate
    for (r = 0; r < row; r = r + 1) begin : g_row
      wire [col*psum_bw-1:0] north;
      wire [col*psum_bw-1:0] south;
      if (r == 0) begin : g_top
        assign north = in_n;
      end else begin : g_below
        assign north = g_row[r-1].south;
      end
      mac_row #(
          .bw(bw),
          .psum_bw(psum_bw),
          .col(col)
      ) u_mac_row (
          .clk(clk),
          .reset(reset),
          .in_w(in_w[r*bw+:bw]),
          .inst_w({drain_all_rows, inst_row[r*pe_inst_bw+:DRAIN]}),
          .in_n(north),
          .out_s(south),
          .valid(valid_row[r*col+:col])
      );
    end
  endgenerate

  assign out_s = g_row[row-1].south;
  assign valid = valid_row[(row-1)*col+:col];
  wire unused_valid = &{1'b0, valid_row[0+:(row-1)*col]};
`endif

endmodule

`default_nettype wire
