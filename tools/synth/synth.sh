#!/usr/bin/env bash
# make synth: Yosys synthesis of rtl/'s core at each array shape, failing on errors, latches, multiple drivers or logic loops; prints cells per block.
# tools/synth/synth.sh OUT_DIR SHAPE... (SHAPE = ROWxCOL). The SRAMs are macros in a real flow,
# so core is synthesized with sram as a black box, and sram alone at 64 words to check its logic.
set -euo pipefail
out=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
rtl=$(cd "$here/../../rtl" && pwd)
command -v yosys >/dev/null || { echo "synth: yosys is not installed (make deps installs it)"; exit 2; }
mkdir -p "$out"
logic=$(ls "$rtl"/*.v | grep -v '/sram\.v$' | tr '\n' ' ')
# Checks every synthesized module: no latch cells, and `check -assert` (multiple drivers,
# undriven inputs of used cells, combinational loops) passes.
checks='check -assert
select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*'
status=0
run() {  # name, script
  local name=$1 script=$2
  if ! printf '%s\n' "$script" | yosys -q -l "$out/$name.log" -s /dev/stdin >/dev/null 2>&1; then
    echo "synth $name: FAILED (see $out/$name.log):"
    grep -iE 'error|assert|latch|multiple|loop|found and reported' "$out/$name.log" | head -20
    status=1
    return 1
  fi
}
if run sram_64x32 "read_verilog -DSYNTHESIS $rtl/sram.v
hierarchy -check -top sram -chparam num 64 -chparam width 32
synth -top sram
$checks
stat"; then
  echo "synth sram (64 x 32 bits, the xmem/pmem logic): clean"
fi
for shape in "$@"; do
  row=${shape%x*}; col=${shape#*x}
  if run "core_$shape" "read_verilog -DSYNTHESIS $logic
read_verilog -DSYNTHESIS -lib $rtl/sram.v
hierarchy -check -top core -chparam row $row -chparam col $col
synth -top core
$checks
tee -o $out/core_$shape.stat stat"; then
    echo "synth core $shape (sram as a macro): clean"
    python3 "$here/cells_per_block.py" "$out/core_$shape.stat"
  fi
done
exit $status
