#!/usr/bin/env python3
# Measured makespans of CTest's stride shards (ctest -I i,,N) over tests in list order and in cost order (make regress's shards) against a longest-first planner, over the wall times of one unsharded make regress.
import argparse
import heapq
import json
import re
import subprocess
import sys


def makespan(durations, workers):
    """Wall time of running the durations in the given order on `workers` parallel slots."""
    slots = [0.0] * workers
    for duration in durations:
        heapq.heapreplace(slots, slots[0] + duration)
    return max(slots)


def listed_shards(regress, options, count):
    """regress --list --shard 1/N: each shard's (run name, predicted cost), in the order CTest
    starts them (make regress SHARD=i/N runs shard i)."""
    listing = subprocess.run([regress, *options, "--list", "--shard", f"1/{count}"], check=True,
                             capture_output=True, text=True).stdout
    shards = []
    for line in listing.splitlines():
        if line.startswith("shard "):
            shards.append([])
        elif match := re.match(r"^  (.*?)\s+predicted\s+\d+ cycles, cost\s+(\d+)$", line):
            shards[-1].append((match.group(1), int(match.group(2))))
    return shards


def longest_first(runs, count):
    """Longest-processing-time first: runs by predicted cost, largest first (ties by name), each to
    the shard with the least predicted cost so far (ties to the lowest index)."""
    shards = [[] for _ in range(count)]
    loads = [(0, index) for index in range(count)]
    for name, cost in sorted(runs, key=lambda run: (-run[1], run[0])):
        load, index = heapq.heappop(loads)
        shards[index].append(name)
        heapq.heappush(loads, (load + cost, index))
    return shards


def main():
    parser = argparse.ArgumentParser(description=__doc__ or "shard balance")
    parser.add_argument("--shard-json", required=True,
                        help="shard.json of an unsharded regress run (make regress: build/regress)")
    parser.add_argument("--regress", required=True, help="the regress program (build/tools/regress)")
    parser.add_argument("--jobs", type=int, default=2, help="workers per shard (-j)")
    parser.add_argument("--shards", default="2,4,8", help="comma-separated shard counts")
    parser.add_argument("options", nargs=argparse.REMAINDER,
                        help="-- then the regress options of the measured run")
    args = parser.parse_args()
    options = [o for o in args.options if o != "--"]
    with open(args.shard_json, encoding="utf-8") as file:
        measured = json.load(file)
    wall = {run["name"]: run["wall_ms"] / 1000.0 for run in measured["runs"]}
    order = measured["run_list"]  # the run list's order
    by_cost = listed_shards(args.regress, options, 1)[0]  # most expensive predicted first
    if set(order) != set(wall):
        sys.exit(f"{args.shard_json}: not a complete unsharded run")
    total = sum(wall.values())
    longest = max(wall.values())
    print(f"{len(order)} runs, {total:.1f} s of run time, longest run {longest:.1f} s, "
          f"{args.jobs} workers per shard")
    print("makespan of the slowest shard; stride: ctest -I i,,N over tests added in list order,")
    print("  or added most expensive first (sorted: make regress SHARD=i/N); planner: longest first")
    print("  to the least loaded shard; bound: the best any split can do (total / (N * jobs), or the")
    print("  longest run)")
    print(f"{'N':>3} {'bound':>8} {'stride':>15} {'sorted':>15} {'planner':>15}")
    for count in (int(n) for n in args.shards.split(",")):
        bound = max(total / (count * args.jobs), longest)
        stride = max(makespan([wall[name] for name in order[start::count]], args.jobs)
                     for start in range(count))
        by_cost_stride = max(makespan([wall[name] for name, _ in shard], args.jobs)
                             for shard in listed_shards(args.regress, options, count))
        planned = max(makespan([wall[name] for name in shard], args.jobs)
                      for shard in longest_first(by_cost, count))
        cells = " ".join(f"{value:>7.1f}s {value / bound:>5.2f}x"
                         for value in (stride, by_cost_stride, planned))
        print(f"{count:>3} {bound:>7.1f}s {cells}")


if __name__ == "__main__":
    main()
