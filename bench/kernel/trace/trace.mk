# SPDX-License-Identifier: GPL-2.0-only
# trace.mk - the zram tracer: build/zpb-capture (libbpf, CO-RE), which
# `zpoolbench capture` runs.  Included by the main Makefile.
#
# The tracer needs clang, bpftool, libbpf-dev, libelf-dev, zlib1g-dev and
# /sys/kernel/btf/vmlinux (scripts/deps.sh bpf).  `make` builds it only when
# they are present, so the core build never depends on them; `make capture`
# builds it or fails saying what is missing; `make test` (as root) installs
# them first.  vmlinux.h is dumped from the running kernel's BTF and the
# skeleton generated with `bpftool gen skeleton`, both at build time.
#
# The slot-state part (zscapture.c: bio completions -> size trace) has no BPF
# in it and goes into libzpb.a, so its unit tests always run; so does the
# option table (capture_opts.c) that `zpoolbench capture` and zpb-capture share.

ZST_DIR     := $(BUILD)/bench/kernel/trace
ZPB_CAPTURE := $(BUILD)/zpb-capture
BPFTOOL     ?= $(firstword $(shell command -v bpftool 2>/dev/null) $(wildcard /usr/sbin/bpftool /sbin/bpftool))
BPF_CLANG   ?= clang
BPF_ARCH    := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

zst_missing = $(strip \
	$(if $(shell command -v $(BPF_CLANG) 2>/dev/null),,clang) \
	$(if $(BPFTOOL),,bpftool) \
	$(if $(wildcard /usr/include/bpf/libbpf.h),,libbpf-dev) \
	$(if $(wildcard /usr/include/gelf.h),,libelf-dev) \
	$(if $(wildcard /usr/include/zlib.h),,zlib1g-dev) \
	$(if $(wildcard $(VMLINUX_BTF)),,$(VMLINUX_BTF)))

# pure C part: always in the library
$(BUILD)/libzpb.a: $(BUILD)/bench/kernel/trace/zscapture.o $(BUILD)/bench/kernel/trace/capture_opts.o
-include $(BUILD)/bench/kernel/trace/zscapture.d $(BUILD)/bench/kernel/trace/capture_opts.d

.PHONY: capture capture-skipped capture-for-test
ifeq ($(zst_missing),)
all: $(ZPB_CAPTURE)
else
all: capture-skipped
endif
capture-skipped:
	@echo "zpoolbench: not building $(ZPB_CAPTURE) (missing: $(zst_missing)); 'scripts/deps.sh bpf' installs them"

capture: $(ZPB_CAPTURE)

# `make test`: as root install the tool chain first (a new make then sees it).
test: capture-for-test
capture-for-test: all
	@if [ "$$(id -u)" = 0 ]; then scripts/deps.sh bpf && $(MAKE) --no-print-directory capture; fi

$(ZST_DIR)/vmlinux.h:
	@mkdir -p $(ZST_DIR)
	@[ -n "$(BPFTOOL)" ] || { echo "zpoolbench: bpftool missing; run scripts/deps.sh bpf" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(ZST_DIR)/zstrace.bpf.o: bench/kernel/trace/zstrace.bpf.c bench/kernel/trace/zstrace.h $(ZST_DIR)/vmlinux.h
	$(BPF_CLANG) -g -O2 -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) -I$(ZST_DIR) -Ibench/kernel/trace \
		-c -o $@ $<

$(ZST_DIR)/zstrace.skel.h: $(ZST_DIR)/zstrace.bpf.o
	$(BPFTOOL) gen skeleton $< name zstrace_bpf > $@.tmp && mv $@.tmp $@

$(ZST_DIR)/zstrace.o: bench/kernel/trace/zstrace.c bench/kernel/trace/zstrace.h $(ZST_DIR)/zstrace.skel.h | $(BUILD)/version.h
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -I$(ZST_DIR) -Ibench/kernel/trace -MMD -MP -c -o $@ $<
-include $(ZST_DIR)/zstrace.d

$(ZPB_CAPTURE): $(ZST_DIR)/zstrace.o $(BUILD)/libzpb.a
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libzpb.a -lbpf -lelf -lz $(LDLIBS)
