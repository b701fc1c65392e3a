// One processing element: weight-stationary (weight latch, activation east, psum south) and output-stationary (own sum, weight south, drain).
`default_nettype none

// PE instruction bits (the bundle mac_array and corelet build): 0 load, 1 execute, 2 os, 3 drain.
//
// Weight-stationary (os = 0):
//   a_q latches in_w on load or execute and is passed east (out_e = a_q).
//   b_q latches in_w on the first load cycle while load_ready_q; load_ready_q then clears and
//   re-arms as soon as load is low, so consecutive kernels need no reset. The load bit is only
//   passed east once this PE holds its weight, so PE c of a row latches word c of a col-cycle
//   load burst (word 0 = array column 0), and execute may follow the last load cycle directly.
//   c_q latches the psum from the north on every execute; out_s = a_q*b_q + c_q is
//   combinational, so each PE adds one register stage to the psum (south) and the activation
//   (east), and valid_s (registered execute) marks out_s holding a psum.
//
// Output-stationary (os = 1):
//   on execute, a_q latches the activation (west) and b_q the weight (north, low bw bits);
//   one cycle later c_q += a_q*b_q. out_s carries b_q south, a_q goes east. The first step
//   after reset or after a weight-stationary execute starts from zero (os_fresh_q), and a full
//   drain shifts zeros in from the north edge, so each accumulation starts clean.
//   drain (registered in inst_q): out_s = the PE's sum and c_q <= in_n, so a column shifts its
//   sums south one row per cycle; valid_s is high while draining.
module mac_tile #(
    parameter bw = 4,
    parameter psum_bw = 16
) (
    input  wire                  clk,
    input  wire                  reset,    // synchronous, active high
    input  wire [bw-1:0]         in_w,     // activation (execute) or weight (load) from the west
    output wire [bw-1:0]         out_e,
    input  wire [psum_bw-1:0]    in_n,     // psum (WS), weight (OS) or drained sum from the north
    output wire [psum_bw-1:0]    out_s,
    input  wire [3:0]            inst_w,
    output wire [3:0]            inst_e,
    output wire                  valid_s   // out_s holds a psum or a drained sum this cycle
);

  localparam pe_inst_bw = 4;

  localparam LOAD = 0;
  localparam EXECUTE = 1;
  localparam OS = 2;
  localparam DRAIN = 3;

  reg [bw-1:0]         a_q;
  reg [bw-1:0]         b_q;
  reg [psum_bw-1:0]    c_q;
  reg [pe_inst_bw-1:0] inst_q;
  reg                  load_ready_q;
  reg                  os_fresh_q;  // c_q holds no output-stationary sum (reads as 0)

  wire ws_execute = inst_w[EXECUTE] & ~inst_w[OS];
  wire os_execute = inst_w[EXECUTE] & inst_w[OS];
  wire os_accumulate = inst_q[EXECUTE] & inst_q[OS];
  wire draining = inst_q[DRAIN];

  wire [psum_bw-1:0] own_sum = os_fresh_q ? {psum_bw{1'b0}} : c_q;
  wire [psum_bw-1:0] mac_c = inst_q[OS] ? own_sum : c_q;
  wire [psum_bw-1:0] mac_out;

  mac #(
      .bw(bw),
      .psum_bw(psum_bw)
  ) u_mac (
      .a(a_q),
      .b(b_q),
      .c(mac_c),
      .out(mac_out)
  );

  wire [psum_bw-1:0] south = draining ? own_sum
                           : inst_q[OS] ? {{(psum_bw - bw) {1'b0}}, b_q}
                           : mac_out;
  assign out_s = south;

  assign out_e = a_q;
  assign inst_e = inst_q;
  assign valid_s = draining | (inst_q[EXECUTE] & ~inst_q[OS]);

  always @(posedge clk) begin
    if (reset) begin
      a_q <= {bw{1'b0}};
      b_q <= {bw{1'b0}};
      c_q <= {psum_bw{1'b0}};
      inst_q <= {pe_inst_bw{1'b0}};
      load_ready_q <= 1'b1;
      os_fresh_q <= 1'b1;
    end else begin
      if (inst_w[LOAD] | inst_w[EXECUTE]) a_q <= in_w;

      if (inst_w[LOAD] & load_ready_q) b_q <= in_w;
      else if (os_execute) b_q <= in_n[bw-1:0];
      load_ready_q <= ~inst_w[LOAD];

      inst_q[LOAD] <= inst_w[LOAD] & ~load_ready_q;
      inst_q[EXECUTE] <= inst_w[EXECUTE];
      inst_q[OS] <= inst_w[OS];
      inst_q[DRAIN] <= inst_w[DRAIN];

      if (draining) begin
        c_q <= in_n;
        os_fresh_q <= 1'b0;
      end else if (os_accumulate) begin
        c_q <= mac_out;
        os_fresh_q <= 1'b0;
      end else if (ws_execute) begin
        c_q <= in_n;
        os_fresh_q <= 1'b1;
      end
    end
  end

endmodule

`default_nettype wire
