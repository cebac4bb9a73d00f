#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a small .zst that expands far beyond its manifest page count: refused after that many pages, not expanded (issue 12)
. "$CLI/common.sh"
need_cmd "corpus info"
head -c 1073741824 /dev/zero | zstd -q -19 -c > c.pages.zst
printf "{\"format\": \"zpoolbench-corpus\", \"format_version\": 1, \"page_size\": 4096, \"pages\": 2, \"sha256\": \"%064d\"}\n" 0 > c.json
exec "$ZPB" corpus info c.pages.zst
