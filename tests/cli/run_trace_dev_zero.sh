#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run given /dev/zero (read only) as its trace: refused at once (its sha256
# was taken without end, memory flat, never finishing; hostile pass, issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec timeout 20 "$ZPB" run --corpus c.pages --alloc zbud --codec lz4 --trace /dev/zero --out out
