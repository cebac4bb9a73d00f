#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --unit 16k with zsmalloc:mp=4, whose multi-page classes are for 64 KiB units: refused
. "$CLI/common.sh"
need_cmd "run"
page > c.pages; page >> c.pages; page >> c.pages; page >> c.pages
sum=$(sha256sum c.pages | cut -d' ' -f1)
echo '{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 16384, "pages": 1, "sha256": "'"$sum"'"}' > c.json
exec "$ZPB" run --corpus c.pages --unit 16k --alloc zsmalloc:mp=4 --codec lz4 --out out
