#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus sample --out in.pages whose manifest in.json is the manifest of its
# --from in.pages.zst (it was replaced by the sample's)
. "$CLI/common.sh"
command -v zstd > /dev/null || skip "needs zstd"
{ page; page; page; } > raw
zstd -q -o in.pages.zst raw
printf '{"format_version": 1, "page_size": 4096, "pages": 3, "sha256": "%s"}\n' \
	"$(sha256sum raw | cut -d' ' -f1)" > in.json
exec "$ZPB" corpus sample --from in.pages.zst --pages 1 --seed 1 --out in.pages
