#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a .zst corpus cut short
. "$CLI/common.sh"
need_cmd "corpus info"
command -v zstd > /dev/null || skip "needs the zstd program"
{ page; page; page; } | zstd -q -c > full.zst
head -c 20 full.zst > c.pages.zst
exec "$ZPB" corpus info c.pages.zst
