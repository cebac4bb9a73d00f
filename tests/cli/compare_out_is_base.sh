#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# compare --out BASE --force: the comparison replaced the results folder it
# read (results.json gone, exit 0); refused before any work (hostile pass,
# issue 12)
. "$CLI/common.sh"
need_cmd compare
page > c.pages
"$ZPB" run --corpus c.pages --alloc zbud --codec lz4 --workload fill --no-plots --quiet \
	--out res > /dev/null 2>&1 || exit 99
exec "$ZPB" compare res res --out res --force --no-plots
