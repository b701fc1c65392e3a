#!/usr/bin/env python3
"""Where the time of a `make test` went: compile and link steps of a build folder by kind (from
Ninja's log) and the test run by CTest label (from CTest's last log).

    tools/build_time.py [BUILD] [--top N]

Read it on a folder built once from scratch (a fresh clone's first `make test`): Ninja's log
keeps one line per output of the last step that made it, and its times count from the start of
the `cmake --build` that ran the step, so the build's wall time is only meaningful when one
build made every output. Exit 2 on a missing or malformed log, naming the file and the line.
"""
import argparse
import collections
import json
import pathlib
import re
import subprocess
import sys


class LogError(Exception):
    """A log that cannot be read; the message names the file (and line)."""


# Compiled objects by the library or program they belong to (the first match wins).
KINDS = [
    (re.compile(r"/cosim_verilator_runtime\.dir/"), "Verilator runtime (verilated*.cpp)"),
    (re.compile(r"/tb_models_mutation\.dir/"), "mutant netlist (Yosys, make mutation's sample)"),
    (re.compile(r"/tb_models_(?:faults|mutants_more)\.dir/"),
     "named-fault core models (tests/mutants)"),
    (re.compile(r"/rtl_unit_models\.dir/"), "unit-test core models (tests/rtl)"),
    (re.compile(r"/tb_models(?:_fst)?\.dir/"), "product core models (cosim)"),
    (re.compile(r"^tests/"), "test programs"),
]
OTHER_OBJECTS = "our libraries, tools and cosim's command line"
VERILATOR_RUN = "Verilator runs (C++ of each core model)"
PRECOMPILED = "precompiled headers (the shared ones, Verilator's per model library)"
LINKS = "links, archives and other steps"


def kind_of(output: str) -> str:
    if output.endswith(".o"):
        for pattern, name in KINDS:
            if pattern.search(output):
                return name
        return OTHER_OBJECTS
    if output.endswith((".pch", ".gch")):
        return PRECOMPILED
    # Verilator writes V<prefix>*.cpp/.h/.mk into V<prefix>.dir: one step, many outputs.
    if re.search(r"/V[^/]*\.dir/V[^/]*\.(?:cpp|h|mk|dat|d)$", output):
        return VERILATOR_RUN
    return LINKS


def read_ninja_log(path: pathlib.Path):
    """The steps of .ninja_log (format v5): (start_ms, end_ms, command hash, outputs)."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise LogError(f"{path}: {error.strerror}") from error
    if not lines or not lines[0].startswith("# ninja log v"):
        raise LogError(f"{path}:1: expected '# ninja log v5', the header of Ninja's log")
    latest = {}  # output -> (start, end, hash); a later line for an output replaces an earlier one
    for number, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 5 or not fields[0].isdigit() or not fields[1].isdigit():
            raise LogError(f"{path}:{number}: expected 'start<TAB>end<TAB>mtime<TAB>output"
                           f"<TAB>hash', got '{line[:80]}'")
        latest[fields[3]] = (int(fields[0]), int(fields[1]), fields[4])
    steps = collections.defaultdict(list)  # one step may write several outputs
    for output, (start, end, command) in latest.items():
        steps[(start, end, command)].append(output)
    return [(start, end, command, sorted(outputs))
            for (start, end, command), outputs in steps.items()]


def read_ctest_log(path: pathlib.Path, text: str):
    """{test name: seconds} from the text of CTest's LastTest.log at `path`."""
    times = {}
    name = None
    for number, line in enumerate(text.splitlines(), 1):
        started = re.match(r"^\d+/\d+ Testing: (.+)$", line)
        if started:
            name = started.group(1).strip()
            continue
        took = re.match(r"^Test time =\s*([0-9.]+) sec", line)
        if took:
            if name is None:
                raise LogError(f"{path}:{number}: 'Test time' before any 'Testing:' line")
            times[name] = float(took.group(1))
            name = None
    return times


def tests_by_label(build: pathlib.Path, log: pathlib.Path, saved: bytes):
    """{label: set of test names}, asked of CTest (empty when ctest is missing or answers
    nothing readable). Any ctest call rewrites LastTest.log, so `saved`, its contents, is put
    back."""
    try:
        result = subprocess.run(["ctest", "--test-dir", str(build), "--show-only=json-v1"],
                                capture_output=True, text=True, check=False)
    except OSError:
        return {}
    finally:
        log.write_bytes(saved)
    if result.returncode != 0:
        return {}
    try:
        listed = json.loads(result.stdout).get("tests", [])
    except ValueError:
        return {}
    members = collections.defaultdict(set)
    for test in listed:
        for prop in test.get("properties", []):
            if prop.get("name") == "LABELS":
                for label in prop.get("value", []):
                    members[label].add(test["name"])
    return members


def print_build(build: pathlib.Path, top: int) -> None:
    log = build / ".ninja_log"
    steps = read_ninja_log(log)
    if not steps:
        raise LogError(f"{log}: no step recorded (build first: make build)")
    by_kind = collections.defaultdict(lambda: [0.0, 0])
    durations = []
    for start, end, _, outputs in steps:
        seconds = (end - start) / 1000
        kind = kind_of(outputs[0])
        by_kind[kind][0] += seconds
        by_kind[kind][1] += 1
        durations.append((seconds, outputs[0]))
    wall = (max(end for _, end, _, _ in steps) - min(start for start, _, _, _ in steps)) / 1000
    total = sum(seconds for seconds, _ in durations)
    print(f"{log}: {len(steps)} steps, {total:.1f} s summed over steps, {wall:.1f} s from the "
          f"first step's start to the last one's end ({total / wall if wall else 0:.2f} at a time)")
    for kind, (seconds, count) in sorted(by_kind.items(), key=lambda item: -item[1][0]):
        print(f"  {seconds:7.1f} s  {count:4d}  {kind}")
    print(f"  longest {top} steps:")
    for seconds, output in sorted(durations, reverse=True)[:top]:
        print(f"  {seconds:7.1f} s  {output}")


def print_tests(build: pathlib.Path, top: int) -> None:
    log = build / "Testing" / "Temporary" / "LastTest.log"
    try:
        saved = log.read_bytes()
    except OSError as error:
        raise LogError(f"{log}: {error.strerror} (run the tests first: make test)") from error
    times = read_ctest_log(log, saved.decode(errors="replace"))
    if not times:
        raise LogError(f"{log}: no test recorded (run the tests first: make test)")
    print(f"{log}: {len(times)} tests, {sum(times.values()):.1f} s summed over tests (each test's "
          "own wall time, while the others ran beside it)")
    groups = {f"label {label}": names
              for label, names in tests_by_label(build, log, saved).items()}
    labelled = set().union(*groups.values()) if groups else set()
    groups["no label"] = {name for name in times if name not in labelled}
    print("  by CTest label (a test with several labels counts under each):")
    for group, names in sorted(groups.items(),
                               key=lambda item: -sum(times.get(n, 0.0) for n in item[1])):
        ran = [times[name] for name in names if name in times]
        if ran:
            print(f"  {sum(ran):7.1f} s  {len(ran):4d}  {group}")
    print(f"  longest {top} tests:")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1])[:top]:
        print(f"  {seconds:7.1f} s  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", nargs="?", default="build", type=pathlib.Path,
                        help="the build folder (default: build)")
    parser.add_argument("--top", type=int, default=10, help="longest steps and tests listed")
    parser.add_argument("--no-tests", action="store_true", help="the build's steps only")
    args = parser.parse_args()
    if args.top < 0:
        parser.error(f"--top {args.top}: expected a count of 0 or more")
    try:
        print_build(args.build, args.top)
        if not args.no_tests:
            print_tests(args.build, args.top)
    except LogError as error:
        print(f"build_time.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
