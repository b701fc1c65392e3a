// Costed runs in cost order, dealt into shards by stride (the slices ctest -I i,,N selects).
#include "shard_planner.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "golden/error.hpp"

namespace regress {

namespace {

constexpr int kMaxShards = 1000;

int parse_positive(const std::string& whole, const std::string& part) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(part, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (part.empty() || used != part.size() || value < 1) {
    throw golden::InputError(
        fmt::format("shard '{}': '{}' is not a positive number (expected i/N, e.g. 2/4)", whole,
                    part));
  }
  return value;
}

}  // namespace

ShardSpec ShardSpec::parse(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    throw golden::InputError(
        fmt::format("shard '{}': expected i/N (shard i of N, 1 <= i <= N), e.g. 2/4", text));
  }
  ShardSpec spec;
  spec.index = parse_positive(text, text.substr(0, slash));
  spec.count = parse_positive(text, text.substr(slash + 1));
  if (spec.count > kMaxShards) {
    throw golden::InputError(
        fmt::format("shard '{}': at most {} shards", text, kMaxShards));
  }
  if (spec.index > spec.count) {
    throw golden::InputError(fmt::format(
        "shard '{}': shard {} of {} does not exist (shards are numbered 1..{})", text,
        spec.index, spec.count, spec.count));
  }
  return spec;
}

std::string ShardSpec::text() const { return fmt::format("{}/{}", index, count); }

std::vector<std::size_t> cost_order(const std::vector<ShardItem>& items) {
  std::set<std::string> names;
  for (const ShardItem& item : items) {
    if (item.cost < 0) {
      throw golden::InputError(fmt::format("run '{}' has a negative cost {}", item.name,
                                           item.cost));
    }
    if (!names.insert(item.name).second) {
      throw golden::InputError(fmt::format("run '{}' is in the run list twice", item.name));
    }
  }
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&items](std::size_t a, std::size_t b) {
    if (items[a].cost != items[b].cost) return items[a].cost > items[b].cost;
    return items[a].name < items[b].name;
  });
  return order;
}

ShardPlan plan_shards(const std::vector<ShardItem>& items, int count) {
  if (count < 1 || count > kMaxShards) {
    throw golden::InputError(fmt::format("{} shards: expected 1..{}", count, kMaxShards));
  }
  const std::vector<std::size_t> order = cost_order(items);
  ShardPlan plan;
  plan.members.resize(static_cast<std::size_t>(count));
  plan.costs.assign(static_cast<std::size_t>(count), 0);
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::size_t shard = rank % static_cast<std::size_t>(count);
    plan.members[shard].push_back(order[rank]);
    plan.costs[shard] += items[order[rank]].cost;
  }
  return plan;
}

std::vector<std::size_t> shard_members(const std::vector<ShardItem>& items,
                                       const ShardSpec& shard) {
  return plan_shards(items, shard.count).members[static_cast<std::size_t>(shard.index - 1)];
}

}  // namespace regress
