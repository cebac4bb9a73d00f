# SPDX-License-Identifier: GPL-2.0-only
# oracle.mk - the qemu oracle (Linux 6.1 under qemu).  Its kernel module and
# guest program are built at run time by bench/kernel/oracle/qemu-oracle.sh against
# Debian's kernel packages (cached); the command finds the scripts beside
# its binary (bench/kernel/oracle from build/, share/zpoolbench/oracle when
# installed: `make install`).  `make oracle-qemu` fetches and builds
# everything ahead.

.PHONY: oracle-qemu
oracle-qemu:
	@bench/kernel/oracle/qemu-oracle.sh prepare
