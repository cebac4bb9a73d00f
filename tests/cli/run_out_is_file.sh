#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --out naming a file is refused, the file kept
. "$CLI/common.sh"
page > c.pages
echo keep > results
exec "$ZPB" run --corpus c.pages --alloc zbud --out results --force
