// Generated from rtl/core_bus.json by cmake/bus_codegen.cmake (do not edit): the instruction word split into its fields.
`default_nettype none

module core_inst_decode (
    input  wire [38:0] inst,
    output wire        pmem_acc,  // extension: with a pmem write: D = OFIFO head + Q_pmem (read-add-write)
    output wire        os_drain,  // extension: output-stationary: shift the PE sums south into the OFIFO
    output wire        os,  // extension: dataflow: 0 weight-stationary, 1 output-stationary
    output wire        relu_bypass,  // extension: with acc: sfp_out shows the raw sum
    output wire        sfp_init,  // extension: with acc: start a new sum (sum <= Q_pmem)
    output wire        acc,  // course: SFP: accumulate Q_pmem
    output wire        CEN_pmem,  // course: pmem chip enable, active low
    output wire        WEN_pmem,  // course: pmem write enable, active low
    output wire [10:0] A_pmem,  // course: pmem address
    output wire        CEN_xmem,  // course: xmem chip enable, active low
    output wire        WEN_xmem,  // course: xmem write enable, active low
    output wire [10:0] A_xmem,  // course: xmem address
    output wire        ofifo_rd,  // course: pop one word (all columns) from the OFIFO at the next edge
    output wire        ififo_wr,  // course: IFIFO write (xmem Q)
    output wire        ififo_rd,  // course: IFIFO read into the array's north edge
    output wire        l0_rd,  // course: L0 read into the array's west edge
    output wire        l0_wr,  // course: L0 write (xmem Q)
    output wire        execute,  // course: PE instruction: execute
    output wire        load  // course: PE instruction: kernel load
);
  assign pmem_acc = inst[38];
  assign os_drain = inst[37];
  assign os = inst[36];
  assign relu_bypass = inst[35];
  assign sfp_init = inst[34];
  assign acc = inst[33];
  assign CEN_pmem = inst[32];
  assign WEN_pmem = inst[31];
  assign A_pmem = inst[30:20];
  assign CEN_xmem = inst[19];
  assign WEN_xmem = inst[18];
  assign A_xmem = inst[17:7];
  assign ofifo_rd = inst[6];
  assign ififo_wr = inst[5];
  assign ififo_rd = inst[4];
  assign l0_rd = inst[3];
  assign l0_wr = inst[2];
  assign execute = inst[1];
  assign load = inst[0];
endmodule

`default_nettype wire
