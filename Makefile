# Front door of corelet-cosim: forwards the variables below to CMake (CMakePresets.json, the CMakeLists.txt files, the cmake/ scripts); `make help` lists the targets.

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

# Every input a cmake/ script reads, passed as -DNAME=value when set; $(call run,script,MODE).
INPUTS = BUILD JOBS MODEL LAYER ARRAY SEED DATAFLOW VECTORS RTL PROFILE FILELIST COSIM_ARGS TRACE FST \
         TRACE_FROM TRACE_TO WAVES VCD EXPORT OUT WRITE_META BENCH_MODELS REGRESS_SEEDS \
         REGRESS_MORE_SEEDS REGRESS_DATAFLOWS REGRESS_ARGS SHARD DIRS MERGED REPORT_FROM REPORT \
         COVERAGE_BUILD COVERAGE_CTEST_ARGS FUZZ_BUILD FUZZ_SECONDS FUZZ_TARGETS FAST_BUILD PGO
run = cmake -DMODE=$(2) $(strip $(foreach input,$(INPUTS),$(if $($(input)),"-D$(input)=$($(input))"))) -P cmake/$(1).cmake

.PHONY: all help deps configure build test sim wave vectors check-vectors probe-core sim-icarus \
        bench bench-golden bench-icarus fast lint synth regress regress-merge report mutants mutation \
        course-tb coverage fuzz fuzz-corpus clean

all: build
help: ## this list
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/  make \1\t\2/p' Makefile | expand -t 26
	@echo "Inputs: $(INPUTS)" | fold -s -w 100

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

sim: configure ## one layer, LAYER= MODEL= ARRAY= SEED= DATAFLOW=ws|os VECTORS=dir TRACE=1|f.vcd|f.fst; RTL=dir PROFILE=core.json FILELIST=f: your own core
	@$(call run,sim,sim)
wave: configure ## the same with a waveform + GTKWave save file in WAVES/ (FST=1 TRACE_FROM= TRACE_TO=)
	@$(call run,sim,wave)
vectors: configure ## notebook files + meta.json of a layer into OUT= (MODEL= ARRAY= SEED= DATAFLOW=)
	@$(call run,sim,vectors)
check-vectors: configure ## the vector-set doctor on VECTORS=dir, no RTL (WRITE_META=file)
	@$(call run,sim,check)
probe-core: configure ## which core profile fits RTL=dir, with the evidence; writes its core.json
	@$(call run,sim,probe)
sim-icarus: configure ## the run of make sim replayed by tb/replay_tb.v under Icarus (VCD=1|file EXPORT=dir)
	@$(call run,sim,icarus)

bench: configure ## golden model, cosim_bench, Verilator vs Icarus, whole models (BENCH_MODELS=) on the make fast build (PGO=0: on BUILD)
	@$(call run,bench,all)
fast: deps ## cosim with profile-guided optimisation in FAST_BUILD=build-fast; then make sim BUILD=build-fast
	@$(call run,bench,fast)
bench-golden: configure ## time of the golden model over each whole model
	@$(call run,bench,golden)
bench-icarus: configure ## Verilator and Icarus wall time on the same stimulus (layer 27, 8x8)
	@$(call run,bench,icarus)

lint: configure ## verilator --lint-only -Wall on the core at 8x8, 16x16 and 16x8
	cmake --build $(BUILD) -j $(JOBS) --target rtl_lint
synth: ## Yosys synthesis of core at 8x8 and 16x16: fails on a latch, multiple drivers, a loop; cells per block
	@tools/deps.sh synth && tools/synth/synth.sh $(BUILD)/synth 8x8 16x16

regress: configure ## every conv layer, both models, 8x8 and 16x16; SHARD=i/N a cost-balanced slice (REGRESS_SEEDS= REGRESS_MORE_SEEDS= REGRESS_DATAFLOWS= REGRESS_ARGS=)
	@$(call run,regress,run)
regress-merge: configure ## merge shard folders (DIRS=, default every build/regress-shards/*) into MERGED=build/regress-merged; fails on a missing or repeated run
	@$(call run,regress,merge)
report: deps ## one self-contained HTML page (REPORT=build/report.html) of a regression or whole-model run (REPORT_FROM=dir)
	@$(call run,regress,report)

mutants: configure ## every named fault (tests/mutants/*.patch) end to end, with the kill table
	cmake --build $(BUILD) -j $(JOBS) --target mutants
mutation: configure ## Yosys mutants of rtl/ against the battery: table, survivors, score (tools/mutation/README.md)
	@tools/deps.sh synth && cmake --build $(BUILD) -j $(JOBS) --target mutation
course-tb: configure ## tests/course/core_tb.v under Icarus: layer 27 and every shared 8x8 set, or VECTORS=dir (VCD=1)
	@$(call run,course_tb,)
coverage: deps ## line + toggle coverage of rtl/ over the suite: build/coverage/html (fails if a test fails; COVERAGE_CTEST_ARGS=)
	@tools/deps.sh coverage && $(call run,coverage,)
fuzz: ## libFuzzer + ASan/UBSan over the readers, meta.json, the doctor (FUZZ_SECONDS= per target, FUZZ_TARGETS=)
	@tools/deps.sh core fuzz && $(call run,fuzz,run)
fuzz-corpus: ## re-minimize tests/fuzz/corpus with what the last fuzz runs found
	@tools/deps.sh core fuzz && $(call run,fuzz,corpus)

clean: ## remove the build folder (BUILD=)
	rm -rf $(BUILD)
