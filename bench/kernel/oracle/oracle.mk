# SPDX-License-Identifier: GPL-2.0-only
# oracle.mk - the qemu oracle (Linux 6.1 under qemu).  Its kernel module and
# guest program are built at run time by bench/kernel/oracle/qemu-oracle.sh against
# Debian's kernel packages (cached), so `make` only tells the command where
# the scripts live.  `make oracle-qemu` fetches and builds everything ahead.

$(BUILD)/bench/cmd/cmd_oracle_qemu.o: CFLAGS += -DZPB_SRCDIR='"$(CURDIR)"'

.PHONY: oracle-qemu
oracle-qemu:
	@bench/kernel/oracle/qemu-oracle.sh prepare
