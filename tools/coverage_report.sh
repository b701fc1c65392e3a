#!/bin/sh
# Merges the coverage files of a test run (Verilator --coverage models) into coverage.dat, writes the lcov HTML report of rtl/ and prints the line/toggle summary.
#   tools/coverage_report.sh <folder of *.dat> <report folder> [repo root]
# The report's paths are relative to the repo root (rtl/mac.v), so genhtml runs from there.
set -eu

runs=${1:?usage: coverage_report.sh <folder of *.dat> <report folder> [repo root]}
report=${2:?usage: coverage_report.sh <folder of *.dat> <report folder> [repo root]}
root=$(cd "${3:-$(dirname "$0")/..}" && pwd)
mkdir -p "$report"
report=$(cd "$report" && pwd)

set -- "$runs"/*.dat
if [ ! -f "$1" ]; then
  echo "coverage_report.sh: error: $runs holds no *.dat file (did the tests run a coverage build?)" >&2
  exit 2
fi
verilator_coverage --write "$report/coverage.dat" "$@"

# Verilator writes the source paths it was given (absolute here): make them repo-relative and
# keep only rtl/.
verilator_coverage --write-info "$report/all.info" "$report/coverage.dat"
awk -v root="$root/" '
  /^SF:/ { path = substr($0, 4); if (index(path, root) == 1) path = substr(path, length(root) + 1);
           keep = path ~ /^rtl\//; if (keep) print "SF:" path; next }
  keep { print }
  /^end_of_record/ { keep = 0 }' "$report/all.info" > "$report/coverage.info"
rm -f "$report/all.info"
(cd "$root" && genhtml --quiet --title "corelet-cosim rtl/" --output-directory "$report/html" \
  "$report/coverage.info")

# coverage.dat entries: C '<\001key\002value...>' count. Keys: f file, l line, page
# (v_line/..., v_branch/..., v_toggle/<module>), o the signal, h the instance.
awk -v root="$root/" '
  /^C / {
    count = $NF
    entry = $0
    file = entry; sub(/.*\001f\002/, "", file); sub(/\001.*/, "", file)
    if (index(file, root) == 1) file = substr(file, length(root) + 1)
    if (file !~ /^rtl\//) next
    page = entry; sub(/.*\001page\002/, "", page); sub(/\001.*/, "", page)
    split(page, parts, "/")
    kind = parts[1] == "v_toggle" ? "toggle" : "line"
    total[kind]++; if (count > 0) hit[kind]++
    key = kind SUBSEP file
    file_total[key]++; if (count > 0) file_hit[key]++
  }
  function pct(h, t) { return t > 0 ? 100.0 * h / t : 100.0 }
  END {
    for (key in file_total) {
      split(key, k, SUBSEP)
      printf "  %-6s %-20s %6.2f %% (%d of %d points)\n", k[1], k[2],
             pct(file_hit[key], file_total[key]), file_hit[key], file_total[key] | "sort -k2,2 -k1,1"
    }
    close("sort -k2,2 -k1,1")
    printf "coverage of rtl/: line %.2f %% (%d of %d), toggle %.2f %% (%d of %d); report: %s\n",
           pct(hit["line"], total["line"]), hit["line"], total["line"],
           pct(hit["toggle"], total["toggle"]), hit["toggle"], total["toggle"], report
  }' report="$report/html/index.html" "$report/coverage.dat"
