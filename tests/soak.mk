# SPDX-License-Identifier: GPL-2.0-only
# tests/soak.mk - `make soak`: zpb-soak (tests/soak.c) runs SOAK_OPS verified
# random operations over every allocator and preset.  Long; not part of CI.

SOAK_OPS ?= 100000000
ZPB_SOAK := $(BUILD)/zpb-soak

.PHONY: soak
all: $(ZPB_SOAK)

$(ZPB_SOAK): tests/soak.c tests/fuzz/opseq.c tests/fuzz/opseq.h $(BUILD)/libzpb.a
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/fuzz -o $@ tests/soak.c tests/fuzz/opseq.c $(LDFLAGS) \
		-Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)

soak: all
	$(ZPB_SOAK) --ops $(SOAK_OPS)
