// What a shard of the regression leaves in its folder (shard.json beside the JUnit XML and the runs' JSON reports), and the merge of every shard's folder into one result.
#pragma once

#include <string>
#include <vector>

#include "golden/error.hpp"
#include "run_list.hpp"
#include "shard_planner.hpp"
#include "tb/layer_table.hpp"

namespace regress {

// One finished run: what was asked, the figures (tb::LayerRow) and where its files are,
// relative to the shard's folder ("runs/<stem>.json"; empty when cosim wrote none).
struct RunResult {
  RunSpec spec;
  long long predicted_cycles = 0;
  tb::LayerRow row;
  std::string report;
  std::string log;
};

// A run about to start: its spec, predicted cycles, the row's model, layer, seed, dataflow and
// array, and its report and log paths (runs/<stem>.json, runs/<stem>.log).
RunResult pending_result(const RunSpec& spec);

// A shard's folder: which shard of which run list, and its runs.
struct ShardResults {
  ShardSpec shard;
  std::vector<std::string> run_list;  // every run's name in the whole (unsharded) list
  double elapsed_s = 0;
  std::vector<RunResult> runs;
  std::string folder;  // where it was read from (not written)
};

inline constexpr const char* kShardFile = "shard.json";
// The same format before anything ran: the whole list, its runs pending, most expensive first.
inline constexpr const char* kPlanFile = "plan.json";

// Writes folder/shard.json (or folder/<file>). Throws std::runtime_error when it cannot be
// written.
void write_shard_results(const std::string& folder, const ShardResults& results,
                         const std::string& file = kShardFile);
// Reads folder/shard.json (or folder/<file>); throws golden::InputError naming the file and
// what is wrong (a missing shard.json says the shard did not finish).
ShardResults read_shard_results(const std::string& folder, const std::string& file = kShardFile);

// The shards of one run list put together: shard 1/1 of the same list, runs in list order,
// elapsed_s the slowest shard's.
// Refuses (golden::InputError, listing every problem) folders of different run lists or shard
// counts, a shard index given twice, a missing shard, a run in two shards, and a run of the
// list that no shard ran.
ShardResults merge_shards(const std::vector<ShardResults>& shards);

// A Markdown summary for a CI job page: verdict line, one table row per run (cycles, ideal,
// efficiency, cycles/s, result) and the failures with their first mismatch.
std::string markdown_summary(const std::vector<tb::LayerRow>& rows, double elapsed_s);

std::vector<tb::LayerRow> layer_rows(const ShardResults& results);

}  // namespace regress
