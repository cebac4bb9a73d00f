#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a .zst corpus with a damaged block
. "$CLI/common.sh"
need_cmd "corpus info"
command -v zstd > /dev/null || skip "needs the zstd program"
{ page; page; page; } | zstd -q -c > full.zst
n=$(wc -c < full.zst)
{ head -c 12 full.zst; printf '\377\377\377\377\377\377'; tail -c $((n - 18)) full.zst; } > c.pages.zst
exec "$ZPB" corpus info c.pages.zst
