# Front end for corelet-cosim: installs what is missing, configures CMake, builds, runs.
#   make sim LAYER=27          co-simulate one layer on the Verilated core
#   make test                  build everything and run the whole test suite (CTest)
# See README.md for the rest (vectors, wave, bench, regress).

BUILD     ?= build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
MODEL     ?= vgg16_sq8
LAYER     ?= 27
ARRAY     ?= 8
SEED      ?= 1
OUT       ?= vectors_out
VECTORS   ?=
TRACE     ?=
DATAFLOW  ?=

# Debian packages the build and the tests need; `deps` installs only what is missing.
APT_PACKAGES := g++ make cmake ninja-build verilator iverilog libfmt-dev libcli11-dev \
                libgtest-dev nlohmann-json3-dev time yosys python3

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test sim wave bench cosim-ready vectors bench-golden mutants clean help

all: build

help:
	@sed -n '1,4p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# make vectors LAYER=27 OUT=dir [MODEL=vgg16_sq8] [ARRAY=8|16] [SEED=1] [DATAFLOW=ws|os]: notebook
#   files + meta.json; DATAFLOW=os writes seed 001's output-stationary files (pixel group 0, oc
#   tile 0) and the whole layer with group and oc tile indices in the names.
vectors: configure
	cmake --build $(BUILD) --target generate_vectors -j $(JOBS)
	$(BUILD)/tools/generate_vectors --model $(MODEL) --layer $(LAYER) --array $(ARRAY) --seed $(SEED) $(if $(DATAFLOW),--dataflow $(DATAFLOW)) --out $(OUT)

# make course-tb [VECTORS=dir]: tests/course/core_tb.v, a course-style Icarus testbench (34-bit bus,
#   the course's flow), on generated layer 27 under -g2012 and -g2005 and on every shared 8x8 set
#   it can run; VECTORS=dir runs it on that set only (rewritten in the course's file names into
#   $(BUILD)/course-tb/run, where its VCD goes with VCD=1).
.PHONY: course-tb
COURSE_TB_SET = -DCOURSE_FILES=$(BUILD)/tools/course_files -DSET=$(abspath $(VECTORS)) \
  -DIVERILOG=iverilog -DVVP=vvp -DSOURCES=$(subst $(space),:,$(abspath $(wildcard rtl/*.v))) \
  -DTESTBENCH=$(abspath tests/course/core_tb.v) -DGENERATIONS=2012:2005 \
  $(if $(VCD),-DPLUSARGS=+vcd) -DWORK_DIR=$(abspath $(BUILD))/course-tb
space := $(subst ,, )
course-tb: configure
	@cmake --build $(BUILD) --target course_files generate_vectors -j $(JOBS)
	@$(if $(VECTORS),cmake $(COURSE_TB_SET) -P tests/course/course_tb.cmake,ctest --test-dir $(BUILD) -L course -j $(JOBS) --output-on-failure)

# make synth: Yosys synthesis of core at 8x8 and 16x16 (SRAMs as macros; sram alone at 64 words);
#   fails on an error, a latch, multiple drivers or a logic loop; prints cells per block.
.PHONY: synth
synth: deps
	@tools/synth/synth.sh $(BUILD)/synth 8x8 16x16

# make bench-golden: time of the golden model over each whole model (8x8 array)
bench-golden: configure
	cmake --build $(BUILD) --target bench_golden -j $(JOBS)
	$(BUILD)/tools/bench_golden

# make lint: verilator --lint-only -Wall on rtl/'s core at 8x8, 16x16 and 16x8 (any warning fails)
.PHONY: lint
lint: configure
	cmake --build $(BUILD) --target rtl_lint

# ---- co-simulation (tb/) -----------------------------------------------------------------
# make sim LAYER=27 [MODEL=vgg16_sq8] [ARRAY=8|16] [SEED=1] [DATAFLOW=ws|os] [VECTORS=dir] [TRACE=1|file.vcd|file.fst]
#   builds cosim (and a core model for the set's array shape if this build lacks it) and runs
#   one layer; the last line printed is PASS or FAIL with key=value figures.
# make wave LAYER=27 [FST=1] [TRACE_FROM=n] [TRACE_TO=n]: the same with a waveform and a GTKWave
#   save file in $(WAVES)/.
# make bench: wall time and simulated cycles/s of whole runs, tracing off and on.
WAVES      ?= waves
FST        ?=
TRACE_FROM ?=
TRACE_TO   ?=
COSIM       = $(BUILD)/tb/cosim
SIM_NAME    = $(if $(VECTORS),$(notdir $(patsubst %/,%,$(VECTORS))),$(MODEL)_layer$(LAYER)_$(ARRAY)x$(ARRAY)$(if $(filter os,$(DATAFLOW)),_os))
SIM_INPUT   = $(if $(VECTORS),--vectors $(VECTORS),--model $(MODEL) --layer $(LAYER) --seed $(SEED) --array $(ARRAY) $(if $(DATAFLOW),--dataflow $(DATAFLOW)))
WAVE_FILE   = $(WAVES)/$(SIM_NAME).$(if $(FST),fst,vcd)
SIM_TRACE   = $(if $(filter 1 yes on,$(TRACE)),$(WAVE_FILE),$(TRACE))
TRACE_WINDOW = $(if $(TRACE_FROM),--trace-from $(TRACE_FROM)) $(if $(TRACE_TO),--trace-to $(TRACE_TO))

# Builds cosim, then a core model of the run's array shape when this build has none
# (COSIM_EXTRA_ARRAYS), and cosim_fst for FST waveforms.
cosim-ready: configure
	@cmake --build $(BUILD) --target cosim -j $(JOBS)
	@shape=$$($(COSIM) $(SIM_INPUT) --print-array) || exit 2; \
	built=$$(sed -n 's/^COSIM_BUILT_ARRAYS:INTERNAL=//p' $(BUILD)/CMakeCache.txt); \
	case ";$$built;" in *";$$shape;"*) ;; *) \
	  extra=$$(sed -n 's/^COSIM_EXTRA_ARRAYS:[A-Z]*=//p' $(BUILD)/CMakeCache.txt); \
	  echo "Building a $$shape core model (COSIM_EXTRA_ARRAYS=$${extra:+$$extra;}$$shape)"; \
	  cmake -S . -B $(BUILD) "-DCOSIM_EXTRA_ARRAYS=$${extra:+$$extra;}$$shape" >/dev/null && \
	  cmake --build $(BUILD) --target cosim -j $(JOBS) ;; esac
	@case "$(SIM_TRACE)" in *.fst) cmake --build $(BUILD) --target cosim_fst -j $(JOBS) ;; esac

# make sim RTL=dir [LAYER=N|all] [VECTORS=dir] [PROFILE=core.json] [COSIM_ARGS=...]: your own
#   course core (tb/USER_CORES.md), built once per content into $(BUILD)/user-cores/.
RTL        ?=
PROFILE    ?=
COSIM_ARGS ?=
sim: $(if $(RTL),user-sim,cosim-ready)
	@$(if $(RTL),true,$(if $(SIM_TRACE),mkdir -p $(dir $(SIM_TRACE)) &&) \
	$(COSIM) $(SIM_INPUT) $(if $(SIM_TRACE),--trace $(SIM_TRACE) $(TRACE_WINDOW)))

.PHONY: user-sim probe-core
user-sim: configure
	@cmake --build $(BUILD) --target cosim -j $(JOBS)
	@$(COSIM) --rtl $(RTL) $(SIM_INPUT) $(if $(PROFILE),--profile $(PROFILE)) $(if $(SIM_TRACE),--trace $(SIM_TRACE) $(TRACE_WINDOW)) $(COSIM_ARGS)

# make probe-core RTL=dir: which profile fits a course core, with evidence; writes dir/core.json
#   only when it has none ($(BUILD)/probe-core.json otherwise).
probe-core: configure
	@cmake --build $(BUILD) --target cosim -j $(JOBS)
	@$(COSIM) probe-core --rtl $(RTL) $(COSIM_ARGS)

wave: TRACE = 1
wave: cosim-ready
	@mkdir -p $(WAVES)
	@$(COSIM) $(SIM_INPUT) --trace $(WAVE_FILE) --gtkw $(WAVES)/$(SIM_NAME).gtkw $(TRACE_WINDOW)
	@echo "open it with: gtkwave $(WAVES)/$(SIM_NAME).gtkw"

bench: configure
	@$(MAKE) --no-print-directory bench-golden
	@cmake --build $(BUILD) --target cosim_bench cosim -j $(JOBS)
	@$(BUILD)/tb/cosim_bench --scratch $(BUILD)/bench
	@$(MAKE) --no-print-directory bench-icarus
	@echo "Whole models, one core, tracing off, psums checked at pmem's write port (tb/SCHEDULE.md):"
	@for model in $(BENCH_MODELS); do \
	  /usr/bin/time -f "$$model: %e s elapsed, %U s user, %S s system" \
	    $(COSIM) --model $$model --layer all --array 8 --psum-check write -q || exit 1; \
	done

# make regress [JOBS=n] [REGRESS_SEEDS=1] [REGRESS_MORE_SEEDS=7,13] [REGRESS_ARGS=...]: every conv
#   layer of both models on 8x8 and 16x16 (more seeds on the cheap layers) through cosim, JOBS at
#   a time; progress, a table with per-model totals, JUnit XML in $(BUILD)/regress.xml; exits
#   non-zero on any failure. Each layer runs in every dataflow of REGRESS_DATAFLOWS (ws,os): the
#   output-stationary cycles, efficiency and WS/OS cycle ratio show on the layer's line.
BENCH_MODELS       ?= vgg16_sq8 vgg16
REGRESS_SEEDS      ?= 1
REGRESS_MORE_SEEDS ?= 7,13
REGRESS_ARGS       ?=
REGRESS_DATAFLOWS  ?= ws,os
regress: configure
	@cmake --build $(BUILD) --target cosim regress -j $(JOBS)
	@$(BUILD)/tools/regress --cosim $(COSIM) -j $(JOBS) --seeds $(REGRESS_SEEDS) \
	  $(if $(REGRESS_MORE_SEEDS),--more-seeds $(REGRESS_MORE_SEEDS)) --dataflows $(REGRESS_DATAFLOWS) \
	  --junit $(BUILD)/regress.xml --scratch $(BUILD)/regress $(REGRESS_ARGS)

# make mutants: builds every mutation build of the core (rtl/README.md, MUTANT_*), runs layer
#   27 on each and prints the kill table (mutant, fault, exit code, where it was caught, first
#   mismatch, killed yes/no); fails unless every mutant is caught at its kind of place.
mutants: configure
	cmake --build $(BUILD) --target mutants -j $(JOBS)

clean:
	rm -rf $(BUILD)

# ---- robustness of the inputs ------------------------------------------------------------
# make fuzz [FUZZ_SECONDS=600] [FUZZ_TARGETS="record_file meta doctor"]: libFuzzer with ASan and
#   UBSan (clang, its own build dir $(FUZZ_BUILD)) over the vector readers, meta.json and the
#   vector-set doctor's inference; FUZZ_SECONDS per target. New inputs go to
#   $(FUZZ_BUILD)/corpus/<target>; the kept corpus in tests/fuzz/corpus/<target> seeds each run.
# make fuzz-corpus: re-minimizes the kept corpus with what the last runs found (-merge=1, then
#   the 40 inputs that cover the most edges; regression_* inputs always stay).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= record_file meta doctor
FUZZ_CORPUS  := tests/fuzz/corpus

.PHONY: fuzz fuzz-build fuzz-corpus

# clang and its runtime libraries (libFuzzer, ASan, UBSan), installed when missing.
FUZZ_PACKAGES := clang libclang-rt-dev

fuzz-build:
	@missing=""; \
	for p in $(FUZZ_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi
	@test -f $(FUZZ_BUILD)/build.ninja || cmake -S . -B $(FUZZ_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCOSIM_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target $(FUZZ_BUILD)/artifacts/$$target; \
	  echo "fuzz_$$target: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/tests/fuzz/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$target/ \
	    $(FUZZ_BUILD)/corpus/$$target $(FUZZ_CORPUS)/$$target || exit 1; \
	done

fuzz-corpus: fuzz-build
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$target; \
	  sh tests/fuzz/minimize_corpus.sh $(FUZZ_BUILD)/tests/fuzz/fuzz_$$target \
	    $(FUZZ_CORPUS)/$$target $(FUZZ_BUILD)/corpus/$$target 40 || exit 1; \
	done

# ---- the same run in other simulators, and RTL coverage ------------------------------------
# make sim-icarus LAYER=27 [the inputs of make sim] [VCD=1|file.vcd]: exports the run
#   (cosim --export-stimulus $(EXPORT): inputs per cycle, golden values at the checked cycles)
#   and replays it on rtl/ under Icarus with tb/replay_tb.v: "N passed, M failed", PASS/FAIL.
# make bench-icarus: Verilator and Icarus wall time for the same stimulus (layer 27, 8x8).
# make coverage: line and toggle coverage of rtl/ from the test suite (build/coverage/).
EXPORT      ?= $(BUILD)/export/$(SIM_NAME)
VCD         ?=
RTL_SOURCES := $(wildcard rtl/*.v)
REPLAY_VCD   = $(if $(filter 1 yes on,$(VCD)),$(EXPORT)/replay.vcd,$(VCD))

.PHONY: sim-icarus bench-icarus coverage

# Compiles tb/replay_tb.v for the export folder $(1) (sizes from its header.hex) into $(1)/replay.vvp.
define compile_replay
set -- $$(grep -v '^//' $(1)/header.hex) && \
iverilog -g2012 -Irtl -s replay_tb -Preplay_tb.row=$$((0x$$3)) -Preplay_tb.col=$$((0x$$4)) \
  -Preplay_tb.max_cycles=$$((0x$$1)) -Preplay_tb.max_checks=$$((0x$$2)) \
  -o $(1)/replay.vvp tb/replay_tb.v $(RTL_SOURCES)
endef

sim-icarus: cosim-ready
	@rm -rf $(EXPORT)
	@$(COSIM) $(SIM_INPUT) --export-stimulus $(EXPORT) -q
	@$(call compile_replay,$(EXPORT))
	@vvp -n $(EXPORT)/replay.vvp +export=$(EXPORT) $(if $(REPLAY_VCD),+vcd=$(REPLAY_VCD))

bench-icarus: configure
	@cmake --build $(BUILD) --target cosim -j $(JOBS)
	@dir=$(BUILD)/bench/replay_layer27_8x8; rm -rf $$dir; \
	line=$$($(COSIM) --model vgg16_sq8 --layer 27 --array 8 --export-stimulus $$dir -q | tail -n 1); \
	case "$$line" in PASS*) ;; *) echo "$$line"; exit 1 ;; esac; \
	start=$$(date +%s%N); $(call compile_replay,$$dir) || exit 1; \
	compiled=$$(date +%s%N); vvp -n $$dir/replay.vvp +export=$$dir > $$dir/replay.log || \
	  { cat $$dir/replay.log; exit 1; }; done=$$(date +%s%N); \
	echo "$$line" | tr ' ' '\n' | sed -n 's/^\(cycles\|wall_ms\|sim_ms\)=//p' | paste -sd' ' | \
	awk -v compile=$$(( (compiled - start) / 1000 )) -v icarus=$$(( (done - compiled) / 1000 )) \
	  -v verdict="$$(tail -n 1 $$dir/replay.log | cut -d' ' -f1)" \
	  '{ printf "\nsame stimulus, vgg16_sq8 features[27] 8x8, %d cycles (%s)\n", $$1, dir; \
	     printf "  %-44s %10.2f ms  (whole run with golden model: %.2f ms)\n", "Verilator (cosim clock loop)", $$3, $$2; \
	     printf "  %-44s %10.2f ms  (iverilog compile: %.2f ms), replay %s\n", "Icarus (vvp tb/replay_tb.v)", icarus / 1000, compile / 1000, verdict; \
	     printf "  %-44s %10.1fx\n", "Icarus / Verilator", (icarus / 1000) / $$3 }' dir=$$dir

# make coverage: a coverage build of the core models (line + toggle, $(COVERAGE_BUILD)), the
# default test suite run on it (every model writes its counts into $(COVERAGE_BUILD)/runs),
# merged into $(BUILD)/coverage/coverage.dat and the lcov HTML report
# $(BUILD)/coverage/html/index.html, with a one-line summary of rtl/.
COVERAGE_BUILD    ?= build-coverage
COVERAGE_PACKAGES := lcov

coverage: deps
	@missing=""; \
	for p in $(COVERAGE_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi
	@test -f $(COVERAGE_BUILD)/build.ninja || cmake -S . -B $(COVERAGE_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=Release -DCOSIM_COVERAGE=ON
	cmake --build $(COVERAGE_BUILD) -j $(JOBS)
	@rm -rf $(COVERAGE_BUILD)/runs && mkdir -p $(COVERAGE_BUILD)/runs
	@COSIM_COVERAGE_DIR=$(abspath $(COVERAGE_BUILD))/runs ctest --test-dir $(COVERAGE_BUILD) \
	  -j $(JOBS) --output-on-failure $(COVERAGE_CTEST_ARGS) || \
	  echo "coverage: some tests failed (above); the report counts what ran"
	@tools/coverage_report.sh $(COVERAGE_BUILD)/runs $(BUILD)/coverage .

# make check-vectors VECTORS=dir [WRITE_META=file]: checks a vector set against itself, without
#   the RTL (`cosim check-vectors`): psums against activations x weights, out against the psums;
#   names what is wrong and the meta.json field that fixes it. cosim exits 0 consistent, 1 not,
#   2 unreadable (make reports the last two as "Error 1" / "Error 2").
WRITE_META ?=

.PHONY: check-vectors

check-vectors: configure
	@test -n "$(VECTORS)" || { echo "usage: make check-vectors VECTORS=dir [WRITE_META=file]"; exit 2; }
	@cmake --build $(BUILD) --target cosim -j $(JOBS)
	@$(BUILD)/tb/cosim check-vectors $(VECTORS) $(if $(WRITE_META),--write-meta $(WRITE_META))
