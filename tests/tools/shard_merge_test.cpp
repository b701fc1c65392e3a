// Merging shard folders: the runs of every shard once, refused when a shard is missing, given twice, or a run appears twice.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "golden/error.hpp"
#include "regress/shard_results.hpp"

namespace {

namespace fs = std::filesystem;

const std::vector<regress::RunSpec> kShardRuns{
    {"vgg16_sq8", 27, 8, 1, "ws"}, {"vgg16_sq8", 27, 16, 1, "ws"},
    {"vgg16_sq8", 24, 8, 1, "ws"}, {"vgg16_sq8", 27, 8, 1, "os"},
    {"vgg16_sq8", 29, 8, 1, "ws"}};

fs::path shard_scratch(const std::string& name) {
  const fs::path folder = fs::path(TOOLS_TEST_SCRATCH_DIR) / name;
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

regress::RunResult result_of(const regress::RunSpec& spec, bool pass) {
  regress::RunResult run = regress::pending_result(spec);
  run.log.clear();
  run.row.cycles = static_cast<std::uint64_t>(run.predicted_cycles);
  run.row.pass = pass;
  run.row.failure = pass ? "" : "psum mismatch at cycle 12";
  return run;
}

// Writes the N shard folders the planner gives for kShardRuns, as regress --shard i/N would.
std::vector<std::string> write_shards(const fs::path& root, int count) {
  const std::vector<regress::ShardItem> items = regress::shard_items(kShardRuns);
  std::vector<std::string> folders;
  for (int index = 1; index <= count; ++index) {
    regress::ShardResults shard;
    shard.shard = {index, count};
    for (const regress::RunSpec& run : kShardRuns) shard.run_list.push_back(run.name());
    shard.elapsed_s = index;
    for (const std::size_t position : regress::shard_members(items, shard.shard)) {
      shard.runs.push_back(result_of(kShardRuns[position], kShardRuns[position].layer != 24));
    }
    const fs::path folder = root / ("shard-" + std::to_string(index));
    regress::write_shard_results(folder.string(), shard);
    folders.push_back(folder.string());
  }
  return folders;
}

std::vector<regress::ShardResults> read_all(const std::vector<std::string>& folders) {
  std::vector<regress::ShardResults> shards;
  for (const std::string& folder : folders) shards.push_back(regress::read_shard_results(folder));
  return shards;
}

std::string refusal(const std::vector<regress::ShardResults>& shards) {
  try {
    regress::merge_shards(shards);
  } catch (const golden::InputError& error) {
    return error.what();
  }
  return "merged";
}

TEST(ShardMerge, ThreeShardsGiveTheRunListOnceInOrder) {
  const std::vector<std::string> folders = write_shards(shard_scratch("three"), 3);
  const regress::ShardResults merged = regress::merge_shards(read_all(folders));
  ASSERT_EQ(merged.runs.size(), kShardRuns.size());
  for (std::size_t i = 0; i < kShardRuns.size(); ++i) {
    EXPECT_EQ(merged.runs[i].spec.name(), kShardRuns[i].name());
    EXPECT_EQ(merged.runs[i].row.pass, kShardRuns[i].layer != 24) << kShardRuns[i].name();
    // Report paths now point into the shard's folder.
    EXPECT_EQ(fs::path(merged.runs[i].report).filename(), kShardRuns[i].file_stem() + ".json");
    EXPECT_NE(merged.runs[i].report.find("shard-"), std::string::npos);
  }
  EXPECT_DOUBLE_EQ(merged.elapsed_s, 3.0);  // the slowest shard
  EXPECT_EQ(merged.shard.count, 1);
}

TEST(ShardMerge, MergedFolderMergesAgainToTheSame) {
  const fs::path root = shard_scratch("again");
  const regress::ShardResults merged = regress::merge_shards(read_all(write_shards(root, 2)));
  regress::write_shard_results((root / "merged").string(), merged);
  const regress::ShardResults again =
      regress::merge_shards({regress::read_shard_results((root / "merged").string())});
  ASSERT_EQ(again.runs.size(), merged.runs.size());
  for (std::size_t i = 0; i < merged.runs.size(); ++i) {
    EXPECT_EQ(again.runs[i].spec.name(), merged.runs[i].spec.name());
    EXPECT_EQ(again.runs[i].row.cycles, merged.runs[i].row.cycles);
  }
}

TEST(ShardMerge, RefusesAMissingShard) {
  std::vector<std::string> folders = write_shards(shard_scratch("missing"), 4);
  folders.erase(folders.begin() + 2);
  EXPECT_NE(refusal(read_all(folders)).find("shard 3/4 is missing"), std::string::npos)
      << refusal(read_all(folders));
}

TEST(ShardMerge, RefusesAShardFolderWithoutShardJson) {
  const fs::path root = shard_scratch("unfinished");
  fs::create_directories(root / "shard-9");
  try {
    regress::read_shard_results((root / "shard-9").string());
    FAIL() << "read a folder without shard.json";
  } catch (const golden::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("shard.json"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("did not finish"), std::string::npos) << error.what();
  }
}

TEST(ShardMerge, RefusesTheSameShardTwice) {
  std::vector<std::string> folders = write_shards(shard_scratch("twice"), 2);
  folders.push_back(folders[0]);
  EXPECT_NE(refusal(read_all(folders)).find("shard 1/2 given twice"), std::string::npos)
      << refusal(read_all(folders));
}

TEST(ShardMerge, RefusesARunInTwoShards) {
  const fs::path root = shard_scratch("duplicate");
  std::vector<std::string> folders = write_shards(root, 2);
  // Shard 2 also claims a run of shard 1 (a stale or hand-edited folder).
  std::vector<regress::ShardResults> shards = read_all(folders);
  shards[1].runs.push_back(shards[0].runs.front());
  regress::write_shard_results(folders[1], shards[1]);
  const std::string message = refusal(read_all(folders));
  EXPECT_NE(message.find("run '" + shards[0].runs.front().spec.name() + "' appears twice"),
            std::string::npos)
      << message;
}

TEST(ShardMerge, RefusesShardsOfDifferentRunLists) {
  const fs::path root = shard_scratch("lists");
  std::vector<std::string> folders = write_shards(root, 2);
  std::vector<regress::ShardResults> shards = read_all(folders);
  shards[1].run_list.pop_back();
  EXPECT_NE(refusal(shards).find("different run lists"), std::string::npos) << refusal(shards);
}

TEST(ShardMerge, RefusesShardsOfDifferentCounts) {
  const fs::path root = shard_scratch("counts");
  std::vector<regress::ShardResults> shards = read_all(write_shards(root / "two", 2));
  const std::vector<regress::ShardResults> three = read_all(write_shards(root / "three", 3));
  shards.push_back(three[2]);
  EXPECT_NE(refusal(shards).find("different shard counts"), std::string::npos) << refusal(shards);
}

TEST(ShardMerge, RefusesAShardThatDroppedARun) {
  std::vector<regress::ShardResults> shards = read_all(write_shards(shard_scratch("dropped"), 2));
  const std::string name = shards[0].runs.back().spec.name();
  shards[0].runs.pop_back();
  EXPECT_NE(refusal(shards).find("run '" + name + "' was not run"), std::string::npos)
      << refusal(shards);
}

TEST(ShardMerge, MarkdownSummaryListsEveryRunAndTheFailures) {
  const regress::ShardResults merged =
      regress::merge_shards(read_all(write_shards(shard_scratch("markdown"), 2)));
  const std::string text = regress::markdown_summary(regress::layer_rows(merged), 3.0);
  EXPECT_NE(text.find("FAIL, 5 runs, 1 failed"), std::string::npos) << text;
  for (const regress::RunSpec& run : kShardRuns) {
    EXPECT_NE(text.find("| " + run.name() + " |"), std::string::npos) << run.name();
  }
  EXPECT_NE(text.find("- vgg16_sq8 features[24] 8x8 seed 1: psum mismatch at cycle 12"),
            std::string::npos)
      << text;
}

}  // namespace
