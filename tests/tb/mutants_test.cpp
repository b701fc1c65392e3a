// Mutation builds in-process: each fault shows up at its kind of place, and an RTL $error is a reported failure, never an abort.
#include <string>

#include <gtest/gtest.h>

#include "mutants_test_support.hpp"
#include "tb/bus.hpp"
#include "tb/core_driver.hpp"
#include "tb/cosim.hpp"
#include "text_pattern.hpp"

namespace {

using fault_test::read_vcd_end;
using fault_test::run_program;
using fault_test::scratch;

tb::RunSummary run_mutant(const std::string& mutant, const std::string& trace = {},
                          bool check_ofifo_valid = true, int psum_latency = 0) {
  tb::RunOptions options;
  options.rtl_variant = mutant;
  options.sequencer.check_ofifo_valid = check_ofifo_valid;
  options.sequencer.psum_latency = psum_latency;
  options.stall_cycles = 2000;
  options.trace.path = trace;
  return tb::run_cosim(options);
}

// Psums are read back with relu_bypass, so a ReLU fault leaves every psum right and only the
// outputs after the 9-kij accumulation wrong.
TEST(Mutants, ReluOnTheWrongSignShowsOnlyInSfpOutputs) {
  const tb::RunSummary summary = run_mutant("MUTANT_RELU_WRONG_SIGN");
  EXPECT_FALSE(summary.pass);
  EXPECT_EQ(summary.psums, summary.expected_psums);
  EXPECT_EQ(summary.psum_mismatches, 0);
  EXPECT_GT(summary.output_mismatches, 0);
  ASSERT_FALSE(summary.mismatch_lines.empty());
  EXPECT_NE(summary.mismatch_lines.front().find(": ReLU output of oc_tile 0 o_nij "),
            std::string::npos)
      << summary.mismatch_lines.front();
}

// A weight read as unsigned turns every negative product positive: the psums themselves.
TEST(Mutants, DroppedSignExtensionShowsInPsums) {
  const tb::RunSummary summary = run_mutant("MUTANT_NO_SIGN_EXT");
  EXPECT_FALSE(summary.pass);
  EXPECT_GT(summary.psum_mismatches, 0);
  ASSERT_FALSE(summary.mismatch_lines.empty());
  EXPECT_NE(summary.mismatch_lines.front().find(": psum of oc_tile 0 ic_tile 0 kij "),
            std::string::npos)
      << summary.mismatch_lines.front();
}

// o_valid as soon as column 0 holds a word. The contract check names the first cycle it is
// high too early; without it (a core whose ofifo_valid is not compared) the harness still pops
// by the cycle counts, and the OFIFO underflow $error of the mutant's early pops stops the run.
TEST(Contract, OfifoValidHighBeforeEveryColumnHoldsTheWordIsNamedAtItsCycle) {
  const tb::RunSummary summary = run_mutant("MUTANT_OFIFO_VALID_EARLY");
  EXPECT_FALSE(summary.pass);
  // Layer 27 on 8x8: the first execute at cycle 127 reaches column 0 of the OFIFO at edge
  // 127 + 1 + 8: the mutant's ofifo_valid is high during cycle 137, the contract's from 144.
  EXPECT_EQ(summary.failure,
            "at cycle 137: ofifo_valid is high before the next psum word can be complete in "
            "every column (its instruction was issued at cycle 127; the last column's word "
            "arrives at edge 143)");
}

// A schedule that pops each psum word one cycle before the contract says it is complete (and
// does not compare ofifo_valid): the OFIFO's underflow $error fires at the first early pop and
// the run stops there with FAIL. (The mutant only touches the SFP's ReLU.)
TEST(Assertions, RtlErrorIsAReportedFailureAndTheTraceIsClosed) {
  const std::string trace = scratch("early_pop.vcd").string();
  const tb::RunSummary summary = run_mutant("MUTANT_RELU_WRONG_SIGN", trace, false, 8 + 8 - 1);
  EXPECT_FALSE(summary.pass);
  EXPECT_NE(summary.failure.find("the RTL reported an error ($error, $fatal or a failed "
                                 "assertion, printed above) at cycle "),
            std::string::npos)
      << summary.failure;
  // Psum words are moved to pmem while the kij loop still executes: the first (early) pop comes
  // during the first kernel's execute.
  EXPECT_TRUE(text_pattern::search(summary.failure,
                                   " in execute of oc_tile 0 ic_tile 0 kij 0 nij [0-9]+$"))
      << summary.failure;
  const fault_test::VcdEnd vcd = read_vcd_end(trace);
  EXPECT_TRUE(vcd.header_complete);
  EXPECT_EQ(vcd.last_time, static_cast<long long>(summary.cycles) * 10);

  // The binary is still alive, and a fresh context runs a whole layer after the error.
  const tb::RunSummary after = run_mutant("MUTANT_RELU_WRONG_SIGN");
  EXPECT_EQ(after.psums, after.expected_psums);
  EXPECT_EQ(after.outputs, after.expected_outputs);
}

TEST(Assertions, RtlErrorExitsOneWithTheRtlMessageFromTheCommandLine) {
  const fault_test::ProcessResult run =
      run_program(TB_COSIM_FAULTS_PROGRAM,
                  {"--rtl-variant", "MUTANT_RELU_WRONG_SIGN", "--psum-latency", "15",
                   "--no-ofifo-valid-check"});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FIFO underflow: read while empty"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("error: the RTL reported an error"), std::string::npos) << run.output;
  EXPECT_EQ(fault_test::last_line(run.output).rfind("FAIL ", 0), 0U) << run.output;
}

// A hand-built instruction stream: ofifo_rd right after reset pops an empty OFIFO at the next edge. The FIFOs
// are the same in every build of this program (the mutant here only touches the SFP's ReLU).
TEST(Assertions, OfifoReadAfterResetIsAnUnderflowTheDriverReports) {
  tb::DriverOptions options;
  options.rtl_variant = "MUTANT_RELU_WRONG_SIGN";
  options.trace.path = scratch("underflow.vcd").string();
  std::unique_ptr<tb::CoreDriver> core =
      tb::make_core_driver(golden::ArrayShape::square(8), options);
  core->reset(2);
  tb::BusCycle idle;
  core->step(idle);
  EXPECT_FALSE(core->rtl_error());
  tb::BusCycle pop = idle;
  pop.inst = tb::inst::with(idle.inst, tb::inst::kOfifoRd, 1);
  core->step(pop);
  // The OFIFO read enable is a register: the pop, and so the underflow, is at the next edge.
  EXPECT_FALSE(core->rtl_error());
  core->step(idle);
  EXPECT_TRUE(core->rtl_error());
  core->finish();
  const fault_test::VcdEnd vcd = read_vcd_end(options.trace.path);
  EXPECT_TRUE(vcd.header_complete);
  EXPECT_EQ(vcd.last_time, 50);  // 2 reset cycles + 3 cycles, 10 time units each
}

}  // namespace
