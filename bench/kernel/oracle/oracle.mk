# SPDX-License-Identifier: GPL-2.0-only
# oracle.mk - the qemu oracle (Debian's Linux 6.1 and 6.12, x86-64 and arm64
# with 16 KiB pages, under qemu).  Its kernel module and guest programs are
# built at run time by bench/kernel/oracle/qemu-oracle.sh against Debian's
# kernel packages (cached); the commands find the scripts beside their binary
# (bench/kernel/oracle from build/, share/zpoolbench/oracle when installed:
# `make install`).  `make oracle-qemu` fetches and builds everything ahead
# (ORACLE_KERNELS="6.1 6.12 6.12-arm64-16k" by default).

ORACLE_KERNELS ?=

.PHONY: oracle-qemu
oracle-qemu:
	@bench/kernel/oracle/qemu-oracle.sh prepare $(ORACLE_KERNELS)
