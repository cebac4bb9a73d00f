#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --threads 0
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --threads 0 --out out
