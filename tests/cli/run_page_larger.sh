#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --page 16K on a corpus of 4 KiB pages: 16 KiB pages cannot be made up of any
# four 4 KiB pages (corpus regroup builds them from a snapshot)
. "$CLI/common.sh"
need_cmd "run"
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --page 4K,16K --codec lz4 --out out
