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
python3 - "$d/s/sweep.csv" <<'PY' || fail "sweep.csv: $(cat "$d/s/sweep.csv")"
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
assert sum(r["recommended"] == "1" for r in rows) == 1, "not exactly one recommendation"
# the baseline (the first setting) is 0 % / 0 % against itself
b = [r for r in rows if r["allocator"] == "zbud:lru=0"][0]
assert b["space_gain_pct"] == "0.00" and b["tput_loss_pct"] == "0.00" and b["baseline"] == "1", b
assert {r["point_label"] for r in rows} == {"lru=0", "lru=1"}, rows
PY
grep -q "recommended for density: zbud:lru=" "$d/out" || fail "no recommendation: $(cat "$d/out")"
grep -q "## Sweep" "$d/s/report.md" || fail "report.md has no sweep section"
grep -q '^c,lz4:1,ideal,fill,' "$d/s/results.csv" || fail "ideal not added to the sweep"

# a bound no setting meets: the results all the same, one line per corpus and codec, exit 1
"$ZPB" sweep --corpus "$d/c.pages" --alloc 'zbud:lru={0,1}' --codec lz4 --max-ns-p99 1 \
	--out "$d/s2" --no-plots > "$d/out2" 2> "$d/err2"
[ $? -eq 1 ] || fail "bounded sweep: exit status $?, not 1"
[ -s "$d/s2/sweep.csv" ] || fail "bounded sweep: no results"
[ "$(cat "$d/err2")" = "zpoolbench: sweep: c, lz4:1: no setting has store and load p99 within --max-ns-p99 1 ns" ] ||
	fail "bounded sweep stderr: $(cat "$d/err2")"
grep -q "no setting has store and load p99 within 1 ns" "$d/out2" || fail "bound: $(cat "$d/out2")"
echo "sweep ok"
