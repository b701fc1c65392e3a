// The dataflow registry: names as reports spell them, the golden model's enum, sequences of dataflows on one core.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "golden/dataflow.hpp"
#include "tb/cosim.hpp"
#include "tb/dataflow.hpp"
#include "tb/errors.hpp"

namespace {

TEST(DataflowRegistry, NamesAreTheStringsReportsAndMetaJsonUse) {
  ASSERT_NE(tb::find_dataflow("ws"), nullptr);
  ASSERT_NE(tb::find_dataflow("os"), nullptr);
  EXPECT_EQ(tb::find_dataflow("ws"), &tb::ws_dataflow());
  EXPECT_EQ(tb::find_dataflow("os"), &tb::os_dataflow());
  EXPECT_EQ(tb::find_dataflow("os-ws-os"), nullptr);  // a sequence, not one dataflow
  EXPECT_EQ(tb::find_dataflow(""), nullptr);
}

TEST(DataflowRegistry, EveryGoldenDataflowMapsToTheStrategyOfThatName) {
  EXPECT_EQ(&tb::dataflow_of(golden::Dataflow::WeightStationary), tb::find_dataflow("ws"));
  EXPECT_EQ(&tb::dataflow_of(golden::Dataflow::OutputStationary), tb::find_dataflow("os"));
  for (const tb::DataflowStrategy* dataflow : tb::dataflows()) {
    EXPECT_EQ(&tb::dataflow_of(dataflow->golden_dataflow()), dataflow) << dataflow->name();
  }
}

TEST(DataflowRegistry, NamesAreUnique) {
  const std::vector<const tb::DataflowStrategy*>& all = tb::dataflows();
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      EXPECT_NE(std::string(all[i]->name()), all[j]->name());
    }
  }
}

TEST(DataflowSequence, ParsesDashJoinedNamesAndPrintsThemBack) {
  const std::vector<const tb::DataflowStrategy*> sequence = tb::dataflow_sequence("os-ws-os");
  ASSERT_EQ(sequence.size(), 3u);
  EXPECT_EQ(sequence[0], &tb::os_dataflow());
  EXPECT_EQ(sequence[1], &tb::ws_dataflow());
  EXPECT_EQ(sequence[2], &tb::os_dataflow());
  EXPECT_EQ(tb::dataflow_sequence_name(sequence), "os-ws-os");
  EXPECT_EQ(tb::dataflow_sequence_name(tb::dataflow_sequence("ws")), "ws");
}

TEST(DataflowSequence, UnknownPartIsAUsageErrorListingTheRegistered) {
  for (const char* text : {"xs", "os-xs", "os-", "-ws", ""}) {
    try {
      tb::dataflow_sequence(text);
      ADD_FAILURE() << "'" << text << "' was accepted";
    } catch (const tb::UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("ws, os"), std::string::npos) << error.what();
    }
  }
}

TEST(DataflowSequence, HelpNamesEveryRegisteredDataflow) {
  const std::string help = tb::dataflow_help();
  for (const tb::DataflowStrategy* dataflow : tb::dataflows()) {
    EXPECT_NE(help.find(std::string(dataflow->name()) + " ("), std::string::npos) << help;
  }
}

// A switching run is its stages back to back on one core: its cycles are the single runs'
// minus the reset the later stage no longer starts with, its checks the single runs' checks.
TEST(DataflowSequence, SwitchingRunIsItsStagesBackToBack) {
  tb::RunOptions options;
  options.layer = 27;
  options.dataflow = "ws";
  const tb::RunSummary ws = tb::run_cosim(options);
  options.dataflow = "os";
  const tb::RunSummary os = tb::run_cosim(options);
  options.dataflow = "ws-os";
  const tb::RunSummary both = tb::run_cosim(options);
  ASSERT_TRUE(ws.pass) << ws.failure;
  ASSERT_TRUE(os.pass) << os.failure;
  EXPECT_TRUE(both.pass) << both.failure;
  EXPECT_EQ(both.dataflow, "ws-os");
  const std::uint64_t os_reset = os.phase_cycles[static_cast<std::size_t>(tb::Phase::Reset)];
  EXPECT_GT(os_reset, 0u);
  EXPECT_EQ(both.cycles, ws.cycles + os.cycles - os_reset);
  EXPECT_EQ(both.psums, ws.psums + os.psums);
  EXPECT_EQ(both.outputs, ws.outputs + os.outputs);
  EXPECT_EQ(both.useful_macs, ws.useful_macs + os.useful_macs);
}

TEST(DataflowSequence, UserCoreRunsWeightStationaryOnly) {
  tb::RunOptions options;
  options.course_flow = true;
  options.dataflow = "os";
  EXPECT_THROW(tb::run_cosim(options), tb::UsageError);
  options.dataflow = "ws-ws";
  EXPECT_THROW(tb::run_cosim(options), tb::UsageError);
}

}  // namespace
