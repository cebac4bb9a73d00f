#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# report --out DIR --force, DIR being the folder whose results.json it
# reads: the input was replaced (exit 0); refused before any work (hostile
# pass, issue 12)
. "$CLI/common.sh"
need_cmd report
page > c.pages
"$ZPB" run --corpus c.pages --alloc zbud --codec lz4 --workload fill --no-plots --quiet \
	--out res > /dev/null 2>&1 || exit 99
exec "$ZPB" report res/results.json --out res --force --no-plots
