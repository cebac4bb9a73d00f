#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --out with a trailing slash writes the folder (issue 12: 'File exists', an empty folder left)
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --codec lz4 --workload fill --ccache off --no-plots --quiet --out res/x/
