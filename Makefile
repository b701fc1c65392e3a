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

# Debian packages the build and the tests need; `deps` installs only what is missing.
APT_PACKAGES := g++ make cmake ninja-build verilator iverilog libfmt-dev libcli11-dev \
                libgtest-dev nlohmann-json3-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test sim vectors bench bench-golden clean help

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

# make vectors LAYER=27 OUT=dir [MODEL=vgg16_sq8] [ARRAY=8|16] [SEED=1]: notebook files + meta.json
vectors: configure
	cmake --build $(BUILD) --target generate_vectors -j $(JOBS)
	$(BUILD)/tools/generate_vectors --model $(MODEL) --layer $(LAYER) --array $(ARRAY) --seed $(SEED) --out $(OUT)

# make bench-golden: time of the golden model over each whole model (8x8 array)
bench-golden: configure
	cmake --build $(BUILD) --target bench_golden -j $(JOBS)
	$(BUILD)/tools/bench_golden

clean:
	rm -rf $(BUILD)
