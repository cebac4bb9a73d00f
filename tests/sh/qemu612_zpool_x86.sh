#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu612_zpool_x86.sh - zbud and zsmalloc of Linux 6.12 on x86-64 (4 KiB pages), booted
# under qemu, through the zpool API (the oracle module), replaying the
# recorded zram trace of real kernel compressed sizes (frees, compactions).
# The kernel must give the recorded trajectories (tests/data/qemu612/6.12), the
# ports zbud:kernel=6.12 and zsmalloc:kernel=6.12 the same pool pages after
# every operation, and zsmalloc chain=4 must not.  Skips (77) with the reason
# when qemu cannot run or a package cannot be fetched.
. bench/kernel/oracle/testlib.sh
qt612_zpool 6.12
