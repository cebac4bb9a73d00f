# SPDX-License-Identifier: GPL-2.0-only
# tests/fuzz.mk - the fuzz targets (tests/fuzz/fuzz_*.c).
#
# Every build (build/, build-asan/, build-tsan/) links each target with a
# small main() (tests/fuzz/standalone.c) into $(BUILD)/fuzz/NAME, and
# `make test` replays the committed seed corpora through them
# (tests/sh/fuzz_seeds.sh).  `make fuzz` builds them with clang and libFuzzer
# (-fsanitize=fuzzer,address,undefined) in build-fuzz/ and runs each for
# FUZZ_TIME seconds (tests/fuzz/run.sh); fuzz_ops runs once per allocator
# and preset.  The corpus reader's target joins when bench/corpus/corpus.h exists.

FUZZ_TIME  ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
ifeq ($(wildcard bench/corpus/corpus.h),)
FUZZ_SRCS  := $(filter-out tests/fuzz/fuzz_corpus.c,$(FUZZ_SRCS))
endif
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_LIBSRC := tests/fuzz/opseq.c

ifeq ($(FUZZ_LIBFUZZER),1)
FUZZ_MAIN := -fsanitize=fuzzer
else
FUZZ_MAIN := tests/fuzz/standalone.c
endif

.PHONY: fuzz fuzz-build fuzz-bins fuzz-short
all: $(FUZZ_BINS)
fuzz-bins: $(FUZZ_BINS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIBSRC) $(wildcard tests/fuzz/*.h) tests/fuzz/standalone.c \
		$(BUILD)/libzpb.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/fuzz -o $@ $< $(FUZZ_LIBSRC) $(FUZZ_MAIN) $(LDFLAGS) \
		-Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)

fuzz-build:
	@scripts/deps.sh build fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined" \
		FUZZ_LIBFUZZER=1 fuzz-bins

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME)
