// A core off the contract's OFIFO timing and a run over its cycle limit stop with FAIL (exit 1), say where, and leave a complete waveform.
#include <string>

#include <gtest/gtest.h>

#include "mutants_test_support.hpp"
#include "tb/cosim.hpp"
#include "text_pattern.hpp"

namespace {

using fault_test::read_vcd_end;
using fault_test::run_program;
using fault_test::scratch;

// o_valid stuck at 0: the schedule follows the contract's cycle counts, so the run stops at the
// first cycle the core's ofifo_valid disagrees with them (where a schedule waiting on
// ofifo_valid would hang until the watchdog), naming the execute whose psum word is missing.
TEST(Contract, ACoreThatNeverRaisesOfifoValidIsStoppedWhereItsFirstWordIsDue) {
  tb::RunOptions options;
  options.rtl_variant = "MUTANT_OFIFO_VALID_STUCK_LOW";
  options.stall_cycles = 700;
  options.trace.path = scratch("stuck_low_valid.vcd").string();
  const tb::RunSummary summary = tb::run_cosim(options);
  EXPECT_FALSE(summary.pass);
  // Layer 27 on 8x8: the first execute is at cycle 127, its word complete in every OFIFO
  // column after edge 127 + 8 + 8, so ofifo_valid must be high during cycle 144.
  EXPECT_EQ(summary.failure,
            "at cycle 144: ofifo_valid is low although the psum word of the instruction issued "
            "at cycle 127 should be in every OFIFO column since edge 143 (16 cycles later, "
            "DESIGN.md 3a)");
  EXPECT_EQ(summary.psums, 0);
  EXPECT_EQ(summary.cycles, 144U);

  const fault_test::VcdEnd vcd = read_vcd_end(options.trace.path);
  EXPECT_TRUE(vcd.header_complete);
  EXPECT_TRUE(vcd.ends_with_newline);
  // The last dump is at the end of the last applied cycle: 10 time units per cycle.
  EXPECT_EQ(vcd.last_time, static_cast<long long>(summary.cycles) * 10);
}

TEST(Contract, ACoreThatNeverRaisesOfifoValidExitsOneFromTheCommandLine) {
  const std::string trace = scratch("stuck_low_valid_cli.vcd").string();
  const fault_test::ProcessResult run =
      run_program(TB_COSIM_FAULTS_PROGRAM, {"--rtl-variant", "MUTANT_OFIFO_VALID_STUCK_LOW",
                                            "--stall-cycles", "500", "--trace", trace});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("at cycle 144: ofifo_valid is low although the psum word of the "
                            "instruction issued at cycle 127"),
            std::string::npos)
      << run.output;
  const std::string last = fault_test::last_line(run.output);
  const std::vector<std::string> cycles =
      text_pattern::first_match(last, "^FAIL psums=0 .* cycles=([0-9]+) ");
  ASSERT_FALSE(cycles.empty()) << last;
  const fault_test::VcdEnd vcd = read_vcd_end(trace);
  EXPECT_TRUE(vcd.header_complete);
  EXPECT_EQ(vcd.last_time, std::stoll(cycles[1]) * 10);
}

// The real core with a cycle budget too small for the layer: FAIL naming the phase and the
// place in the kij loop, and a waveform that ends at the last cycle run.
TEST(Watchdog, CycleLimitNamesThePhaseAndThePlaceAndClosesTheTrace) {
  const std::string trace = scratch("cycle_limit.vcd").string();
  const fault_test::ProcessResult run =
      run_program(TB_COSIM_PROGRAM, {"--max-cycles", "300", "--trace", trace});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(text_pattern::search(
      run.output, "error: cycle limit: 300 cycles reached in (load|execute|drain) of "
                  "oc_tile 0 ic_tile 0 kij [0-8]"))
      << run.output;
  EXPECT_TRUE(text_pattern::search(fault_test::last_line(run.output), "^FAIL .* cycles=300 "))
      << run.output;
  const fault_test::VcdEnd vcd = read_vcd_end(trace);
  EXPECT_TRUE(vcd.header_complete);
  EXPECT_TRUE(vcd.ends_with_newline);
  EXPECT_EQ(vcd.last_time, 3000);
}

}  // namespace
