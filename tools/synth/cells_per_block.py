#!/usr/bin/env python3
"""Cells per block of a Yosys `stat` of core: each block of the corelet with everything inside it."""
import re
import sys
from collections import defaultdict


def short(name):
    """$paramod$<hash>\\mac_row -> mac_row"""
    return name.split("\\")[-1]


def parse(text):
    cells = {}         # module -> cells of its own (submodule instances excluded)
    children = defaultdict(list)  # module -> [(child module, count)]
    tree_lines = []
    module = None
    in_tree = False
    for line in text.splitlines():
        header = re.match(r"=== (.+) ===", line.strip())
        if header:
            module = header.group(1)
            in_tree = module == "design hierarchy"
            continue
        if in_tree:
            if re.match(r"\s+Number of wires", line):
                in_tree = False
            elif line.strip():
                tree_lines.append(line)
            continue
        total = re.match(r"\s+Number of cells:\s+(\d+)", line)
        if total and module:
            cells[module] = int(total.group(1))
            continue
        instance = re.match(r"\s+(\S+)\s+(\d+)$", line)
        if instance and module in cells and instance.group(1) in cells_names(text):
            children[module].append((instance.group(1), int(instance.group(2))))
    for parent, kids in children.items():
        cells[parent] -= sum(count for _, count in kids)
    return cells, children


_names = None


def cells_names(text):
    global _names
    if _names is None:
        _names = set(m.group(1) for m in re.finditer(r"=== (.+) ===", text))
    return _names


def total(module, cells, children):
    return cells.get(module, 0) + sum(count * total(kid, cells, children)
                                      for kid, count in children.get(module, []))


def main():
    text = open(sys.argv[1]).read()
    cells, children = parse(text)
    corelet = next((kid for kid, _ in children.get("core", []) if short(kid) == "corelet"), None)
    if corelet is None:
        sys.exit("cells_per_block: no corelet under core in " + sys.argv[1])
    rows = [(short(kid), count, total(kid, cells, children)) for kid, count in children[corelet]]
    rows.append(("corelet glue", 1, cells.get(corelet, 0)))
    rows.append(("core glue", 1, cells.get("core", 0)))
    grand = total("core", cells, children)
    print(f"  {'block':<14} {'instances':>9} {'cells':>9} {'share':>7}")
    for name, count, cell_count in rows:
        print(f"  {name:<14} {count:>9} {cell_count:>9} {100.0 * cell_count / grand:>6.1f}%")
    print(f"  {'core':<14} {'':>9} {grand:>9} (xmem, pmem: sram macros, not counted)")


if __name__ == "__main__":
    main()
