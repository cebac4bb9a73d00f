# SPDX-License-Identifier: GPL-2.0-only
# tests/feprobe.mk - zpb-feprobe (tests/feprobe.c): the host side of the
# zswap rule check against the Linux 6.12 guests (tests/sh/qemu612_zswap_*.sh).

ZPB_FEPROBE := $(BUILD)/zpb-feprobe

all: $(ZPB_FEPROBE)

$(ZPB_FEPROBE): tests/feprobe.c $(BUILD)/libzpb.a
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ tests/feprobe.c $(LDFLAGS) \
		-Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)
