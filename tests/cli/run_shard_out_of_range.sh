#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run --shard I/N with I not below N
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --shard 3/3 --out out
