# SPDX-License-Identifier: GPL-2.0-only
# zpoolbench - `make help` lists the targets.
#
# Sources are picked up by directory: allocators/*.c and bench/*.c plus the
# layers below it (bench/corpus, bench/driver, bench/output, bench/kernel; see
# docs/hacking.md) form the library (no main), bench/main.c + bench/cmd/*.c
# the program, tests/unit/*.c the unit-test binary.  Parts with their own tool chains (the BPF tracer,
# the qemu oracle) bring a Makefile fragment (*.mk) that is included here.

CC       ?= cc
BUILD    ?= build
OPT      ?= -O2 -g
SAN      ?=
LAYERS   := corpus driver output kernel
CFLAGS   := $(OPT) $(SAN) -std=gnu11 -Wall -Wextra -pthread -fno-strict-aliasing \
            -Iallocators -Ibench -I$(BUILD) $(EXTRA_CFLAGS)
LDFLAGS  := $(SAN) -pthread $(EXTRA_LDFLAGS)
PKGS     := liblz4 libzstd libcrypto libxxhash jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   := $(PKG_LIBS) -llzo2 -lm

ALLOC_SRCS := $(wildcard allocators/*.c)
LIB_SRCS   := $(ALLOC_SRCS) $(filter-out bench/main.c,$(wildcard bench/*.c)) \
              $(foreach l,$(LAYERS),$(wildcard bench/$(l)/*.c)) \
              $(filter-out bench/cmd/cmd_%.c,$(wildcard bench/cmd/*.c))
CMD_SRCS   := bench/main.c $(wildcard bench/cmd/cmd_*.c)
TEST_SRCS  := $(wildcard tests/unit/*.c)

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CMD_OBJS  := $(CMD_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
DEPS      := $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d) $(TEST_OBJS:.o=.d)

ZPB       := $(BUILD)/zpoolbench
ZPB_TESTS := $(BUILD)/zpb-tests

.PHONY: all test bench asan tsan fuzz soak deps clean help check-deps
.DEFAULT_GOAL := all

all: check-deps $(ZPB) $(ZPB_TESTS)

help:
	@echo "zpoolbench targets:"
	@echo "  make            build $(ZPB) and the test binary (-O2 -g -Wall -Wextra)"
	@echo "  make test       build and run the whole test suite (installs missing packages as root)"
	@echo "  make bench      allocator micro-benchmarks: ns/op and ratios to 'ideal'"
	@echo "  make asan       the test suite under AddressSanitizer + UBSan (build-asan/)"
	@echo "  make tsan       the test suite under ThreadSanitizer (build-tsan/)"
	@echo "  make fuzz       libFuzzer targets, 60 s each (clang)"
	@echo "  make soak       100,000,000 verified random operations over all allocators (long)"
	@echo "  make oracle-qemu  fetch Debian's Linux 6.1 and 6.12 (x86, arm64 16K) and build the qemu oracle ahead"
	@echo "  make deps       install the Debian packages the build and tests need"
	@echo "  make clean      remove build directories"

# Packages are installed by name when missing (as root), else the exact
# command is printed and the build stops.
check-deps:
	@scripts/deps.sh build

deps:
	@scripts/deps.sh build test

$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@v="#define ZPB_VERSION \"0.1\"\n#define ZPB_GIT \"$$(git describe --always --dirty 2>/dev/null || echo unknown)\""; \
	 if [ ! -f $@ ] || [ "$$(printf "$$v")" != "$$(cat $@)" ]; then printf "$$v" > $@; fi
FORCE:

$(BUILD)/%.o: %.c | $(BUILD)/version.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libzpb.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Command objects are linked directly (not from the archive): they register
# themselves from constructors.  The whole archive goes in for the same
# reason (allocators register themselves too).
$(ZPB): $(CMD_OBJS) $(BUILD)/libzpb.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) -Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)

$(ZPB_TESTS): $(TEST_OBJS) $(BUILD)/libzpb.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJS) -Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)

test: all
	@scripts/deps.sh test
	@BUILD=$(BUILD) tests/run.sh

# The default corpus when it is there, else the sizes of the example trace.
# BENCH_ARGS adds options, e.g. BENCH_ARGS="--kernel --repeat 11"
BENCH_INPUT ?= $(if $(wildcard corpora/default.pages.zst),--corpus corpora/default.pages.zst,--trace corpora/example.trace)
bench: all
	$(ZPB) bench $(BENCH_INPUT) $(BENCH_ARGS)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# ThreadSanitizer needs a fixed memory layout: with more ASLR entropy than it
# knows (vm.mmap_rnd_bits > 28 on some kernels) it fails at start, so the
# tests run with randomisation off when setarch is allowed to do that.
tsan:
	@r=; if setarch $$(uname -m) -R true 2>/dev/null; then r="setarch $$(uname -m) -R"; fi; \
	$$r $(MAKE) --no-print-directory BUILD=build-tsan OPT="-O1 -g" SAN="-fsanitize=thread" \
		ZPB_TSAN=1 test

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(DEPS)
-include $(wildcard bench/*/*.mk bench/*/*/*.mk corpora/*.mk tests/*.mk plots/*.mk)
