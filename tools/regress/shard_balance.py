#!/usr/bin/env python3
# Measured makespans of regress's cost-balanced shards against CTest's stride shards (ctest -I i,,N) over the wall times of one unsharded regress run.
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


def planner_shards(regress, options, count):
    """regress --list --shard 1/N: each shard's run names in the order regress starts them."""
    listing = subprocess.run([regress, *options, "--list", "--shard", f"1/{count}"], check=True,
                             capture_output=True, text=True).stdout
    shards = []
    for line in listing.splitlines():
        if line.startswith("shard "):
            shards.append([])
        elif match := re.match(r"^  (.*?)\s+predicted\s", line):
            shards[-1].append(match.group(1))
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
    by_cost = planner_shards(args.regress, options, 1)[0]  # most expensive predicted first
    if set(order) != set(wall):
        sys.exit(f"{args.shard_json}: not a complete unsharded run")
    total = sum(wall.values())
    longest = max(wall.values())
    print(f"{len(order)} runs, {total:.1f} s of run time, longest run {longest:.1f} s, "
          f"{args.jobs} workers per shard")
    print("makespan of the slowest shard; stride: ctest -I i,,N over tests added in list order,")
    print("  or added most expensive first (sorted); planner: regress --shard i/N; bound: the best any")
    print("  split can do (total / (N * jobs), or the longest run)")
    print(f"{'N':>3} {'bound':>8} {'stride':>15} {'sorted':>15} {'planner':>15}")
    for count in (int(n) for n in args.shards.split(",")):
        bound = max(total / (count * args.jobs), longest)
        stride = max(makespan([wall[name] for name in order[start::count]], args.jobs)
                     for start in range(count))
        by_cost_stride = max(makespan([wall[name] for name in by_cost[start::count]], args.jobs)
                             for start in range(count))
        planned = max(makespan([wall[name] for name in shard], args.jobs)
                      for shard in planner_shards(args.regress, options, count))
        cells = " ".join(f"{value:>7.1f}s {value / bound:>5.2f}x"
                         for value in (stride, by_cost_stride, planned))
        print(f"{count:>3} {bound:>7.1f}s {cells}")


if __name__ == "__main__":
    main()
