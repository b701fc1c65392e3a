#!/usr/bin/python3
"""regress_report.py: one self-contained HTML page (inline SVG plots from matplotlib) from the JSON reports of a regression or a whole-model run (make report)."""
import argparse
import html
import io
import json
import os
import re
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

# tb::Phase order (tb/include/tb/sequencer.hpp) and one colour each.
PHASES = ["reset", "load", "execute", "drain", "readback", "accumulate"]
COLOURS = ["#9e9e9e", "#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#b07aa1"]


def fail(message):
    print(f"regress_report.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except OSError as error:
        fail(f"{path}: {error.strerror}")
    except json.JSONDecodeError as error:
        fail(f"{path} line {error.lineno} col {error.colno}: not JSON: {error.msg}")


def is_run_report(document):
    return isinstance(document, dict) and "phase_cycles" in document and "cycles" in document


def collect(folder):
    """The runs of a folder: regress's shard.json (with each run's report), else every cosim
    JSON report in it (cosim --report, cosim --layer all --report DIR)."""
    runs = []
    shard_file = os.path.join(folder, "shard.json")
    if os.path.isfile(shard_file):
        for item in load_json(shard_file).get("runs", []):
            report = load_json(os.path.join(folder, item["report"])) if item.get("report") else None
            runs.append(run_from(item, report, folder))
        return runs
    if not os.path.isdir(folder):
        fail(f"{folder}: no such folder")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            document = load_json(os.path.join(folder, name))
            if is_run_report(document):
                runs.append(run_from(None, document, folder))
    if not runs:
        fail(f"{folder}: no shard.json and no cosim JSON report (*.json with phase_cycles)")
    return runs


def run_from(item, report, folder):
    """One run's figures from regress's entry and/or cosim's JSON report."""
    if report is not None:
        match = re.match(r"(\S+) features\[(\d+)\]", report.get("layer", ""))
        model, layer = (match.group(1), int(match.group(2))) if match else (report["layer"], 0)
        array = report["array"]
        seed = re.search(r"seed (\d+)", report.get("source", ""))
        trace = report.get("trace", "")
        return {
            "model": item["model"] if item else model,
            "layer": item["layer"] if item else layer,
            "array": f"{array['row']}x{array['col']}",
            "seed": item["seed"] if item else (int(seed.group(1)) if seed else 0),
            "dataflow": report.get("dataflow", "ws"),
            "pass": report["result"] == "PASS" and (item is None or item["result"] == "PASS"),
            "cycles": report["cycles"],
            "phases": [report["phase_cycles"].get(phase, 0) for phase in PHASES],
            "utilization": report.get("mac_utilization", 0.0),
            "cycles_per_second": report.get("cycles_per_second", 0.0),
            "failure": (item or {}).get("failure") or report.get("failure", ""),
            "first_mismatch": (report.get("mismatch_details") or [""])[0],
            "trace": trace if not trace or os.path.isabs(trace) else os.path.join(folder, trace),
        }
    return {  # cosim left no report (a crash): regress's entry only
        "model": item["model"], "layer": item["layer"], "array": f"{item['array']}x{item['array']}",
        "seed": item["seed"], "dataflow": item["dataflow"], "pass": False, "cycles": 0,
        "phases": [0] * len(PHASES), "utilization": 0.0, "cycles_per_second": 0.0,
        "failure": item.get("failure", ""), "first_mismatch": "", "trace": "",
    }


def run_name(run):
    flow = " os" if run["dataflow"] == "os" else ""
    return f"{run['model']} features[{run['layer']}] {run['array']} seed {run['seed']}{flow}"


def layer_id(run):
    return f"layer-{run['model']}-{run['layer']}-{run['array']}-{run['dataflow']}"


def figure_svg(title, runs):
    """Three panels sharing the layer axis; each layer's phase bar is one SVG group (gid)."""
    labels = [f"features[{run['layer']}]" for run in runs]
    height = 1.7 + 0.36 * len(runs)
    figure, (phases, utilization, speed) = plt.subplots(
        1, 3, figsize=(13, height), sharey=True, gridspec_kw={"width_ratios": [3, 1.3, 1.3]})
    for row, run in enumerate(runs):
        total = max(run["cycles"], 1)
        segments, start = [], 0.0
        for cycles in run["phases"]:
            share = 100.0 * cycles / total
            segments.append((start, share))
            start += share
        phases.broken_barh(segments, (row - 0.38, 0.76), facecolors=COLOURS, gid=layer_id(run))
        phases.text(101, row, f"{run['cycles']:,}", va="center", fontsize=8)
    phases.set_xlim(0, 118)
    phases.set_xlabel("share of the layer's cycles (%), total cycles at the right")
    phases.set_yticks(range(len(runs)))
    phases.set_yticklabels(labels)
    phases.invert_yaxis()
    phases.legend(handles=[matplotlib.patches.Patch(color=c, label=p) for p, c in zip(PHASES, COLOURS)],
                  ncol=len(PHASES), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8,
                  frameon=False)
    rows = range(len(runs))
    utilization.barh(rows, [100.0 for _ in runs], color="#e0e0e0", height=0.76, label="ideal")
    utilization.barh(rows, [100.0 * run["utilization"] for run in runs], color="#59a14f",
                     height=0.76, label="achieved")
    utilization.set_xlim(0, 100)
    utilization.set_xlabel("MAC utilization (%) vs ideal 100%")
    speed.barh(rows, [run["cycles_per_second"] / 1000.0 for run in runs], color="#4e79a7",
               height=0.76)
    speed.set_xlabel("simulated kcycles/s")
    for fail_row, run in enumerate(runs):
        if not run["pass"]:
            phases.text(-1, fail_row, "FAIL ", ha="right", va="center", color="#c00000",
                        fontsize=8, fontweight="bold")
    figure.suptitle(title, x=0.01, ha="left", fontsize=11)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def page(runs, sources, out_path):
    plt.rcParams["svg.hashsalt"] = "corelet-cosim"
    plt.rcParams["svg.fonttype"] = "none"
    groups = {}
    for run in sorted(runs, key=lambda r: (r["model"], r["array"], r["dataflow"], r["layer"], r["seed"])):
        # One bar per layer: the lowest seed (the schedule, hence the cycles, is the same).
        key = (run["model"], run["array"], run["dataflow"])
        layers = groups.setdefault(key, {})
        layers.setdefault(run["layer"], run)
    failed = [run for run in runs if not run["pass"]]
    out_dir = os.path.dirname(os.path.abspath(out_path))
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>corelet-cosim regression report</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;max-width:1400px}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px}"
        "td.n{text-align:right}.FAIL{color:#c00000;font-weight:bold}.PASS{color:#2e7d32}"
        "section.chart{margin-bottom:1.5em}</style></head><body>",
        "<h1>corelet-cosim regression report</h1>",
        f"<p class=\"verdict {'FAIL' if failed else 'PASS'}\">{'FAIL' if failed else 'PASS'}: "
        f"{len(runs)} runs, {len(failed)} failed. From {html.escape(', '.join(sources))}.</p>",
        "<h2>Failures</h2>",
    ]
    if failed:
        parts.append("<table id=\"failures\"><tr><th>run</th><th>first mismatch / failure</th>"
                     "<th>waveform</th></tr>")
        for run in failed:
            link = ""
            if run["trace"] and os.path.exists(run["trace"]):
                target = os.path.relpath(os.path.abspath(run["trace"]), out_dir)
                link = f"<a href=\"{html.escape(target)}\">{html.escape(os.path.basename(target))}</a>"
            what = run["first_mismatch"] or run["failure"]
            parts.append(f"<tr class=\"failure\"><td>{html.escape(run_name(run))}</td>"
                         f"<td>{html.escape(what)}</td><td>{link or 'none written'}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p id=\"failures\">none</p>")
    parts.append("<h2>Per layer: where the cycles go, utilization, simulation speed</h2>")
    for (model, array, dataflow), layers in groups.items():
        flow = "output-stationary" if dataflow == "os" else "weight-stationary"
        chart_runs = [layers[layer] for layer in sorted(layers)]
        parts.append(f"<section class=\"chart\" data-model=\"{model}\" data-array=\"{array}\" "
                     f"data-dataflow=\"{dataflow}\" data-layers=\"{len(chart_runs)}\">")
        parts.append(figure_svg(f"{model} on {array}, {flow}", chart_runs))
        parts.append("</section>")
    parts.append("<h2>Every run</h2><table id=\"runs\"><tr><th>run</th><th>cycles</th>"
                 "<th>utilization %</th><th>cycles/s</th><th>result</th></tr>")
    for run in sorted(runs, key=lambda r: (r["model"], r["array"], r["seed"], r["layer"], r["dataflow"])):
        verdict = "PASS" if run["pass"] else "FAIL"
        parts.append(f"<tr><td>{html.escape(run_name(run))}</td><td class=\"n\">{run['cycles']:,}</td>"
                     f"<td class=\"n\">{100 * run['utilization']:.1f}</td>"
                     f"<td class=\"n\">{run['cycles_per_second']:,.0f}</td>"
                     f"<td class=\"{verdict}\">{verdict}</td></tr>")
    parts.append("</table></body></html>\n")
    with open(out_path, "w", encoding="utf-8") as file:
        file.write("\n".join(parts))
    return sum(len(layers) for layers in groups.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split(": ", 1)[1])
    parser.add_argument("folders", nargs="+", metavar="DIR",
                        help="regress output folders (with shard.json) or folders of cosim JSON reports")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    args = parser.parse_args()
    runs = []
    for folder in args.folders:
        runs.extend(collect(folder))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    bars = page(runs, args.folders, args.out)
    print(f"report: {args.out} ({len(runs)} runs, {bars} layer bars, "
          f"{sum(1 for run in runs if not run['pass'])} failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
