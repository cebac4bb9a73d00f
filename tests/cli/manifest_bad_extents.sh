#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# address extents that do not cover the pages
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
page >> c.pages
sha=$(sha256sum c.pages | cut -d" " -f1)
cat > c.json <<J
{"format": "zpoolbench-corpus", "format_version": 1, "page_size": 4096, "pages": 2,
 "sha256": "$sha", "address_extents": [[0, 4096, 1]]}
J
exec "$ZPB" corpus info c.pages
