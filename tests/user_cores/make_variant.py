#!/usr/bin/env python3
"""Builds one user-core variant folder from rtl/: rtl's files (module core renamed rtl_core), the variant's edits.txt applied, its own files added."""
import argparse
import pathlib
import shutil
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtl", required=True, type=pathlib.Path, help="rtl/ folder")
    parser.add_argument("--variant", required=True, type=pathlib.Path, help="tests/user_cores/<variant>")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="folder to (re)create")
    args = parser.parse_args()

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    for path in sorted(args.rtl.glob("*.v")):
        text = path.read_text()
        name = path.name
        if name == "core.v":
            # The variant's own top is `core`; ours becomes the block it wraps.
            text = text.replace("module core #(", "module rtl_core #(", 1)
            name = "rtl_core.v"
        (args.out / name).write_text(text)

    # edits.txt: "file | text | replacement" per line; each text must occur exactly once.
    edits = args.variant / "edits.txt"
    if edits.exists():
        for number, line in enumerate(edits.read_text().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(" | ")
            if len(parts) != 3:
                print(f"{edits}:{number}: expected 'file | text | replacement'", file=sys.stderr)
                return 2
            name, old, new = parts
            target = args.out / name
            text = target.read_text()
            if text.count(old) != 1:
                print(f"{edits}:{number}: '{old}' must occur exactly once in rtl/{name}", file=sys.stderr)
                return 2
            target.write_text(text.replace(old, new))

    for path in sorted(args.variant.iterdir()):
        if path.name != "edits.txt":
            shutil.copy(path, args.out / path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
