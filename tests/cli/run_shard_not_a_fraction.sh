#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run --shard without the /N
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" sweep --corpus c.pages --alloc zbud --shard 1 --out out
