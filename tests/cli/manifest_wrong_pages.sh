#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest whose page count does not match the file
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
sha=$(sha256sum c.pages | cut -d" " -f1)
cat > c.json <<J
{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 4096, "pages": 2,
 "sha256": "$sha"}
J
exec "$ZPB" corpus info c.pages
