#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A run with more settings than the first allocation of the row table holds
# (21 settings + ideal, three workloads: 66 rows > 64): the rows grow while a
# pool's rows are being filled.  This was a heap use-after-free in run.c
# (issue 12, defect 3) that only AddressSanitizer saw: `make asan` runs this
# test in the ASan build.  Here: the run succeeds and every row of every
# setting holds its own figures.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-many.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c $((4096 * 24)) > "$d/t.pages"
"$ZPB" run --corpus "$d/t.pages" --codec lz4 --ccache off --no-plots --out "$d/r" \
	--alloc zbud,zbud:lru=0,z3fold,z3fold:kernel=6.1,malloc --alloc 'zsmalloc:chain={1..16}' \
	--workload fill,load,churn --churn-rounds 1 > "$d/out" 2> "$d/err" ||
	{ cat "$d/err"; fail "run with 22 settings failed"; }
rows=$(grep -v '^#' "$d/r/results.csv" | tail -n +2 | wc -l)
[ "$rows" -eq 66 ] || fail "$rows rows, expected 22 settings x 3 workloads = 66"
# every row stored pages (a row written through a stale pointer would read 0)
bad=$(grep -v '^#' "$d/r/results.csv" | tail -n +2 | awk -F, '$7 == 0 { print $3 "/" $4 }' | head -3)
[ -z "$bad" ] || fail "rows without stored pages: $bad"
for c in 1 8 16; do
	grep -q ",zsmalloc:chain=$c,\(fill\|load\|churn\)," "$d/r/results.csv" ||
	grep -q "zsmalloc:.*chain=$c" "$d/r/results.csv" || fail "no rows for chain=$c"
done
echo "22 settings x 3 workloads ok"
