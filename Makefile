# Front door of corelet-cosim: installs what is missing (tools/deps.sh), then CMake builds and runs; `make help` lists the targets.
# The logic lives in CMake: CMakePresets.json, the CMakeLists.txt files and the scripts in cmake/.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
MODEL ?= vgg16_sq8
LAYER ?= 27
ARRAY ?= 8
SEED ?= 1
OUT ?= vectors_out
WAVES ?= waves
BENCH_MODELS ?= vgg16_sq8 vgg16
REGRESS_SEEDS ?= 1
REGRESS_MORE_SEEDS ?= 7,13
REGRESS_DATAFLOWS ?= ws,os
COVERAGE_BUILD ?= build-coverage
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= record_file meta doctor

COSIM = $(BUILD)/tb/cosim
BUILD_TARGETS = cmake --build $(BUILD) -j $(JOBS) --target
SIM_NAME = $(if $(VECTORS),$(notdir $(patsubst %/,%,$(VECTORS))),$(MODEL)_layer$(LAYER)_$(ARRAY)x$(ARRAY)$(if $(filter os,$(DATAFLOW)),_os))
SIM_INPUT = $(if $(VECTORS),--vectors $(VECTORS),--model $(MODEL) --layer $(LAYER) --seed $(SEED) --array $(ARRAY) $(if $(DATAFLOW),--dataflow $(DATAFLOW)))
WAVE_FILE = $(WAVES)/$(SIM_NAME).$(if $(FST),fst,vcd)
SIM_TRACE = $(if $(filter 1 yes on,$(TRACE)),$(WAVE_FILE),$(TRACE))
TRACE_WINDOW = $(if $(TRACE_FROM),--trace-from $(TRACE_FROM)) $(if $(TRACE_TO),--trace-to $(TRACE_TO))
EXPORT ?= $(BUILD)/export/$(SIM_NAME)

.PHONY: all help deps configure build test sim wave vectors check-vectors bench bench-golden \
        bench-icarus lint synth user-sim probe-core regress regress-merge report mutants mutation sim-icarus \
        course-tb coverage fuzz \
        fuzz-corpus cosim-ready clean

all: build
help: ## this list
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/  make \1\t\2/p' Makefile | expand -t 26
	@echo "Inputs: LAYER MODEL ARRAY SEED DATAFLOW VECTORS TRACE FST TRACE_FROM TRACE_TO VCD OUT JOBS"
	@echo "  BUILD BENCH_MODELS REGRESS_* SHARD FUZZ_SECONDS FUZZ_TARGETS (README.md says more)"

deps: ## install the missing packages of the build and the whole test suite
	@tools/deps.sh core synth report lint

# Re-configured when a CMakeLists.txt changes (Verilator then runs with the new file lists).
$(BUILD)/build.ninja: $(wildcard CMakeLists.txt */CMakeLists.txt */*/CMakeLists.txt) | deps
	cmake --preset default -B $(BUILD)
configure: deps $(BUILD)/build.ninja

build: configure ## build everything the tests need
	cmake --build $(BUILD) -j $(JOBS)

test: build ## build, then run the whole test suite (CTest, JOBS at a time)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

cosim-ready: configure
	@cmake -DBUILD_DIR=$(BUILD) -DJOBS=$(JOBS) "-DINPUT=$(SIM_INPUT)" -DTRACE=$(SIM_TRACE) -P cmake/cosim_ready.cmake
RTL ?=
PROFILE ?=
COSIM_ARGS ?=
sim: $(if $(RTL),user-sim,cosim-ready) ## one layer, LAYER= MODEL= ARRAY= SEED= DATAFLOW=ws|os VECTORS=dir TRACE=1|f.vcd|f.fst; RTL=dir: your own core
	@$(if $(RTL),true,$(if $(SIM_TRACE),mkdir -p $(dir $(SIM_TRACE)) &&) $(COSIM) $(SIM_INPUT) $(if $(SIM_TRACE),--trace $(SIM_TRACE) $(TRACE_WINDOW)))

user-sim: configure
	@$(BUILD_TARGETS) cosim && $(COSIM) --rtl $(RTL) $(SIM_INPUT) $(if $(PROFILE),--profile $(PROFILE)) $(if $(SIM_TRACE),--trace $(SIM_TRACE) $(TRACE_WINDOW)) $(COSIM_ARGS)

probe-core: configure ## which core profile fits RTL=dir, with the evidence; writes its core.json
	@$(BUILD_TARGETS) cosim && $(COSIM) probe-core --rtl $(RTL) $(COSIM_ARGS)

wave: TRACE = 1
wave: cosim-ready ## the same with a waveform + GTKWave save file in WAVES/ (FST=1 TRACE_FROM= TRACE_TO=)
	@$(if $(FST),tools/deps.sh wave)
	@mkdir -p $(WAVES) && $(COSIM) $(SIM_INPUT) --trace $(WAVE_FILE) --gtkw $(WAVES)/$(SIM_NAME).gtkw $(TRACE_WINDOW)
	@echo "open it with: gtkwave $(WAVES)/$(SIM_NAME).gtkw"

vectors: configure ## notebook files + meta.json of a layer into OUT= (MODEL= ARRAY= SEED= DATAFLOW=)
	$(BUILD_TARGETS) generate_vectors
	$(BUILD)/tools/generate_vectors --model $(MODEL) --layer $(LAYER) --array $(ARRAY) --seed $(SEED) $(if $(DATAFLOW),--dataflow $(DATAFLOW)) --out $(OUT)

check-vectors: configure ## the vector-set doctor on VECTORS=dir, no RTL (WRITE_META=file)
	@test -n "$(VECTORS)" || { echo "usage: make check-vectors VECTORS=dir [WRITE_META=file]"; exit 2; }
	@$(BUILD_TARGETS) cosim
	@$(COSIM) check-vectors $(VECTORS) $(if $(WRITE_META),--write-meta $(WRITE_META))

bench: configure ## golden model, cosim_bench, Verilator vs Icarus, whole models (BENCH_MODELS=)
	@$(BUILD_TARGETS) bench_golden cosim_bench cosim
	@cmake -DBUILD_DIR=$(BUILD) "-DMODELS=$(BENCH_MODELS)" -P cmake/bench.cmake

bench-golden: configure ## time of the golden model over each whole model
	@$(BUILD_TARGETS) bench_golden && $(BUILD)/tools/bench_golden

bench-icarus: configure ## Verilator and Icarus wall time on the same stimulus (layer 27, 8x8)
	@$(BUILD_TARGETS) cosim
	@cmake -DMODE=bench -DBUILD_DIR=$(BUILD) -DEXPORT=$(BUILD)/bench/replay_layer27_8x8 "-DINPUT=--model vgg16_sq8 --layer 27 --array 8" -P cmake/icarus.cmake

sim-icarus: cosim-ready ## the run of make sim replayed by tb/replay_tb.v under Icarus (VCD=1|file)
	@cmake -DMODE=replay -DBUILD_DIR=$(BUILD) -DEXPORT=$(EXPORT) "-DINPUT=$(SIM_INPUT)" "-DVCD=$(if $(filter 1 yes on,$(VCD)),$(EXPORT)/replay.vcd,$(VCD))" -P cmake/icarus.cmake

lint: configure ## verilator --lint-only -Wall on the core at 8x8, 16x16 and 16x8
	$(BUILD_TARGETS) rtl_lint

REGRESS_OUT = $(if $(SHARD),$(BUILD)/regress-shards/shard-$(subst /,-of-,$(SHARD)),$(BUILD)/regress)
REGRESS_JUNIT = $(if $(SHARD),$(REGRESS_OUT)/regress.xml,$(BUILD)/regress.xml)
DIRS ?= $(wildcard $(BUILD)/regress-shards/shard-*)
MERGED ?= $(BUILD)/regress-merged
REPORT_FROM ?= $(shell ls -t $(MERGED)/shard.json $(BUILD)/regress/shard.json 2>/dev/null | head -n 1)
REPORT ?= $(BUILD)/report.html
regress: configure ## every conv layer, both models, 8x8 and 16x16; SHARD=i/N a cost-balanced slice (REGRESS_SEEDS= REGRESS_MORE_SEEDS= REGRESS_DATAFLOWS= REGRESS_ARGS=)
	@$(BUILD_TARGETS) cosim regress
	@$(BUILD)/tools/regress --cosim $(COSIM) -j $(JOBS) --seeds $(REGRESS_SEEDS) $(if $(REGRESS_MORE_SEEDS),--more-seeds $(REGRESS_MORE_SEEDS)) --dataflows $(REGRESS_DATAFLOWS) $(if $(SHARD),--shard $(SHARD)) --out $(REGRESS_OUT) --junit $(REGRESS_JUNIT) $(REGRESS_ARGS)

regress-merge: configure ## merge shard folders (DIRS=, default every build/regress-shards/*) into build/regress-merged; fails on a missing or repeated run
	@test -n "$(strip $(DIRS))" || { echo "make regress-merge: no shard folders (run make regress SHARD=i/N, or give DIRS=...)"; exit 2; }
	@$(BUILD_TARGETS) regress && $(BUILD)/tools/regress merge --out $(MERGED) $(DIRS)

report: deps ## one self-contained HTML page (build/report.html) of a regression or whole-model run (REPORT_FROM=dir)
	@test -n "$(strip $(REPORT_FROM))" || { echo "make report: nothing to report (run make regress, or give REPORT_FROM=dir)"; exit 2; }
	@/usr/bin/python3 tools/report/regress_report.py --out $(REPORT) $(patsubst %/shard.json,%,$(REPORT_FROM))

synth: ## Yosys synthesis of core at 8x8 and 16x16: fails on a latch, multiple drivers, a loop; cells per block
	@tools/deps.sh synth
	@tools/synth/synth.sh $(BUILD)/synth 8x8 16x16

mutants: configure ## every named fault (tests/mutants/*.patch) end to end, with the kill table
	$(BUILD_TARGETS) mutants

mutation: configure ## Yosys mutants of rtl/ against the battery: table, survivors, score (tools/mutation/README.md)
	@tools/deps.sh synth && $(BUILD_TARGETS) mutation

course-tb: configure ## tests/course/core_tb.v under Icarus: layer 27 and every shared 8x8 set, or VECTORS=dir (VCD=1)
	@$(BUILD_TARGETS) course_files generate_vectors
	@$(if $(VECTORS),cmake -DBUILD_DIR=$(BUILD) -DSET=$(VECTORS) -DVCD=$(VCD) -P cmake/course_tb.cmake,ctest --test-dir $(BUILD) -L course -j $(JOBS) --output-on-failure)

coverage: deps ## line + toggle coverage of rtl/ over the suite: build/coverage/html (fails if a test fails)
	@tools/deps.sh coverage
	@cmake -DCOVERAGE_BUILD=$(COVERAGE_BUILD) -DREPORT_DIR=$(BUILD)/coverage -DJOBS=$(JOBS) "-DCTEST_ARGS=$(COVERAGE_CTEST_ARGS)" -P cmake/coverage.cmake

fuzz: ## libFuzzer + ASan/UBSan over the readers, meta.json, the doctor (FUZZ_SECONDS= per target)
	@tools/deps.sh core fuzz
	@cmake -DMODE=run -DFUZZ_BUILD=$(FUZZ_BUILD) "-DTARGETS=$(FUZZ_TARGETS)" -DSECONDS=$(FUZZ_SECONDS) -DJOBS=$(JOBS) -P cmake/fuzz.cmake

fuzz-corpus: ## re-minimize tests/fuzz/corpus with what the last fuzz runs found
	@tools/deps.sh core fuzz
	@cmake -DMODE=corpus -DFUZZ_BUILD=$(FUZZ_BUILD) "-DTARGETS=$(FUZZ_TARGETS)" -DJOBS=$(JOBS) -P cmake/fuzz.cmake

clean: ## remove the build folder (BUILD=)
	rm -rf $(BUILD)
