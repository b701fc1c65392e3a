#!/usr/bin/python3
"""report_render_test.py: make report's page rendered by headless chromium: one bar group per layer in the DOM, a non-trivial screenshot, the failing run listed with its waveform link."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def run(command, expect):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != expect:
        sys.exit(f"{' '.join(command)}: exit {result.returncode}, expected {expect}\n"
                 f"{result.stdout}{result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    for name in ("regress", "ctest", "cosim", "mutants", "report", "scratch"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--mutant", required=True,
                        help="a fault of the --mutants program built with waveform code")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("SKIP: chromium is not installed (make deps installs it where Debian has it)")
        return SKIP
    scratch = os.path.abspath(args.scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.join(scratch, "failing"))
    # 2 layers x 2 arrays x 2 dataflows, all passing; and one failing run with a waveform window.
    # As make regress does it: the run list as CTest tests, ctest, the table and shard.json.
    folder = os.path.join(scratch, "regress")
    junit = os.path.join(folder, "regress.xml")
    run([args.regress, "--cosim", args.cosim, "--models", "vgg16_sq8", "--layers", "27,24",
         "--arrays", "8,16", "--dataflows", "ws,os", "--out", folder], 0)
    run([args.ctest, "--test-dir", folder, "-j", "2", "--output-junit", junit], 0)
    run([args.regress, "table", "--out", folder, "--junit", junit], 0)
    trace = os.path.join(scratch, "failing", "layer27.vcd")
    run([args.mutants, "--rtl-variant", args.mutant, "--layer", "27", "--seed", "2",
         "--trace", trace, "--trace-from", "150", "--trace-to", "260", "--report",
         os.path.join(scratch, "failing", "layer27.json"), "-q"], 1)
    html_path = os.path.join(scratch, "report.html")
    run([sys.executable, args.report, "--out", html_path, os.path.join(scratch, "regress"),
         os.path.join(scratch, "failing")], 0)

    # Layers expected, from regress's own list of what it ran.
    with open(os.path.join(scratch, "regress", "shard.json"), encoding="utf-8") as file:
        shard = json.load(file)
    layers = {(r["model"], r["layer"], r["array"], r["dataflow"]) for r in shard["runs"]}
    if len(layers) != 8:
        sys.exit(f"regress ran {len(layers)} distinct layers, asked for 8")

    profile = os.path.join(scratch, "chromium-profile")
    browser = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--window-size=1400,2400"]
    url = "file://" + html_path
    dom = run(browser + ["--dump-dom", url], 0)
    groups = re.findall(r'<g id="layer-([^"]+)"', dom)
    if sorted(groups) != sorted(set(groups)) or len(groups) != len(layers):
        sys.exit(f"the rendered page has {len(groups)} layer bar groups ({groups}), expected "
                 f"{len(layers)}")
    for model, layer, array, dataflow in layers:
        name = f"{model}-{layer}-{array}x{array}-{dataflow}"
        if name not in groups:
            sys.exit(f"no bar group for {name} in the rendered page")
        group = re.search(r'<g id="layer-' + re.escape(name) + r'"[^>]*>(.*?)</g>', dom, re.S)
        if group is None or group.group(1).count("<path") != 6:
            sys.exit(f"the bar group of {name} does not hold one bar per phase (6)")
    failure = re.search(r'<tr class="failure"><td>(vgg16_sq8 features\[27\] 8x8 seed 2)</td>'
                        r'<td>([^<]+)</td><td><a href="([^"]+)"', dom)
    if failure is None:
        sys.exit("the failing run is not listed with its first mismatch and waveform link")
    if not failure.group(2).startswith("vgg16_sq8 features[27]: ") or \
            os.path.normpath(os.path.join(scratch, failure.group(3))) != trace:
        sys.exit(f"failure row: '{failure.group(2)}' linking {failure.group(3)}")

    screenshot = os.path.join(scratch, "report.png")
    run(browser + [f"--screenshot={screenshot}", url], 0)
    import matplotlib.image
    pixels = matplotlib.image.imread(screenshot)[:, :, :3]
    colours = {tuple(p) for p in (pixels[::7, ::7] * 255).astype(int).reshape(-1, 3).tolist()}
    drawn = float((pixels.sum(axis=2) < 2.9).mean())
    if pixels.shape[:2] != (2400, 1400) or len(colours) < 8 or drawn < 0.05:
        sys.exit(f"screenshot {screenshot}: {pixels.shape}, {len(colours)} colours, "
                 f"{100 * drawn:.1f}% not white: the page did not render its plots")
    print(f"rendered: {len(groups)} layer bar groups, failure row with waveform link, screenshot "
          f"{len(colours)} colours, {100 * drawn:.1f}% drawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
