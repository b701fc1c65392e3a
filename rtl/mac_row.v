// One row of the systolic array: col PEs chained west to east (activation and instruction), each with its own north/south psum lanes; simulators read the same row coded as lane vectors.
`default_nettype none

module mac_row #(
    parameter bw = 4,
    parameter psum_bw = 16,
    parameter col = 8
) (
    input  wire                   clk,
    input  wire                   reset,
    input  wire [bw-1:0]          in_w   /*verilator public_flat_rd*/,  // column 0's activation/weight
    input  wire [3:0]             inst_w /*verilator public_flat_rd*/,  // column 0's PE instruction
    input  wire [col*psum_bw-1:0] in_n   /*verilator public_flat_rd*/,  // column c at [c*psum_bw +: psum_bw]
    output wire [col*psum_bw-1:0] out_s  /*verilator public_flat_rd*/,  // column c as in in_n
    output wire [col-1:0]         valid
);

  localparam pe_inst_bw = 4;
`ifdef SYNTHESIS  // one mac_tile per PE; simulators read the lane coding below
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
`else
  // For Verilator the ports the neighbours drive or read (in_w, inst_w, in_n, out_s) are public,
  // so each row reads and writes them as variables of its own, every row's code is the same,
  // and Verilator emits one copy of it for all rows instead of one per row with the neighbour's
  // signals substituted in. At 16x16 the per-cycle C++ is 0.8 MB instead of 2.0 MB, compiles in
  // 4.6 s instead of 15.8 s and runs faster (tb/SCHEDULE.md).
  // The same row for simulators, with mac_tile's registers of all col PEs side by side in
  // vectors, PE c at lane c ([c*bw +: bw]), so that a simulator shifts the activation and the
  // instruction east and latches the weights with a few word operations per row instead of a
  // few per PE. Each one-bit register (an instruction bit, load_ready) sits in bit 0 of its
  // lane; multiplying such a vector by {bw{1'b1}} widens each bit to its whole lane (no carry
  // crosses a lane), and the PEs' flags are computed for the whole row at once. The psum
  // register, os_fresh_q and the multiply-add stay per PE; the multiply-add is mac.v's sum
  // taken modulo 2^psum_bw, which Verilator turns into one multiply and one add.
  // Behaviour, cycle for cycle, is mac_tile's (see mac_tile.v): tests/rtl/mac_row_equiv.cmake
  // proves the two codings equal (Yosys: equal registers after a reset, then by induction). For
  // waveforms each PE has a scope g_col[c].u_mac_tile with mac_tile's register names.
  localparam lanes_bw = col * bw;
  localparam [lanes_bw-1:0] lane_lsb = {col{{{(bw - 1) {1'b0}}, 1'b1}}};
  localparam [bw-1:0] lane_ones = {bw{1'b1}};
  localparam [bw-1:0] lane_sign = {1'b1, {(bw - 1) {1'b0}}};  // a weight's sign bit
  localparam [psum_bw-1:0] lane_sign_wide = {{(psum_bw - bw) {1'b0}}, lane_sign};

  generate  // mac.v's check: the product and its sign fit the psum
    if (psum_bw < 2 * bw + 2) begin : g_bad_parameters
      parameter_error_psum_bw_must_be_at_least_2_bw_plus_2 u_stop ();
    end
  endgenerate

  reg [lanes_bw-1:0] a_lanes;      // a_q
  reg [lanes_bw-1:0] b_lanes;      // b_q
  reg [lanes_bw-1:0] load_lanes;   // inst_q[LOAD]
  reg [lanes_bw-1:0] exec_lanes;   // inst_q[EXECUTE]
  reg [lanes_bw-1:0] os_lanes;     // inst_q[OS]
  reg [lanes_bw-1:0] drain_lanes;  // inst_q[DRAIN]
  reg [lanes_bw-1:0] ready_lanes;  // load_ready_q

  // What each PE receives from the west (in_w, inst_w): the row's inputs for PE 0, the
  // registers of PE c - 1 for PE c.
  wire [bw-1:0] load_in = lane_lsb[bw-1:0] & {bw{inst_w[0]}};
  wire [bw-1:0] exec_in = lane_lsb[bw-1:0] & {bw{inst_w[1]}};
  wire [bw-1:0] os_in = lane_lsb[bw-1:0] & {bw{inst_w[2]}};
  wire [bw-1:0] drain_in = lane_lsb[bw-1:0] & {bw{inst_w[3]}};
  wire [lanes_bw-1:0] a_west = {a_lanes[lanes_bw-bw-1:0], in_w};
  wire [lanes_bw-1:0] load_west = {load_lanes[lanes_bw-bw-1:0], load_in};
  wire [lanes_bw-1:0] exec_west = {exec_lanes[lanes_bw-bw-1:0], exec_in};
  wire [lanes_bw-1:0] os_west = {os_lanes[lanes_bw-bw-1:0], os_in};
  wire [lanes_bw-1:0] drain_west = {drain_lanes[lanes_bw-bw-1:0], drain_in};

  // Lane masks: a_q latches on load or execute; b_q on the first load cycle, else from the
  // north on an output-stationary execute.
  // Only bit 0 of a flag's lane is ever set; the masks say so, which keeps a lane's product
  // inside the lane in any state, as the induction of tests/rtl/mac_row_equiv.cmake needs.
  wire [lanes_bw-1:0] latch_a = ((load_west | exec_west) & lane_lsb) * lane_ones;
  wire [lanes_bw-1:0] load_b = (load_west & ready_lanes & lane_lsb) * lane_ones;
  wire [lanes_bw-1:0] north_b = ((exec_west & os_west & lane_lsb) * lane_ones) & ~load_b;
  wire [lanes_bw-1:0] north_low;  // in_n's low bw bits of each PE
  // Per PE flags, one bit per lane, computed a row at a time.
  wire [lanes_bw-1:0] os_accumulate_lanes = exec_lanes & os_lanes;
  wire [lanes_bw-1:0] ws_execute_lanes = exec_west & ~os_west;
  wire [lanes_bw-1:0] valid_lanes = drain_lanes | (exec_lanes & ~os_lanes);

  always @(posedge clk) begin
    if (reset) begin
      a_lanes <= {lanes_bw{1'b0}};
      b_lanes <= {lanes_bw{1'b0}};
      load_lanes <= {lanes_bw{1'b0}};
      exec_lanes <= {lanes_bw{1'b0}};
      os_lanes <= {lanes_bw{1'b0}};
      drain_lanes <= {lanes_bw{1'b0}};
      ready_lanes <= lane_lsb;
    end else begin
      a_lanes <= (a_west & latch_a) | (a_lanes & ~latch_a);
      // The north term only on an output-stationary execute: other cycles skip gathering
      // in_n's lanes.
      if (|north_b)
        b_lanes <= (a_west & load_b) | (north_low & north_b) | (b_lanes & ~(load_b | north_b));
      else b_lanes <= (a_west & load_b) | (b_lanes & ~load_b);
      ready_lanes <= ~load_west & lane_lsb;
      load_lanes <= load_west & ~ready_lanes;
      exec_lanes <= exec_west;
      os_lanes <= os_west;
      drain_lanes <= drain_west;
    end
  end

  genvar c;
  generate
    for (c = 0; c < col; c = c + 1) begin : g_col
      if (1) begin : u_mac_tile
        wire [psum_bw-1:0] in_n_pe = in_n[c*psum_bw+:psum_bw];
        wire [bw-1:0]      a_q = a_lanes[c*bw+:bw];
        wire [bw-1:0]      b_q = b_lanes[c*bw+:bw];
        wire               draining = drain_lanes[c*bw];
        wire               os_mode = os_lanes[c*bw];
        wire               os_accumulate = os_accumulate_lanes[c*bw];
        wire               ws_execute = ws_execute_lanes[c*bw];
        wire [pe_inst_bw-1:0] inst_q = {draining, os_mode, exec_lanes[c*bw], load_lanes[c*bw]};
        wire               load_ready_q = ready_lanes[c*bw];
        wire               unused_views = &{1'b0, inst_q, load_ready_q};  // waveforms, proof
        reg [psum_bw-1:0]  c_q;
        reg                os_fresh_q;

        wire [psum_bw-1:0] own_sum = os_fresh_q ? {psum_bw{1'b0}} : c_q;
        // mac.v's c: own_sum when output-stationary, else c_q.
        wire [psum_bw-1:0] mac_c = (os_mode & os_fresh_q) ? {psum_bw{1'b0}} : c_q;
        // mac.v's out = sign-extended a * b + c, modulo 2^psum_bw: a zero-extended times b
        // sign-extended ((b ^ sign) - sign) is the same product modulo 2^psum_bw.
        wire [psum_bw-1:0] a_wide = {{(psum_bw - bw) {1'b0}}, a_q};
        wire [psum_bw-1:0] b_wide = {{(psum_bw - bw) {1'b0}}, b_q ^ lane_sign} - lane_sign_wide;
        wire [psum_bw-1:0] mac_out = a_wide * b_wide + mac_c;

        wire [psum_bw-1:0] south = draining ? own_sum
                                 : os_mode ? {{(psum_bw - bw) {1'b0}}, b_q}
                                 : mac_out;
        assign out_s[c*psum_bw+:psum_bw] = south;
        assign north_low[c*bw+:bw] = in_n_pe[bw-1:0];
        assign valid[c] = valid_lanes[c*bw];

        always @(posedge clk) begin
          if (reset) begin
            c_q <= {psum_bw{1'b0}};
            os_fresh_q <= 1'b1;
          end else if (draining) begin
            c_q <= in_n_pe;
            os_fresh_q <= 1'b0;
          end else if (os_accumulate) begin
            c_q <= mac_out;
            os_fresh_q <= 1'b0;
          end else if (ws_execute) begin
            c_q <= in_n_pe;
            os_fresh_q <= 1'b1;
          end
        end
      end
    end
  endgenerate

  // The east edge of the last column leaves the array unused, and the instruction's flags use
  // only bit 0 of their lanes.
  wire unused_lanes = &{1'b0, a_lanes[lanes_bw-1-:bw], load_lanes, exec_lanes, os_lanes,
                        drain_lanes, ready_lanes};
`endif

endmodule

`default_nettype wire
