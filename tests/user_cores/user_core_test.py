#!/usr/bin/env python3
"""One CTest step on a user-core variant: (re)create its folder from rtl/, run cosim --rtl on it, check the exit code, the last line, a message, or the profile probe-core wrote."""
import argparse
import json
import pathlib
import subprocess
import sys

from make_variant import ties

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cosim", required=True)
    parser.add_argument("--rtl", required=True, help="rtl/ folder")
    parser.add_argument("--variant", required=True, help="variant name (tests/user_cores/<name>)")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="the variant's folder")
    parser.add_argument("--make", action="store_true", help="create the folder first")
    parser.add_argument("--expect", choices=["pass", "fail", "error"], default="pass",
                        help="error: exit code 2 (bad input), with --expect-text in the output")
    parser.add_argument("--expect-text", default="", help="text the output must contain")
    parser.add_argument("--compare-profile", type=pathlib.Path,
                        help="after probe-core: this written profile must agree with the variant's core.json")
    parser.add_argument("--expect-gtkw", action="store_true",
                        help="a waves/*.gtkw with a marker and signed sfp_out lanes must be written")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- cosim arguments ({dir} = the folder)")
    options = parser.parse_args()

    if options.make:
        subprocess.run([sys.executable, str(HERE / "make_variant.py"), "--rtl", options.rtl,
                        "--variant", str(HERE / options.variant), "--out", str(options.out)],
                       check=True)
    args = [a.replace("{dir}", str(options.out)) for a in options.args if a != "--"]
    run = subprocess.run([options.cosim] + args, capture_output=True, text=True)
    output = run.stdout + run.stderr
    print(output)
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if options.expect == "error":
        if run.returncode != 2:
            print(f"expected exit 2, got exit {run.returncode}")
            return 1
    else:
        wanted_code = 0 if options.expect == "pass" else 1
        if run.returncode != wanted_code or not last.startswith(options.expect.upper()):
            print(f"expected exit {wanted_code} and a last line starting "
                  f"{options.expect.upper()}, got exit {run.returncode} and '{last}'")
            return 1
    if options.expect_text and options.expect_text not in output:
        print(f"expected the output to contain '{options.expect_text}'")
        return 1
    if options.expect_gtkw:
        saves = sorted(pathlib.Path("waves").glob("user_core_fail_cycle*.gtkw"))
        if not saves:
            print("expected a waves/user_core_fail_cycle*.gtkw")
            return 1
        text = saves[-1].read_text()
        cycle = int(saves[-1].stem.rsplit("cycle", 1)[1])
        if f"*-4.000000 {cycle * 10 + 5}" not in text or "sfp_out col0" not in text:
            print(f"{saves[-1]}: no marker at cycle {cycle} or no sfp_out lanes")
            return 1
        if not saves[-1].with_suffix(".vcd").exists():
            print(f"{saves[-1].with_suffix('.vcd')} is missing")
            return 1
    if options.compare_profile:
        declared_path = HERE / options.variant / "core.json"
        declared = json.loads(declared_path.read_text()) if declared_path.exists() else {}
        probed = json.loads(options.compare_profile.read_text())
        for field, value in declared.items():
            if field == "pmem_path":
                continue  # a hierarchy path is the user's to name, not found by probing
            if field == "tie":
                # Not probed: kept from core.json, written in the text form.
                if ties(probed.get(field, "")) != ties(value):
                    print(f"probe-core wrote tie = {probed.get(field)!r}, the variant is {value!r}")
                    return 1
                continue
            if probed.get(field) != value:
                print(f"probe-core wrote {field} = {probed.get(field)!r}, the variant is {value!r}")
                return 1
        defaults = {"relu": "always", "sram_read": "registered_address", "ofifo_pop": "course",
                    "inst_width": 34}
        for field, value in defaults.items():
            if field not in declared and probed.get(field) != value:
                print(f"probe-core wrote {field} = {probed.get(field)!r}, the variant has the "
                      f"course's {value!r}")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
