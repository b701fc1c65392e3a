// The shard planner: orders a run list, each run with its cost, most expensive first and deals it into N deterministic slices the way ctest -I i,,N picks tests.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace regress {

// "i/N": shard i (1-based, as CI matrices and Slurm array indices count) of N.
struct ShardSpec {
  int index = 1;
  int count = 1;

  // Parses "i/N" with 1 <= i <= N <= 1000; throws golden::InputError naming the text.
  static ShardSpec parse(const std::string& text);
  std::string text() const;  // "2/4"
  bool operator==(const ShardSpec& other) const {
    return index == other.index && count == other.count;
  }
};

// One item to place: a unique name (the tie-break that makes the plan independent of the
// order the list arrives in) and its cost (any unit; the regression uses cycles).
struct ShardItem {
  std::string name;
  long long cost = 0;
};

// The plan: for each shard 1..N (element 0 = shard 1), the positions in `items` it runs, in
// the order to start them (most expensive first), and the shard's total cost.
struct ShardPlan {
  std::vector<std::vector<std::size_t>> members;
  std::vector<long long> costs;
};

// The positions in `items` by cost, largest first (ties by name): the order the regression
// adds its CTest tests in, so that CTest starts the longest runs first.
std::vector<std::size_t> cost_order(const std::vector<ShardItem>& items);

// Stride over the cost order: shard i takes the (i-1)-th, (i-1+N)-th, ... item of cost_order,
// which is what `ctest -I i,,N` selects from tests added in that order. Every item lands in
// exactly one shard, the result depends only on the set of (name, cost), and no shard costs
// more than the largest single cost above another (shard i's k-th item costs at least shard
// i+1's k-th, and at most shard N's (k-1)-th). Throws golden::InputError for count < 1, a
// negative cost or two items with the same name.
ShardPlan plan_shards(const std::vector<ShardItem>& items, int count);

// The positions in `items` shard `shard` runs: plan_shards(items, shard.count) for shard.index.
std::vector<std::size_t> shard_members(const std::vector<ShardItem>& items, const ShardSpec& shard);

}  // namespace regress
