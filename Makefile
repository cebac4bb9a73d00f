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
ZPB_MAN   := $(BUILD)/zpoolbench.1
ZPB_BASH  := $(BUILD)/zpoolbench.bash

.PHONY: all test bench asan tsan fuzz soak deps clean help check-deps install uninstall fresh format-check
.DEFAULT_GOAL := all

all: check-deps $(ZPB) $(ZPB_TESTS) $(ZPB_MAN) $(ZPB_BASH)

help:
	@echo "zpoolbench targets:"
	@echo "  make            build $(ZPB) and the test binary (-O2 -g -Wall -Wextra)"
	@echo "  make test       build and run the whole test suite (installs missing packages as root)"
	@echo "  make bench      the performance figures and their targets (scripts/bench.sh; long)"
	@echo "  make asan       the test suite under AddressSanitizer + UBSan (build-asan/)"
	@echo "  make tsan       the test suite under ThreadSanitizer (build-tsan/)"
	@echo "  make fuzz       libFuzzer targets, 60 s each (clang)"
	@echo "  make soak       100,000,000 verified random operations over all allocators (long)"
	@echo "  make oracle-qemu  fetch Debian's Linux 6.1 and 6.12 (x86, arm64 16K) and build the qemu oracle ahead"
	@echo "  make deps       install the Debian packages the build and tests need"
	@echo "  make install    install under PREFIX (/usr/local), staged under DESTDIR if given"
	@echo "  make uninstall  remove exactly what make install put there (same PREFIX, DESTDIR)"
	@echo "  make fresh      the README's two commands in a new Debian 12 root (root; minutes)"
	@echo "  make format-check  the C files as .clang-format describes them (exit 1 if not)"
	@echo "  make clean      remove build directories"

# Packages are installed by name when missing (as root), else the exact
# command is printed and the build stops.
check-deps:
	@scripts/deps.sh build

deps:
	@scripts/deps.sh build test

# The tree as .clang-format describes it (CI): exit 1 on any difference.
format-check:
	@scripts/deps.sh format
	@scripts/format-check.sh

# The fresh-machine proof: scripts/fresh.sh (debootstrap, cached outside the tree).
fresh:
	@scripts/deps.sh fresh
	@scripts/fresh.sh

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

# The manual page and the bash completion come from the program's own tables.
$(ZPB_MAN): $(ZPB)
	$(ZPB) help --man > $@.tmp && mv $@.tmp $@

$(ZPB_BASH): $(ZPB) scripts/gen-completion.sh
	scripts/gen-completion.sh $(ZPB) > $@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr/local] [DESTDIR=/staging]: the layout under
# PREFIX is fixed, because the installed binary finds its data from its own
# place (bin/../share/zpoolbench, bin/../libexec/zpoolbench): a staged or
# moved tree works as a whole.  INSTALL_FILES is the one list install and
# uninstall share, "SOURCE:DESTINATION:MODE" relative to the tree and PREFIX;
# zpb-capture is installed when it was built (clang, bpftool, libbpf).
# corpora/build.sh and swap-capture.sh are not installed: they rebuild
# corpora from this source tree (its workloads, its git commit in the
# manifests) and need cgroup v1 and root; an installed tool makes corpora
# with `corpus snapshot`, `corpus sample`, `corpus pack` and `capture`.
PREFIX   ?= /usr/local
DESTDIR  ?=
ZPB_DATA := share/zpoolbench
INSTALL_FILES := \
	$(ZPB):bin/zpoolbench:755 \
	$(ZPB_MAN):share/man/man1/zpoolbench.1:644 \
	$(ZPB_BASH):share/bash-completion/completions/zpoolbench:644 \
	$(foreach f,$(wildcard plots/*.gp),$(f):$(ZPB_DATA)/$(f):644) \
	bench/kernel/oracle/qemu-oracle.sh:$(ZPB_DATA)/oracle/qemu-oracle.sh:755 \
	bench/kernel/oracle/guest/init:$(ZPB_DATA)/oracle/guest/init:755 \
	bench/kernel/oracle/guest/zpbo_run.c:$(ZPB_DATA)/oracle/guest/zpbo_run.c:644 \
	bench/kernel/oracle/guest/zram_run.c:$(ZPB_DATA)/oracle/guest/zram_run.c:644 \
	bench/kernel/oracle/guest/zswap_probe.c:$(ZPB_DATA)/oracle/guest/zswap_probe.c:644 \
	bench/kernel/oracle/kmod/Kbuild:$(ZPB_DATA)/oracle/kmod/Kbuild:644 \
	bench/kernel/oracle/kmod/zpb_oracle.c:$(ZPB_DATA)/oracle/kmod/zpb_oracle.c:644 \
	scripts/deps.sh:$(ZPB_DATA)/scripts/deps.sh:755 \
	corpora/default.pages.zst:$(ZPB_DATA)/corpora/default.pages.zst:644 \
	corpora/default.json:$(ZPB_DATA)/corpora/default.json:644 \
	corpora/example.trace:$(ZPB_DATA)/corpora/example.trace:644 \
	$(foreach f,README.md LICENSE $(wildcard docs/*.md),$(f):share/doc/zpoolbench/$(f):644)
# Folders that are zpoolbench's own, removed by uninstall when empty, deepest first.
INSTALL_DIRS := $(ZPB_DATA)/oracle/guest $(ZPB_DATA)/oracle/kmod $(ZPB_DATA)/oracle \
	$(ZPB_DATA)/plots $(ZPB_DATA)/scripts $(ZPB_DATA)/corpora $(ZPB_DATA) \
	libexec/zpoolbench share/doc/zpoolbench/docs share/doc/zpoolbench
INSTALL_ROOT = $(DESTDIR)$(PREFIX)

install: $(ZPB) $(ZPB_MAN) $(ZPB_BASH)
	@case "$(PREFIX)" in /*) ;; *) echo "make install: PREFIX must be an absolute path, not '$(PREFIX)'" >&2; exit 1 ;; esac
	@set -e; for e in $(INSTALL_FILES); do \
		src=$${e%%:*}; rest=$${e#*:}; dst=$${rest%:*}; mode=$${rest##*:}; \
		echo "  INSTALL $(INSTALL_ROOT)/$$dst"; \
		install -D -m $$mode "$$src" "$(INSTALL_ROOT)/$$dst"; \
	done
	@if [ -x $(BUILD)/zpb-capture ]; then \
		echo "  INSTALL $(INSTALL_ROOT)/libexec/zpoolbench/zpb-capture"; \
		install -D -m 755 $(BUILD)/zpb-capture "$(INSTALL_ROOT)/libexec/zpoolbench/zpb-capture"; \
	else \
		echo "  (zpb-capture not built: 'zpoolbench capture' will say so; scripts/deps.sh bpf, then make)"; \
	fi

uninstall:
	@case "$(PREFIX)" in /*) ;; *) echo "make uninstall: PREFIX must be an absolute path, not '$(PREFIX)'" >&2; exit 1 ;; esac
	@for e in $(INSTALL_FILES) :libexec/zpoolbench/zpb-capture:; do \
		rest=$${e#*:}; dst=$${rest%:*}; \
		if [ -e "$(INSTALL_ROOT)/$$dst" ] || [ -L "$(INSTALL_ROOT)/$$dst" ]; then \
			echo "  RM      $(INSTALL_ROOT)/$$dst"; rm -f "$(INSTALL_ROOT)/$$dst"; \
		fi; \
	done
	@for d in $(INSTALL_DIRS); do \
		[ ! -d "$(INSTALL_ROOT)/$$d" ] || rmdir "$(INSTALL_ROOT)/$$d" 2>/dev/null || \
			echo "  kept $(INSTALL_ROOT)/$$d: it holds files zpoolbench did not install"; \
	done

test: all
	@scripts/deps.sh test
	@BUILD=$(BUILD) tests/run.sh

# scripts/bench.sh: the figures of docs/performance.md with their targets.
# BENCH_ARGS adds options to its first part (zpoolbench bench), e.g.
# BENCH_ARGS="--kernel --repeat 11"; BENCH_PARTS="1 2" runs only those
# parts; BENCH_SIZE=small shrinks the long ones (the script lists the knobs).
bench: all
	@ZPB=$(ZPB) scripts/bench.sh

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
