#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --unit 16k with an allocator that cannot hold an object of a unit (zblock has no multi-page design): refused before any work
. "$CLI/common.sh"
need_cmd "run"
page > c.pages; page >> c.pages; page >> c.pages; page >> c.pages
sum=$(sha256sum c.pages | cut -d' ' -f1)
echo '{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 16384, "pages": 1, "sha256": "'"$sum"'"}' > c.json
exec "$ZPB" run --corpus c.pages --unit 16k --alloc ideal,zblock --codec lz4 --out out
