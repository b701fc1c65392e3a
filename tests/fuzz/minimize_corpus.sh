#!/bin/sh
# Re-minimizes a kept fuzz corpus: every input the fuzzer found, reduced to a few dozen files that
# cover the most code edges (libFuzzer -merge=1 for the coverage, then a greedy set cover).
#   minimize_corpus.sh <fuzzer> <kept corpus dir> <found corpus dir> [max files, default 40]
set -eu
fuzzer=$1 kept=$2 found=$3 max=${4:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/merged"
"$fuzzer" -merge=1 -use_counters=0 -use_value_profile=0 -use_cmp=0 \
  -merge_control_file="$work/control" "$work/merged" "$kept" "$found" >"$work/log" 2>&1 ||
  { cat "$work/log"; exit 1; }
# control file: file count, first-corpus count, the paths, then per file "COV <index> <edges...>".
awk -v max="$max" '
  NR == 1 { files = $1; next }
  NR == 2 { next }
  NR <= files + 2 { path[NR - 3] = $0; next }
  $1 == "COV" { for (i = 3; i <= NF; i++) { edges[$2] = edges[$2] " " $i; all[$i] = 1 } }
  END {
    total = 0; for (e in all) total++
    for (picked = 0; picked < max; picked++) {
      best = -1; gain = 0
      for (f in edges) {
        n = split(edges[f], list, " "); g = 0
        for (i = 1; i <= n; i++) if (!(list[i] in covered)) g++
        if (g > gain) { gain = g; best = f }
      }
      if (best < 0) break
      n = split(edges[best], list, " ")
      for (i = 1; i <= n; i++) covered[list[i]] = 1
      delete edges[best]
      print path[best]
    }
    reached = 0; for (e in covered) reached++
    printf "%d of %d edges covered\n", reached, total > "/dev/stderr"
  }' "$work/control" >"$work/picked"
mkdir -p "$work/new"
while IFS= read -r file; do
  cp "$file" "$work/new/$(sha1sum "$file" | cut -c1-40)"
done <"$work/picked"
# Named regression inputs stay whatever the cover says.
for file in "$kept"/regression_*; do
  [ -e "$file" ] && cp "$file" "$work/new/"
done
rm -rf "$kept"
mkdir -p "$kept"
cp "$work/new/"* "$kept/"
echo "$kept: $(ls "$kept" | wc -l) files"
