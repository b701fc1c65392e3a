#!/usr/bin/env python3
"""Mutation testing of the checker: Yosys mutants of rtl/ in one netlist, run against a battery of cosim runs."""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time


# The battery, cheapest first; a mutant stops at its first kill. Each entry is a cosim run on
# the mutant model (8x8); --stall-cycles keeps hung mutants short.
BATTERY = [
    ("layer27_ws", ["--layer", "27"]),
    ("layer27_os", ["--layer", "27", "--dataflow", "os"]),
    ("layer27_stress_ws", ["--layer", "27", "--stress", "--seed", "2"]),
    ("layer27_idle_noise", ["--layer", "27", "--idle-noise"]),
    ("switch_os_ws_os_stress", ["--layer", "27", "--dataflow", "os-ws-os", "--stress"]),
    # The course's flow (bits 33..0, the SFP summing each output's psums from pmem), which a
    # course testbench drives and our own schedule does not use (it accumulates in pmem).
    ("layer27_course", ["--layer", "27", "--course-flow"]),
    # Random initial state: state the reset does not reach shows.
    ("layer27_random_state", ["--layer", "27", "+verilator+rand+reset+2", "+verilator+seed+1"]),
    ("layer24_os", ["--layer", "24", "--dataflow", "os"]),
    ("layer24_ic_tiles", ["--layer", "24", "--psum-check", "write"]),
    ("layer24_idle_noise", ["--layer", "24", "--psum-check", "write", "--idle-noise"]),
    ("layer24_stress_wrap", ["--layer", "24", "--stress", "--psum-check", "write"]),
    ("layer0_row_bands", ["--layer", "0", "--psum-check", "write"]),
    # 27 MACs per output (3 channels x 9): an odd count, so a fault that adds the same constant
    # at every MAC (the top bit of a PE's sum inverted) does not cancel over an even number of
    # steps, as it does over 8 rows or 72 accumulations.
    ("layer0_os_odd_macs", ["--layer", "0", "--dataflow", "os"]),
]
# After the mutations, buses are split where Verilator would otherwise see a false combinational
# loop through a bus one bit of which a mutant muxes: first, bit by bit, the wire of every mutant
# that XORs one bit of a wire with another of the same wire (cnot; on a cell's output the mux
# reads the wire it drives; split_commands), then every other bus only where different cells
# drive its parts (-driver), the ports of every module but core (whose ports the harness drives)
# included; unused wires removed. Split bit by bit everywhere, the netlist was 538 KB instead of
# 305 KB and its model took about a fifth more CPU to build, for runs no faster
# (tools/mutation/README.md).
POST_PASSES = "splitnets -driver -ports core %n; splitnets -driver; opt_clean -purge"
COMMON_ARGS = ["--rtl-variant", "YOSYS_MUTANTS", "--stall-cycles", "2000", "--stop-on-first", "-q"]

MODE_TEXT = {
    "inv": "bit {bit} of {what} inverted",
    "const0": "bit {bit} of {what} stuck at 0",
    "const1": "bit {bit} of {what} stuck at 1",
    "cnot0": "bit {bit} of {what} XNORed with its bit {ctrlbit}",
    "cnot1": "bit {bit} of {what} XORed with its bit {ctrlbit}",
}


def fail(message, code=2):
    print(f"mutation: error: {message}", file=sys.stderr)
    sys.exit(code)


def run_yosys(script, cwd, log):
    with open(log, "w") as out:
        result = subprocess.run(["yosys", "-q", "-s", script], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT)
    if result.returncode != 0:
        fail(f"yosys failed (exit {result.returncode}); see {log}")


def rtl_files(rtl_dir):
    """Every Verilog file of rtl/ (Yosys defines SYNTHESIS, so the protocol checks read empty)."""
    files = sorted(name for name in os.listdir(rtl_dir) if name.endswith(".v"))
    if "core.v" not in files:
        fail(f"{rtl_dir}: no core.v")
    return [os.path.join(rtl_dir, name) for name in files]


def read_design_commands(rtl_dir, row, col):
    files = " ".join(rtl_files(rtl_dir))
    return [f"read_verilog -sv {files}",
            f"hierarchy -check -top core -chparam row {row} -chparam col {col}",
            "proc", "opt_clean"]


def mutation_fields(line):
    """One `mutate -list` line -> ({option: value}, [every -src value]), names as Yosys wrote
    them."""
    tokens = shlex.split(line.replace("\\", "\\\\"))
    fields = {}
    srcs = []
    i = 1
    while i < len(tokens):
        key = tokens[i].lstrip("-")
        value = tokens[i + 1] if i + 1 < len(tokens) else ""
        if key == "src":
            srcs.append(value)
        else:
            fields[key] = value
        i += 2
    return fields, srcs


def select_pattern(name):
    """A Yosys selection pattern matching exactly this name and at most a few others like it
    (`?` stands for the characters the pattern syntax reads otherwise)."""
    return re.sub(r"[\\\[\]*?/]", "?", name)


def split_commands(lines):
    """Yosys commands splitting the wire of every cnot mutation among these `mutate -list` lines
    into bits; each first asserts that its pattern names a wire (Yosys stops otherwise)."""
    commands = []
    for line in lines:
        fields, _ = mutation_fields(line)
        if fields.get("mode") not in ("cnot0", "cnot1") or not fields.get("wire"):
            continue
        ports = "" if fields.get("module") == "core" else "-ports "
        wire = f"{select_pattern(fields['module'])}/w:{select_pattern(fields['wire'])}"
        for command in (f"select -assert-min 1 {wire}", f"splitnets {ports}{wire}"):
            if command not in commands:
                commands.append(command)
    return commands


def parse_mutation(line, rtl_dir):
    """One `mutate -list` line -> dict (the command without -ctrl, module, src, description)."""
    fields, srcs = mutation_fields(line)
    module = fields.get("module", "")
    short_module = re.sub(r"^\$paramod\$[0-9a-f]+\\", "", module)
    # The last src is the cell's (where the mutated connection or operator is written).
    location = srcs[-1] if srcs else ""
    match = re.match(r"(.*):(\d+)\.\d+-\d+\.\d+$", location)
    if match:
        file_name = os.path.relpath(match.group(1), os.path.dirname(os.path.abspath(rtl_dir)))
        line_number = int(match.group(2))
    else:
        file_name, line_number = location, 0
    # Yosys names cells after their source file: the key and the text use rtl/-relative paths.
    here = os.path.abspath(rtl_dir).rstrip("/") + "/"
    for name in ("cell", "wire"):
        if name in fields:
            fields[name] = fields[name].replace(here, "rtl/")
    what = f"port {fields.get('port', '?')} of cell {fields.get('cell', '?')}"
    if fields.get("wire"):
        what += f" (wire {fields['wire']})"
    description = MODE_TEXT.get(fields.get("mode", ""), "{what} mutated ({bit})").format(
        bit=fields.get("portbit", "?"), ctrlbit=fields.get("ctrlbit", "?"), what=what)
    # A key that does not depend on where the repository lives: module, cell, port, bits, mode.
    key = " ".join(f"{name}={fields.get(name, '')}" for name in
                   ("mode", "module", "cell", "port", "portbit", "ctrlbit"))
    return {"command": line.strip(), "module": short_module, "file": file_name,
            "line": line_number, "mode": fields.get("mode", ""), "description": description,
            "key": key}


def command_netlist(args):
    rtl_dir = os.path.abspath(args.rtl_dir)
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    width = max(1, (args.sample + 1).bit_length())
    list_file = os.path.join(out_dir, "mutations.txt")
    script = os.path.join(out_dir, "list.ys")
    with open(script, "w") as f:
        f.write("\n".join(read_design_commands(rtl_dir, args.row, args.col)) + "\n")
        f.write(f"mutate -list {args.sample} -seed {args.seed} -o {list_file}\n")
    run_yosys(script, out_dir, os.path.join(out_dir, "list.log"))
    with open(list_file) as f:
        lines = [line for line in f if line.startswith("mutate ")]
    if len(lines) != args.sample:
        fail(f"yosys listed {len(lines)} mutations, {args.sample} asked for")
    mutants = []
    for index, line in enumerate(lines, start=1):
        mutant = parse_mutation(line, rtl_dir)
        mutant["id"] = index
        mutants.append(mutant)

    apply_script = os.path.join(out_dir, "apply.ys")
    raw_netlist = os.path.join(out_dir, "core_mutants_ports.v")
    with open(apply_script, "w") as f:
        f.write("\n".join(read_design_commands(rtl_dir, args.row, args.col)) + "\n")
        for mutant in mutants:
            f.write(f"{mutant['command']} -ctrl mutsel {width} {mutant['id']}\n")
        for command in split_commands(lines) + (args.post.split(";") if args.post else []):
            f.write(command.strip() + "\n")
        f.write(f"write_verilog -noattr {raw_netlist}\n")
    run_yosys(apply_script, out_dir, os.path.join(out_dir, "apply.log"))

    # The mutant is chosen at run time (+mutant=N), so the top keeps the core's own ports.
    with open(raw_netlist) as f:
        text = f.read()
    top = re.search(r"^module core\((.*?)\);\n(.*?)^endmodule", text, re.S | re.M)
    if not top:
        fail(f"{raw_netlist}: no module core")
    ports = [p.strip() for p in top.group(1).replace("\n", " ").split(",")]
    if "mutsel" not in ports:
        fail(f"{raw_netlist}: module core has no mutsel port")
    body = top.group(2)
    body = re.sub(rf"^  input \[{width - 1}:0\] mutsel;\n", f"  reg [{width - 1}:0] mutsel;\n",
                  body, flags=re.M)
    body = re.sub(rf"^  wire \[{width - 1}:0\] mutsel;\n", "", body, flags=re.M)
    body += ("  // The active mutant: +mutant=N on the simulator's command line (0 or none: the "
             "real core).\n"
             "  initial if (!$value$plusargs(\"mutant=%d\", mutsel)) mutsel = 0;\n")
    new_top = "module core({});\n{}".format(", ".join(p for p in ports if p != "mutsel"), body)
    text = text[:top.start()] + new_top + text[top.start() + len(top.group(0)) - len("endmodule"):]
    header = (f"// Yosys {args.sample} mutants of rtl/ (mutate -list {args.sample} -seed "
              f"{args.seed}, {args.row}x{args.col}), one active at a time through +mutant=N.\n")
    netlist = os.path.join(out_dir, "core_mutants.v")
    # Rewritten only when its text changes, so a new configure does not rebuild cosim_mutation.
    old = None
    if os.path.exists(netlist):
        with open(netlist) as f:
            old = f.read()
    if old != header + text:
        with open(netlist, "w") as f:
            f.write(header + text)
    with open(os.path.join(out_dir, "mutants.json"), "w") as f:
        json.dump({"sample": args.sample, "seed": args.seed, "row": args.row, "col": args.col,
                   "mutants": mutants}, f, indent=1)
    print(f"mutation: {len(mutants)} mutants of {rtl_dir} in {netlist}")


def load_equivalent(path):
    """tools/mutation/equivalent.tsv: key <TAB> how it was shown <TAB> why."""
    known = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for number, line in enumerate(f, start=1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    fail(f"{path}:{number}: expected key<TAB>proof<TAB>reason")
                known[parts[0]] = {"proof": parts[1], "reason": parts[2]}
    return known


def run_battery(cosim, mutant_id, entries, scratch, timeout):
    """Runs the battery until the first kill: (killed_by or None, exit code, detail, seconds)."""
    started = time.monotonic()
    for name, arguments in entries:
        command = [cosim, "--mutant", str(mutant_id)] + arguments + COMMON_ARGS
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return name, "timeout", f"no end after {timeout} s", time.monotonic() - started
        if result.returncode == 2:
            fail(f"mutant {mutant_id}, {name}: cosim rejected the run (exit 2): "
                 f"{result.stderr.strip()}")
        if result.returncode != 0:
            lines = [line for line in result.stdout.splitlines() if line.startswith("error:")]
            detail = lines[0][len("error: "):] if lines else result.stdout.strip()[-200:]
            return name, result.returncode, detail, time.monotonic() - started
    return None, 0, "", time.monotonic() - started


def command_run(args):
    with open(args.mutants) as f:
        database = json.load(f)
    mutants = database["mutants"]
    if args.every:
        mutants = mutants[::args.every]
    if args.ids:
        wanted = {int(x) for x in args.ids.split(",")}
        mutants = [m for m in mutants if m["id"] in wanted]
        if len(mutants) != len(wanted):
            fail(f"--ids: some of {sorted(wanted)} are not in {args.mutants}")
    entries = BATTERY
    if args.battery:
        names = args.battery.split(",")
        entries = [entry for entry in BATTERY if entry[0] in names]
    equivalent = load_equivalent(args.equivalent)
    if args.skip_equivalent:
        mutants = [m for m in mutants if m["key"] not in equivalent]
    started = time.monotonic()

    # The control run: the netlist with no mutant active must pass every run of the battery.
    for name, arguments in entries:
        command = [args.cosim, "--mutant", "0"] + arguments + COMMON_ARGS
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"control run {name} (no mutant active) did not pass (exit {result.returncode}): "
                 f"{result.stdout.strip()[-300:]} {result.stderr.strip()[-300:]}")
    print(f"mutation: control runs pass ({len(entries)} battery runs, no mutant active); "
          f"{len(mutants)} mutants, {args.jobs} at a time")

    results = {}
    lock = threading.Lock()
    done = [0]

    def one(mutant):
        outcome = run_battery(args.cosim, mutant["id"], entries, args.scratch, args.timeout)
        with lock:
            done[0] += 1
            results[mutant["id"]] = outcome
            killed = sum(1 for r in results.values() if r[0] is not None)
            if sys.stdout.isatty() or args.progress:
                print(f"\r[{done[0]:4d}/{len(mutants)}] killed {killed}, survived "
                      f"{done[0] - killed}, {time.monotonic() - started:6.1f} s",
                      end="" if sys.stdout.isatty() else "\n", flush=True)
        return outcome

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(one, mutants))
    if sys.stdout.isatty():
        print()
    elapsed = time.monotonic() - started

    # The table: one line per mutant.
    print(f"\n{'id':>4} {'module':<10} {'where':<18} {'result':<24} mutation")
    per_entry = {name: 0 for name, _ in entries}
    survivors = []
    killed = 0
    equivalent_count = 0
    equivalent_kinds = {}
    disproved = []
    for mutant in mutants:
        killed_by, code, detail, seconds = results[mutant["id"]]
        where = f"{os.path.basename(mutant['file'])}:{mutant['line']}"
        if killed_by is not None and mutant["key"] in equivalent:
            # A kill disproves the listed equivalence: it counts as a kill and is reported.
            killed += 1
            per_entry[killed_by] += 1
            verdict = f"killed {killed_by} (listed equivalent!)"
            disproved.append(mutant)
        elif killed_by is not None:
            killed += 1
            per_entry[killed_by] += 1
            verdict = f"killed {killed_by}"
        elif mutant["key"] in equivalent:
            equivalent_count += 1
            proof = equivalent[mutant["key"]]["proof"]
            equivalent_kinds[proof] = equivalent_kinds.get(proof, 0) + 1
            verdict = f"equivalent ({proof})"
        else:
            survivors.append(mutant)
            verdict = "SURVIVED"
        print(f"{mutant['id']:>4} {mutant['module']:<10} {where:<18} {verdict:<24} "
              f"{mutant['description']}")
    valid = len(mutants)
    denominator = valid - equivalent_count
    score = 100.0 * killed / denominator if denominator else 100.0
    print("\nkills per battery run (cheapest first):")
    for name, count in per_entry.items():
        print(f"  {name:<24} {count}")
    for mutant in disproved:
        print(f"warning: mutant {mutant['id']} is listed in {args.equivalent} but was killed; "
              f"remove its line (key: {mutant['key']})")
    if survivors:
        print("\nsurvivors (neither killed nor shown equivalent in "
              f"{args.equivalent or 'no equivalence file'}):")
        for mutant in survivors:
            print(f"  {mutant['id']:>4} {mutant['file']}:{mutant['line']} {mutant['description']}"
                  f"\n       key: {mutant['key']}")
    print(f"\nmutants {valid}, killed {killed}, equivalent {equivalent_count}, "
          f"survived {len(survivors)}; score = killed / (valid - equivalent) = "
          f"{killed}/{denominator} = {score:.1f}% (target {args.min_score:.0f}%), "
          f"{elapsed:.1f} s")
    if equivalent_kinds:
        print("equivalent by how it was shown: " +
              ", ".join(f"{kind} {count}" for kind, count in sorted(equivalent_kinds.items())))
        contract = equivalent_kinds.get("contract", 0)
        if contract and denominator + contract:
            print(f"counting the {contract} contract-only mutants as survivors: {killed}/"
                  f"{denominator + contract} = {100.0 * killed / (denominator + contract):.1f}%")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"valid": valid, "killed": killed, "equivalent": equivalent_count,
                       "survived": [m["id"] for m in survivors], "score": score,
                       "seconds": elapsed,
                       "results": {str(k): {"killed_by": v[0], "exit": v[1], "detail": v[2]}
                                   for k, v in results.items()}}, f, indent=1)
    return 0 if score >= args.min_score else 1


def command_equiv(args):
    """Yosys equivalence check of a mutant's module against the original (equiv_* passes)."""
    with open(args.mutants) as f:
        database = json.load(f)
    by_id = {m["id"]: m for m in database["mutants"]}
    rtl_dir = os.path.abspath(args.rtl_dir)
    status = 0
    for mutant_id in (int(x) for x in args.ids.split(",")):
        mutant = by_id.get(mutant_id)
        if mutant is None:
            fail(f"mutant {mutant_id} is not in {args.mutants}")
        module = re.search(r"-module (\S+)", mutant["command"]).group(1)
        with tempfile.TemporaryDirectory() as work:
            script = os.path.join(work, "equiv.ys")
            with open(script, "w") as f:
                f.write("\n".join(read_design_commands(rtl_dir, database["row"],
                                                       database["col"])) + "\n")
                f.write(f"copy {module} gold_module\n")
                f.write(f"{mutant['command']}\n")
                f.write(f"rename {module} gate_module\n")
                f.write("select -clear\n")
                f.write("hierarchy -top gold_module\n" if False else "")
                f.write("flatten gold_module gate_module\n")
                f.write("memory -nomap gold_module gate_module\n")
                f.write("opt_clean gold_module gate_module\n")
                f.write("equiv_make gold_module gate_module equiv\n")
                f.write("equiv_simple -seq 4 equiv\n")
                f.write(f"equiv_induct -seq {args.depth} equiv\n")
                f.write("equiv_status -assert equiv\n")
            log = os.path.join(work, "equiv.log")
            result = subprocess.run(["yosys", "-q", "-s", script], cwd=work,
                                    capture_output=True, text=True)
            proven = result.returncode == 0
            print(f"mutant {mutant_id} ({mutant['file']}:{mutant['line']}, "
                  f"{mutant['description']}): "
                  f"{'EQUIVALENT (equiv_make/equiv_simple/equiv_induct)' if proven else 'not proven equivalent'}")
            if not proven:
                status = 1
                tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
                for line in tail:
                    print(f"    {line}")
            _ = log
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    netlist = sub.add_parser("netlist", help="list N mutants with Yosys and write one netlist "
                             "holding all of them (mutate -ctrl), selected by +mutant=N")
    netlist.add_argument("--rtl-dir", required=True)
    netlist.add_argument("--row", type=int, default=8)
    netlist.add_argument("--col", type=int, default=8)
    netlist.add_argument("--sample", type=int, default=220)
    netlist.add_argument("--seed", type=int, default=1)
    netlist.add_argument("--out", required=True)
    netlist.add_argument("--post", default=POST_PASSES,
                         help="Yosys passes run on the mutated design before it is written, "
                              "after the splits of the cnot mutants' wires (';'-separated)")
    run = sub.add_parser("run", help="run every mutant against the battery; table and score")
    run.add_argument("--cosim", required=True, help="cosim built with the mutant netlist")
    run.add_argument("--mutants", required=True, help="mutants.json written by netlist")
    run.add_argument("--ids", help="only these mutant ids (comma-separated)")
    run.add_argument("--every", type=int, help="a fixed sample: mutants 1, 1 + K, 1 + 2K, ...")
    run.add_argument("--skip-equivalent", action="store_true",
                     help="do not run the mutants listed in --equivalent")
    run.add_argument("--battery", help="only these battery runs (comma-separated names)")
    run.add_argument("--equivalent", help="equivalent.tsv: mutants shown equivalent")
    run.add_argument("-j", "--jobs", type=int, default=2)
    run.add_argument("--timeout", type=int, default=300, help="seconds per cosim run")
    run.add_argument("--min-score", type=float, default=95.0)
    run.add_argument("--scratch", default=None)
    run.add_argument("--json", help="write the results as JSON")
    run.add_argument("--progress", action="store_true", help="a progress line per mutant even "
                     "when stdout is not a terminal")
    equiv = sub.add_parser("equiv", help="Yosys equivalence check of mutants against rtl/")
    equiv.add_argument("--rtl-dir", required=True)
    equiv.add_argument("--mutants", required=True)
    equiv.add_argument("--ids", required=True)
    equiv.add_argument("--depth", type=int, default=8)
    args = parser.parse_args()
    if args.command == "netlist":
        command_netlist(args)
        return 0
    if args.command == "run":
        return command_run(args)
    return command_equiv(args)


if __name__ == "__main__":
    sys.exit(main())
