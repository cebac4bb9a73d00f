#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest whose page size is not one a kernel has
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
page >> c.pages
sha=$(sha256sum c.pages | cut -d" " -f1)
cat > c.json <<J
{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 8192, "pages": 1,
 "sha256": "$sha"}
J
exec "$ZPB" corpus info c.pages
