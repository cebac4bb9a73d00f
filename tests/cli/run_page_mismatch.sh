#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a spec that asks for 16 KiB pages on a corpus of 4 KiB pages: refused before any work
. "$CLI/common.sh"
need_cmd "run"
page > c.pages
page >> c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud,zsmalloc:page=16384 --codec lz4 --out out
