#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --unit 16k on a corpus of 4 KiB pages: a unit is four address-contiguous pages, not any four
. "$CLI/common.sh"
need_cmd "run"
page > c.pages
exec "$ZPB" run --corpus c.pages --unit 16k --alloc zsmalloc:mp=2 --codec lz4 --out out
