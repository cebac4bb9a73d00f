#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a valid --alloc list of 269 characters is accepted (it was refused as "an
# expanded spec is too long": the grid limit applied to the whole list; issue 12)
. "$CLI/common.sh"
need_cmd run
page > c.pages
list=zbud:lru=0,z3fold,z3fold:kernel=6.1,z3fold:compaction=none,z3fold:compaction=extra,z3fold:compaction=gated,gap=2,zsmalloc:chain=11,zsmalloc:chain=12,zsmalloc:chain=13,zsmalloc:chain=5,zsmalloc:chain=6,zsmalloc:chain=7,zsmalloc:kernel=6.1,zsmalloc:fullness=legacy,malloc
[ ${#list} -eq 269 ] || { echo "the list is ${#list} characters"; exit 1; }
exec "$ZPB" run --corpus c.pages --alloc "$list" --codec lz4 --workload fill --ccache off --no-plots --quiet --out out
