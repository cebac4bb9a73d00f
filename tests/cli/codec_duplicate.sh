#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# one codec named twice (lz4 is lz4:1): two rows for one key; refused (issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --codec lz4,lz4:1 --out out
