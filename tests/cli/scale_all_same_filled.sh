#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# scale on an all-zero corpus: no store rate to measure, one line and exit 1, not 0.00 Mop/s (issue 12)
. "$CLI/common.sh"
need_cmd scale
head -c 65536 /dev/zero > z.pages
exec "$ZPB" scale --corpus z.pages --alloc zbud --threads 1 --repeat 1 --ccache off
