#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu612_zram_arm64.sh - the zsmalloc of Linux 6.12 on arm64 with 16 KiB pages, booted under
# qemu, through zram: the default corpus with churn (discards, rewrites,
# compactions).  The kernel must give the recorded size trace and trajectory
# (tests/data/qemu612/6.12-arm64-16k), the port zsmalloc:kernel=6.12 the same pool pages
# after every operation, and chain=4 must not (the check has teeth).
# Skips (77) with the reason when qemu cannot run or a package cannot be
# fetched (the port is still compared with the recorded trajectory).
. bench/kernel/oracle/testlib.sh
qt612_zram 6.12-arm64-16k 3000
