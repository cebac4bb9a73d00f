#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a front-end key given twice is refused, as in allocator specs (issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --frontend zswap:ram=4M,ram=8M --out out
