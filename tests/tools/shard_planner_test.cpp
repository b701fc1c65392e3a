// The shard planner on make regress's run list: cost order, every run in exactly one shard for N = 1..8, balance, determinism.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "golden/error.hpp"
#include "regress/run_list.hpp"
#include "regress/shard_planner.hpp"

namespace {

// make regress's list: both models, 8x8 and 16x16, seed 1, seeds 7 and 13 on the cheap layers,
// both dataflows (the Makefile's REGRESS_* defaults).
const std::vector<regress::RunSpec>& make_regress_runs() {
  static const std::vector<regress::RunSpec> runs = [] {
    regress::RunListOptions options;
    options.seeds = {1};
    options.more_seeds = {7, 13};
    options.dataflows = {"ws", "os"};
    return regress::build_run_list(options);
  }();
  return runs;
}

const std::vector<regress::ShardItem>& make_regress_items() {
  static const std::vector<regress::ShardItem> items = regress::shard_items(make_regress_runs());
  return items;
}

std::set<std::string> names_of(const std::vector<regress::ShardItem>& items,
                               const std::vector<std::size_t>& members) {
  std::set<std::string> names;
  for (const std::size_t position : members) names.insert(items.at(position).name);
  return names;
}

TEST(ShardSpec, ParsesIndexAndCount) {
  const regress::ShardSpec spec = regress::ShardSpec::parse("3/8");
  EXPECT_EQ(spec.index, 3);
  EXPECT_EQ(spec.count, 8);
  EXPECT_EQ(spec.text(), "3/8");
}

TEST(ShardSpec, RejectsShardsOutsideOneToN) {
  for (const char* bad : {"0/4", "5/4", "4", "/4", "1/", "a/4", "1/0", "-1/4", "2/4x"}) {
    EXPECT_THROW(regress::ShardSpec::parse(bad), golden::InputError) << bad;
  }
}

TEST(ShardPlanner, CostOrderDealtByStrideHandWorked) {
  // Costs 5 4 3 3 3, ties by name: A B C D E; into 2 shards: A C E (11) and B D (7).
  const std::vector<regress::ShardItem> items{{"E", 3}, {"C", 3}, {"A", 5}, {"D", 3}, {"B", 4}};
  const std::vector<std::size_t> order = regress::cost_order(items);
  std::string names;
  for (const std::size_t position : order) names += items[position].name;
  EXPECT_EQ(names, "ABCDE");
  const regress::ShardPlan plan = regress::plan_shards(items, 2);
  EXPECT_EQ(names_of(items, plan.members[0]), (std::set<std::string>{"A", "C", "E"}));
  EXPECT_EQ(names_of(items, plan.members[1]), (std::set<std::string>{"B", "D"}));
  EXPECT_EQ(plan.costs, (std::vector<long long>{11, 7}));
  // Started most expensive first: A before C before E.
  EXPECT_EQ(items[plan.members[0].front()].name, "A");
  EXPECT_EQ(items[plan.members[0].back()].name, "E");
}

TEST(ShardPlanner, RefusesDuplicateNamesAndNegativeCosts) {
  EXPECT_THROW(regress::plan_shards({{"a", 1}, {"a", 2}}, 2), golden::InputError);
  EXPECT_THROW(regress::plan_shards({{"a", -1}}, 2), golden::InputError);
  EXPECT_THROW(regress::plan_shards({{"a", 1}}, 0), golden::InputError);
}

TEST(ShardPlanner, MoreShardsThanRunsLeavesEmptyShards) {
  const std::vector<regress::ShardItem> items{{"a", 2}, {"b", 1}};
  const regress::ShardPlan plan = regress::plan_shards(items, 4);
  EXPECT_EQ(plan.members[0].size() + plan.members[1].size(), 2u);
  EXPECT_TRUE(plan.members[2].empty());
  EXPECT_TRUE(plan.members[3].empty());
}

TEST(ShardPlanner, MakeRegressListHasEveryRunOnce) {
  const std::vector<regress::RunSpec>& runs = make_regress_runs();
  std::set<std::string> names;
  for (const regress::RunSpec& run : runs) names.insert(run.name());
  EXPECT_EQ(names.size(), runs.size());
  EXPECT_EQ(runs.size(), 152u);  // the figure README.md quotes for make regress
}

// Each shard computed on its own, as N separate CI jobs would: their union is the unsharded list
// and no run is in two shards.
TEST(ShardPlanner, UnionOfShardsIsTheRunListForOneToEightShards) {
  const std::vector<regress::ShardItem>& items = make_regress_items();
  std::multiset<std::string> unsharded;
  for (const std::size_t position : regress::shard_members(items, {1, 1})) {
    unsharded.insert(items[position].name);
  }
  ASSERT_EQ(unsharded.size(), items.size());
  for (int count = 1; count <= 8; ++count) {
    std::multiset<std::string> together;
    for (int index = 1; index <= count; ++index) {
      for (const std::size_t position : regress::shard_members(items, {index, count})) {
        together.insert(items[position].name);
      }
    }
    EXPECT_EQ(together, unsharded) << count << " shards";
    for (const std::string& name : together) {
      EXPECT_EQ(together.count(name), 1u) << name << " in several of " << count << " shards";
    }
  }
}

TEST(ShardPlanner, PlanDoesNotDependOnTheOrderOfTheList) {
  const std::vector<regress::ShardItem>& items = make_regress_items();
  std::vector<regress::ShardItem> shuffled = items;
  std::mt19937 random(7);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  for (int count = 2; count <= 8; ++count) {
    const regress::ShardPlan plan = regress::plan_shards(items, count);
    const regress::ShardPlan other = regress::plan_shards(shuffled, count);
    for (int shard = 0; shard < count; ++shard) {
      EXPECT_EQ(names_of(items, plan.members[static_cast<std::size_t>(shard)]),
                names_of(shuffled, other.members[static_cast<std::size_t>(shard)]))
          << "shard " << shard + 1 << "/" << count;
    }
  }
}

// Bound: shard i's k-th run costs at least shard i+1's k-th and at most shard N's (k-1)-th, so
// the dearest shard is at most the largest run above the cheapest (max - min <= p_max); with max >= total / N that
// gives max / min <= 1 + p_max / (total / N - p_max). Checked from the shards' own sums.
TEST(ShardPlanner, ShardsOfMakeRegressAreBalancedByCost) {
  const std::vector<regress::ShardItem>& items = make_regress_items();
  long long total = 0;
  long long largest = 0;
  for (const regress::ShardItem& item : items) {
    total += item.cost;
    largest = std::max(largest, item.cost);
  }
  for (int count = 1; count <= 8; ++count) {
    std::vector<long long> sums(static_cast<std::size_t>(count), 0);
    for (int index = 1; index <= count; ++index) {
      for (const std::size_t position : regress::shard_members(items, {index, count})) {
        sums[static_cast<std::size_t>(index - 1)] += items[position].cost;
      }
    }
    const long long most = *std::max_element(sums.begin(), sums.end());
    const long long least = *std::min_element(sums.begin(), sums.end());
    EXPECT_LE(most - least, largest) << count << " shards";
    const double mean = static_cast<double>(total) / count;
    ASSERT_GT(mean, static_cast<double>(largest)) << "the bound needs total / N > p_max";
    const double ratio_bound = 1.0 + static_cast<double>(largest) / (mean - largest);
    EXPECT_LE(static_cast<double>(most) / static_cast<double>(least), ratio_bound)
        << count << " shards: " << most << " / " << least;
    // A split by count over the list's own order (every N-th run) is what the cost order beats.
    std::vector<long long> by_count(static_cast<std::size_t>(count), 0);
    for (std::size_t i = 0; i < items.size(); ++i) {
      by_count[i % static_cast<std::size_t>(count)] += items[i].cost;
    }
    if (count > 1) {
      EXPECT_LT(most, *std::max_element(by_count.begin(), by_count.end())) << count;
    }
  }
}

// vgg16_sq8 features[27] on 8x8, worked by hand from tb/SCHEDULE.md: one band of 36 nij,
// activations resident (36 writes); one pass: xmem 2*9*8 weight words + 9*36 activation reads =
// 468 against pmem's 9*36 = 324 writes; the SFP reads 16 outputs x (9 + 1): 160. 664 (the core
// takes 697).
TEST(RunCost, Layer27PredictedCyclesByHand) {
  EXPECT_EQ(regress::predicted_cycles({"vgg16_sq8", 27, 8, 1, "ws"}), 664);
  // Output-stationary: 2 pixel groups x 1 oc tile, 72 (ic, kij) steps; each pass writes and
  // reads activations and weights (4 xmem cycles a step), then drains 8 rows 3 times:
  // 2 x (72 x 4 + 3 x 8) = 624 (the core takes 642).
  EXPECT_EQ(regress::predicted_cycles({"vgg16_sq8", 27, 8, 1, "os"}), 624);
  // A 16x16 cycle costs 4 times an 8x8 one.
  const regress::RunSpec big{"vgg16_sq8", 27, 16, 1, "ws"};
  EXPECT_EQ(regress::run_cost(big), regress::predicted_cycles(big) * 4);
}

}  // namespace
