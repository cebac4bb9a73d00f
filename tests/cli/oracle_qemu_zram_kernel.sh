#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# the zram oracle under qemu boots 6.12 kernels only
. "$CLI/common.sh"
need_cmd "oracle qemu-zram"
page > c.pages
"$ZPB" oracle qemu-zram --corpus c.pages --kernel 6.1 --trace out.trace --trajectory out.traj
