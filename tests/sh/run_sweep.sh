#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zpoolbench sweep on a tiny corpus: the grid is expanded, every setting gets
# a row against the baseline, one is recommended for the goal, and a latency
# bound nobody meets is reported as such.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-sweep.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/c.pages"
"$ZPB" sweep --corpus "$d/c.pages" --alloc 'zbud:lru={0..1}' --codec lz4 --prefer density \
	--out "$d/s" --no-plots > "$d/out" 2> "$d/err" || { cat "$d/err"; fail "sweep failed"; }
[ "$(grep -vc '^#' "$d/s/sweep.csv")" -eq 3 ] || fail "sweep.csv: $(cat "$d/s/sweep.csv")"
grep -q '^c,lz4:1,zbud:lru=0,' "$d/s/sweep.csv" || fail "no row for zbud:lru=0"
grep -q '^c,lz4:1,zbud:lru=1,' "$d/s/sweep.csv" || fail "no row for zbud:lru=1"
[ "$(awk -F, '!/^#/ && NR > 1 && $NF == 1' "$d/s/sweep.csv" | wc -l)" -eq 1 ] || fail "not exactly one recommendation"
# the baseline (the first setting) is 0 % / 0 % against itself
awk -F, '$3 == "zbud:lru=0" && !($10 == "0.00" && $11 == "0.00" && $(NF-1) == 1) {exit 1}' "$d/s/sweep.csv" \
	|| fail "baseline row: $(grep lru=0 "$d/s/sweep.csv")"
grep -q "recommended for density: zbud:lru=" "$d/out" || fail "no recommendation: $(cat "$d/out")"
grep -q "## Sweep" "$d/s/report.md" || fail "report.md has no sweep section"
grep -q '^c,lz4:1,ideal,fill,' "$d/s/results.csv" || fail "ideal not added to the sweep"

"$ZPB" sweep --corpus "$d/c.pages" --alloc 'zbud:lru={0,1}' --codec lz4 --max-ns-p99 1 \
	--out "$d/s2" --no-plots > "$d/out2" || fail "bounded sweep failed"
grep -q "no setting has store and load p99 within 1 ns" "$d/out2" || fail "bound: $(cat "$d/out2")"
echo "sweep ok"
