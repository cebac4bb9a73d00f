#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# one setting spelled two ways (lru=1 is zbud's default): two rows for one
# setting; refused, as codecs are (hostile pass, issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud,zbud:lru=1 --codec lz4 --out out
