#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a line longer than 4096 bytes: fails at once, memory bounded (issue 12)
. "$CLI/common.sh"
{ echo "# zpoolbench-trace v1"; head -c 100000 /dev/zero | tr "\\0" "9"; } > t.trace
exec "$ZPB" replay --trace t.trace --alloc zbud
