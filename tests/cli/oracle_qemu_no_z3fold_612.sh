#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# z3fold asked of Linux 6.12, which does not build it
. "$CLI/common.sh"
need_cmd "oracle qemu"
printf '# zpoolbench-trace v1\na 1 100\n' > t.trace
"$ZPB" oracle qemu --trace t.trace --alloc z3fold --kernel 6.12
