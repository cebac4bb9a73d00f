#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The figures: every plots/*.gp regenerates its PNG and SVG from the fixture
# CSV files in tests/data/plots alone (labels and units present in the SVG),
# and `zpoolbench run` draws them and embeds them in report.md.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-plots.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v gnuplot > /dev/null || { echo "gnuplot is not installed (scripts/deps.sh plot)"; exit 77; }

cp tests/data/plots/*.csv "$d/"
for fig in tradeoff sizes churn latency latency_cdf sweep; do
	gnuplot -e "dir='$d'" "plots/$fig.gp" > "$d/$fig.log" 2>&1 || { cat "$d/$fig.log"; fail "$fig.gp failed"; }
	[ "$(head -c 8 "$d/$fig.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$fig.png is no PNG"
	[ "$(wc -c < "$d/$fig.png")" -gt 20000 ] || fail "$fig.png is suspiciously small"
	grep -q '<svg' "$d/$fig.svg" || fail "$fig.svg is no SVG"
done
has() { grep -q -- "$2" "$d/$1.svg" || fail "$1.svg lacks '$2'"; }
has tradeoff "density (bytes / (pool + metadata)"
has tradeoff "throughput (Mop/s"
has tradeoff "zsmalloc:chain=4"
has tradeoff "Pareto front"
has tradeoff "default, zstd:3"
has sizes "compressed size (bytes)"
has sizes "zram huge threshold"
has sizes "zsmalloc:chain=4"
has churn "pool pages (4 KiB)"
has churn "zbud"
has latency "latency (ns, log scale)"
has latency "p99.9"
has latency "default, lz4:1: store"
has latency "default, zstd:3: load"
has latency_cdf "fraction of operations at or below"
has latency_cdf "default, lz4:1: load"
has latency_cdf "zsmalloc"
has sweep "space gained vs baseline"
has sweep "2016 claim"
has sweep "z3fold:compaction=gated;gap=2"

# the run command draws its figures and report.md embeds them
zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/c.pages"
head -c 8192 /dev/zero >> "$d/c.pages"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --out "$d/r" --quiet || fail "run failed"
for fig in tradeoff sizes churn latency latency_cdf; do
	[ -s "$d/r/$fig.png" ] && [ -s "$d/r/$fig.svg" ] || fail "run drew no $fig"
	grep -q "($fig.png)" "$d/r/report.md" || fail "report.md does not embed $fig.png"
done
[ ! -e "$d/r/gnuplot.log" ] || fail "gnuplot.log left behind"
grep -q "densest after fill:" "$d/r/report.md" || fail "report.md names no winner"
grep -q "Pareto set" "$d/r/report.md" || fail "report.md has no Pareto set"
# identical churn curves are named as such under the figure
"$ZPB" run --corpus "$d/c.pages" --alloc zbud,zbud:lru=0 --codec lz4 --out "$d/ic" --quiet || fail "run failed"
grep -q 'Identical curves (drawn on top of each other): c, lz4:1: `zbud` = `zbud:lru=0`' "$d/ic/report.md" \
	|| fail "identical churn curves not noted"

# a sweep that is not about z3fold's compaction has no 2016 box; settings are in the key
"$ZPB" sweep --corpus "$d/c.pages" --alloc 'zsmalloc:chain={2,4}' --codec lz4 --out "$d/zs" --quiet \
	|| fail "zsmalloc sweep failed"
grep -q "zsmalloc:chain=4" "$d/zs/sweep.svg" || fail "sweep.svg does not name the settings"
grep -q "2016 claim" "$d/zs/sweep.svg" && fail "the z3fold 2016 box on a zsmalloc sweep"
echo "figures ok"
