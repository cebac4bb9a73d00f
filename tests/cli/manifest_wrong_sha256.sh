#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest whose sha256 does not match the pages
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
cat > c.json <<J
{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 4096, "pages": 1,
 "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}
J
exec "$ZPB" corpus info c.pages
