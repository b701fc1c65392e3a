#!/usr/bin/env python3
"""Builds one user-core variant folder from rtl/: rtl's files (module core renamed rtl_core), the variant's edits.txt applied, its own files added, and unless one of them declares the top, the top its core.json describes."""
import argparse
import json
import pathlib
import re
import shutil
import sys

# The profile's port fields (tb/USER_CORES.md) and rtl_core's port each one stands for.
PORTS = [("clk", "clk"), ("reset", "reset"), ("inst", "inst"), ("d_xmem", "D_xmem"),
         ("ofifo_valid", "ofifo_valid"), ("sfp_out", "sfp_out")]


class VariantError(Exception):
    """A variant file that cannot be used; the message names the file (and line)."""


def copy_rtl(rtl: pathlib.Path, out: pathlib.Path) -> None:
    for path in sorted(rtl.glob("*.v")):
        text = path.read_text()
        name = path.name
        if name == "core.v":
            # The variant's own top is `core`; ours becomes the block it wraps.
            text = text.replace("module core #(", "module rtl_core #(", 1)
            name = "rtl_core.v"
        (out / name).write_text(text)


def apply_edits(edits: pathlib.Path, out: pathlib.Path) -> None:
    """edits.txt: "file | text | replacement" per line; each text must occur exactly once."""
    for number, line in enumerate(edits.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" | ")
        if len(parts) != 3:
            raise VariantError(f"{edits}:{number}: expected 'file | text | replacement'")
        name, old, new = parts
        target = out / name
        text = target.read_text()
        if text.count(old) != 1:
            raise VariantError(f"{edits}:{number}: '{old}' must occur exactly once in rtl/{name}")
        target.write_text(text.replace(old, new))


def ties(value) -> dict:
    """core.json's tie as a dict of port -> int or "inst[H:L]": from {"mode": 1} or from the
    text form "mode=1,inst[36]=1,inst_w=inst[1:0]"."""
    items = dict(item.split("=") for item in value.split(",") if item) \
        if isinstance(value, str) else value
    return {k: v if isinstance(v, int) or v.startswith("inst[") else int(v, 0)
            for k, v in items.items()}


def relu_bypass(relu: str, inst: str, inst_width: int, where: str) -> str:
    """rtl_core's relu_bypass bit for the profile's relu mode."""
    if relu == "always":
        return "1'b0"
    if relu == "never":
        return "1'b1"
    if relu.startswith("bit ") and relu[4:].isdigit() and 34 <= int(relu[4:]) < inst_width:
        return f"~{inst}[{relu[4:]}]"
    raise VariantError(f"{where}: relu '{relu}' is not always, never or bit N below inst_width "
                       f"{inst_width}")


def top_text(name: str, profile: dict, bus: dict, where: str) -> str:
    """The variant's top: the profile's ports around rtl_core; bits above the course's of
    rtl_core's bus (rtl/core_bus.json) are 0 but relu_bypass, which follows `relu`."""
    names = {field: profile.get(field, default) for field, default in PORTS}
    inst_width = profile.get("inst_width", 34)
    extensions = sorted((f for f in bus["fields"] if not f["course"]), key=lambda f: -f["lsb"])
    course_width = min(f["lsb"] for f in extensions)
    if any(f["width"] != 1 for f in extensions) or inst_width < course_width:
        raise VariantError(f"{where}: inst_width {inst_width} or rtl/core_bus.json's extension "
                           "fields do not fit a course-bus wrapper")
    relu = profile.get("relu", "always")
    bits = [relu_bypass(relu, names["inst"], inst_width, where) if f["name"] == "relu_bypass"
            else "1'b0" for f in extensions]
    bits.append(f"{names['inst']}[{course_width - 1}:0]")
    widths = {"inst": f"[{inst_width - 1}:0]", "d_xmem": "[row*bw-1:0]",
              "sfp_out": "[col*psum_bw-1:0]"}
    declarations = [f"    {'output' if field in ('ofifo_valid', 'sfp_out') else 'input '} wire "
                    f"{widths.get(field, ''):<18}{names[field]}"
                    for field, _ in PORTS if names[field]]
    # The profile's ties: the core runs only while each tied input and instruction bit holds
    # its value (else rtl_core sees an all-zero instruction and never loads).
    held = []
    for port, value in ties(profile.get("tie", {})).items():
        if isinstance(value, str) and value.startswith("inst["):
            # An input that repeats bits of the instruction: it must equal them.
            high, _, low = value[5:-1].partition(":")
            width = f"[{int(high) - int(low or high)}:0]" if low and low != high else ""
            declarations.append(f"    input  wire {width:<18}{port}")
            held.append(f"({port} == {names['inst']}[{value[5:-1]}])")
            continue
        if port.startswith("inst[") and port.endswith("]"):
            held.append(f"{'' if value else '~'}{names['inst']}[{port[5:-1]}]")
        else:
            width = f"[{max(1, value.bit_length()) - 1}:0]" if value > 1 else ""
            declarations.append(f"    input  wire {width:<18}{port}")
            held.append(f"({port} == {value})")
    inst = f"{{{', '.join(bits)}}}"
    if held:
        inst = f"({' & '.join(held)}) ? {inst} : {course_width + len(extensions)}'d0"
    connections = [f".{port}({names[field]})" if field != "inst" else f".inst({inst})"
                   for field, port in PORTS]
    fields = ", ".join(f["name"] for f in extensions)
    source = "its core.json" if profile else "the course's profile (no core.json)"
    return (f"// Variant {name}'s top, written by tests/user_cores/make_variant.py from {source}: "
            f"rtl/'s core (renamed rtl_core) behind a {inst_width}-bit bus, relu {relu}.\n"
            f"module {profile.get('top', 'core')} #(\n"
            "    parameter row = 8,\n    parameter col = 8,\n    parameter bw = 4,\n"
            "    parameter psum_bw = 16\n) (\n" + ",\n".join(declarations) + "\n);\n"
            f"  // rtl_core's bits {extensions[0]['lsb']}..{course_width} ({fields}); then the "
            "course's bits.\n"
            "  rtl_core #(.row(row), .col(col), .bw(bw), .psum_bw(psum_bw)) u_core (\n"
            "      " + ", ".join(connections[:3]) + ",\n"
            "      " + ", ".join(connections[3:]) + ");\nendmodule\n")


def make_variant(rtl: pathlib.Path, variant: pathlib.Path, out: pathlib.Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_rtl(rtl, out)
    if (variant / "edits.txt").exists():
        apply_edits(variant / "edits.txt", out)
    own = sorted(p for p in variant.iterdir() if p.name != "edits.txt")
    for path in own:
        shutil.copy(path, out / path.name)
    profile_path = variant / "core.json"
    try:
        profile = json.loads(profile_path.read_text()) if profile_path.exists() else {}
    except json.JSONDecodeError as error:
        raise VariantError(f"{profile_path}:{error.lineno}: {error.msg}") from error
    top = re.compile(rf"\bmodule\s+{re.escape(profile.get('top', 'core'))}\b")
    if not any(p.suffix in (".v", ".sv") and top.search(p.read_text()) for p in own):
        bus = json.loads((rtl / "core_bus.json").read_text())
        (out / "core.v").write_text(top_text(variant.name, profile, bus, str(profile_path)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtl", required=True, type=pathlib.Path, help="rtl/ folder")
    parser.add_argument("--variant", required=True, type=pathlib.Path, help="tests/user_cores/<variant>")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="folder to (re)create")
    args = parser.parse_args()
    try:
        make_variant(args.rtl, args.variant, args.out)
    except VariantError as error:
        print(f"make_variant.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
