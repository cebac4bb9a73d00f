#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a 16 KiB trace for the 4 KiB 6.12 kernel
. "$CLI/common.sh"
need_cmd "oracle qemu"
printf '# zpoolbench-trace v1\n# page_size 16384\na 1 5000\n' > t.trace
"$ZPB" oracle qemu --trace t.trace --alloc zsmalloc --kernel 6.12
