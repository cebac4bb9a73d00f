#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu612_zswap_arm64.sh - zswap's rules in Linux 6.12 on arm64 with 16 KiB pages,
# booted under qemu, each checked on pages pushed out one at a time over zbud
# and over zsmalloc: zero pages never reach zswap, other same-filled pages are
# stored, no header (zbud's limit is PAGE - 2 chunks exactly), output over a
# page fails in the compressor; decisions and pool pages after every op must
# be the rules' (zpb-feprobe expect) and the front end zswap:kernel=6.12's,
# and the 6.1 front end's must not.  Skips (77) with the reason when qemu
# cannot run or a package cannot be fetched.
. bench/kernel/oracle/testlib.sh
qt612_zswap 6.12-arm64-16k
