#!/usr/bin/env python3
"""tools/build_time.py on a made-up build folder: steps summed by kind (one Verilator step with
many outputs counted once, a rebuilt output counted at its last build), tests summed from
CTest's log, and exit 2 naming the file and line of a malformed log."""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

# (start ms, end ms, output, command hash) as Ninja writes them; the expected kind of each.
STEPS = [
    (0, 2500, "tb/CMakeFiles/tb.dir/src/cosim.cpp.o", "a1", "our libraries"),
    (0, 1200, "tb/CMakeFiles/tb_models.dir/Vcore_8x8.dir/Vcore_8x8.cpp", "b2", "Verilator runs"),
    (0, 1200, "tb/CMakeFiles/tb_models.dir/Vcore_8x8.dir/Vcore_8x8.h", "b2", "Verilator runs"),
    (1200, 9200, "tb/CMakeFiles/tb_models.dir/CMakeFiles/tb_models.dir/Vcore_8x8.dir/"
     "Vcore_8x8__unity_fast.cpp.o", "c3", "product core models"),
    (2500, 6000, "tests/tb/CMakeFiles/tb_tests.dir/Unity/unity_0_cxx.cxx.o", "d4",
     "test programs"),
    (6000, 6400, "tests/tb/tb_tests", "e5", "links"),
    (6400, 9000, "CMakeFiles/cosim_shared_pch_O0.dir/cmake_pch.hxx.pch", "g7",
     "precompiled headers"),
    (9200, 9900, "rtl/CMakeFiles/cosim_verilator_runtime.dir/usr/share/verilator/include/"
     "verilated.cpp.o", "f6", "Verilator runtime"),
]
# An output built again later: only its last line counts.
REBUILT = (0, 99000, "tests/tb/CMakeFiles/tb_tests.dir/Unity/unity_0_cxx.cxx.o", "d0")
TESTS = {"one_test": 1.25, "Suite.Other": 0.5}


def write_folder(folder: pathlib.Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "Testing" / "Temporary").mkdir(parents=True)
    lines = ["# ninja log v5"]
    for start, end, output, command in [REBUILT[:4]] + [step[:4] for step in STEPS]:
        lines.append(f"{start}\t{end}\t0\t{output}\t{command}")
    (folder / ".ninja_log").write_text("\n".join(lines) + "\n")
    log = ["Start testing: Dec 01 00:00 UTC", "-" * 58]
    for number, (name, seconds) in enumerate(TESTS.items(), 1):
        log += [f"{number}/{len(TESTS)} Testing: {name}", f"{number}/{len(TESTS)} Test: {name}",
                "Output:", "-" * 58, "-" * 58, f"Test time = {seconds:6.2f} sec", "-" * 58,
                "Test Passed."]
    (folder / "Testing" / "Temporary" / "LastTest.log").write_text("\n".join(log) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True, type=pathlib.Path)
    parser.add_argument("--scratch", required=True, type=pathlib.Path)
    args = parser.parse_args()
    folder = args.scratch / "build"
    write_folder(folder)
    run = subprocess.run([sys.executable, str(args.tool), str(folder)], capture_output=True,
                         text=True, check=False)
    failures = []
    if run.returncode != 0:
        failures.append(f"exit {run.returncode}: {run.stderr}")
    out = run.stdout

    # Expected figures, summed here from the table above: one step per command hash.
    kinds = {}
    seen = set()
    for start, end, _, command, kind in STEPS:
        if (start, end, command) in seen:
            continue
        seen.add((start, end, command))
        kinds[kind] = kinds.get(kind, 0.0) + (end - start) / 1000
    total = sum(kinds.values())
    wall = (max(s[1] for s in STEPS) - min(s[0] for s in STEPS)) / 1000
    header = re.search(r"(\d+) steps, ([0-9.]+) s summed over steps, ([0-9.]+) s from", out)
    if not header or (int(header.group(1)), float(header.group(2)), float(header.group(3))) != (
            len(seen), round(total, 1), round(wall, 1)):
        failures.append(f"header: expected {len(seen)} steps, {total:.1f} s, {wall:.1f} s wall")
    for kind, seconds in kinds.items():
        if not re.search(rf"^\s+{seconds:.1f} s\s+\d+\s+{re.escape(kind)}", out, re.MULTILINE):
            failures.append(f"kind '{kind}': expected {seconds:.1f} s")
    tests = re.search(r"(\d+) tests, ([0-9.]+) s summed over tests", out)
    if not tests or (int(tests.group(1)), float(tests.group(2))) != (
            len(TESTS), round(sum(TESTS.values()), 1)):
        failures.append(f"tests: expected {len(TESTS)} tests, {sum(TESTS.values()):.1f} s")

    # A malformed line: exit 2 with the file and the line.
    with open(folder / ".ninja_log", "a") as log:
        log.write("12\tnot-a-number\n")
    bad = subprocess.run([sys.executable, str(args.tool), str(folder)], capture_output=True,
                         text=True, check=False)
    line = len(STEPS) + 3  # header, the rebuilt line, the steps, then the bad one
    if bad.returncode != 2 or f".ninja_log:{line}: expected" not in bad.stderr:
        failures.append(f"malformed log: exit {bad.returncode}, {bad.stderr.strip()}")

    if failures:
        print(out)
        for failure in failures:
            print(f"FAIL: {failure}")
        return 1
    print("build_time.py: kinds, wall time, tests and a malformed log as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
