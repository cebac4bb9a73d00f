# SPDX-License-Identifier: GPL-2.0-only
# oracle.mk - the qemu oracle (Debian's Linux 6.1 and 6.12, x86-64 and arm64
# with 16 KiB pages, under qemu).  Its kernel module and guest programs are
# built at run time by bench/kernel/oracle/qemu-oracle.sh against Debian's
# kernel packages (cached), so `make` only tells the commands where the
# scripts live.  `make oracle-qemu` fetches and builds everything ahead
# (ORACLE_KERNELS="6.1 6.12 6.12-arm64-16k" by default).

ORACLE_KERNELS ?=

$(BUILD)/bench/kernel/qemu_oracle.o: CFLAGS += -DZPB_SRCDIR='"$(CURDIR)"'

.PHONY: oracle-qemu
oracle-qemu:
	@bench/kernel/oracle/qemu-oracle.sh prepare $(ORACLE_KERNELS)
