#!/usr/bin/env python3
"""Splits a `perf record` profile of cosim into the Verilated model, the clock-loop harness and the golden model."""
import subprocess
import sys
from collections import defaultdict


def category(dso: str, symbol: str) -> str:
    # The Verilated model: its generated classes and the Verilator runtime.
    if symbol.startswith(("Vcore_", "Verilated", "VerilatedContext", "vl_", "VL_")):
        return "model (Verilated core)"
    # Computed once before the clock loop starts: tensors, the golden WS/OS models, the plan.
    if symbol.startswith(("golden::run_", "golden::generate", "golden::direct_", "tb::WsPlan::",
                          "tb::OsPlan::", "golden::Activation", "golden::Weight")):
        return "golden model and plan (before the clock loop)"
    if "kernel" in dso or dso.startswith("["):
        return "kernel"
    return "harness (sequencer, driver, scoreboard, everything else)"


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: perf_harness_share.py PERF_DATA", file=sys.stderr)
        return 2
    report = subprocess.run(
        ["perf", "report", "-i", sys.argv[1], "--no-children", "--sort", "dso,sym", "--stdio",
         "-g", "none", "--percent-limit", "0"],
        check=True, capture_output=True, text=True).stdout
    shares = defaultdict(float)
    top = defaultdict(list)
    for line in report.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "%" not in line.split()[0]:
            continue
        parts = line.split(None, 3)
        if len(parts) < 4:
            continue
        percent = float(parts[0].rstrip("%"))
        dso, symbol = parts[1], parts[3]
        name = category(dso, symbol)
        shares[name] += percent
        top[name].append((percent, symbol))
    for name, share in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"{share:6.2f}%  {name}")
        if not name.startswith("model"):
            for percent, symbol in sorted(top[name], reverse=True)[:6]:
                print(f"          {percent:5.2f}%  {symbol[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
