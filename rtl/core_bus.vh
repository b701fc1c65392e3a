// Generated from rtl/core_bus.json by cmake/bus_codegen.cmake (do not edit): the instruction bus's fields as bit positions, for testbenches.
`ifndef CORE_BUS_VH
`define CORE_BUS_VH
`define CORE_INST_W 39
`define CORE_PMEM_ACC 38  // extension: with a pmem write: D = OFIFO head + Q_pmem (read-add-write)
`define CORE_OS_DRAIN 37  // extension: output-stationary: shift the PE sums south into the OFIFO
`define CORE_OS 36  // extension: dataflow: 0 weight-stationary, 1 output-stationary
`define CORE_RELU_BYPASS 35  // extension: with acc: sfp_out shows the raw sum
`define CORE_SFP_INIT 34  // extension: with acc: start a new sum (sum <= Q_pmem)
`define CORE_ACC 33  // course: SFP: accumulate Q_pmem
`define CORE_CEN_PMEM 32  // course: pmem chip enable, active low
`define CORE_WEN_PMEM 31  // course: pmem write enable, active low
`define CORE_A_PMEM 30:20  // course: pmem address
`define CORE_CEN_XMEM 19  // course: xmem chip enable, active low
`define CORE_WEN_XMEM 18  // course: xmem write enable, active low
`define CORE_A_XMEM 17:7  // course: xmem address
`define CORE_OFIFO_RD 6  // course: pop one word (all columns) from the OFIFO at the next edge
`define CORE_IFIFO_WR 5  // course: IFIFO write (xmem Q)
`define CORE_IFIFO_RD 4  // course: IFIFO read into the array's north edge
`define CORE_L0_RD 3  // course: L0 read into the array's west edge
`define CORE_L0_WR 2  // course: L0 write (xmem Q)
`define CORE_EXECUTE 1  // course: PE instruction: execute
`define CORE_LOAD 0  // course: PE instruction: kernel load
`endif
