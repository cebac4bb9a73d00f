#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run_16k: 16 KiB pages end to end.  A 16 KiB corpus with addresses (a
# sample of the shipped 16 KiB corpus) cut into 4 KiB pages and grouped
# again gives the same bytes; every allocator (zblock included) fills, loads
# and churns 16 KiB pages through zram and zswap, every load checked against
# its page; a run at 4K,16K gives rows at both page sizes, the page_size
# column, report.md's comparison and figures per page size, all of which
# `report` reads back unchanged; ./run.sh --page 16k and --page both work
# out of the box.
set -u
: "${ZPB:?}"
cd "$(dirname "$0")/../.."
d=$(mktemp -d /tmp/zpb-run16k.XXXXXX)
trap 'rm -rf "$d"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

# a small 16 KiB corpus that knows where its pages were
"$ZPB" corpus sample --from corpora/default16k.pages.zst --pages 120 --seed 5 --out "$d/s16.pages" \
	2>/dev/null || fail "sample of the 16 KiB corpus"
# its pages come from seven processes: their address spaces stay apart (a page of
# python3 and one of gcc at the same address are not neighbours)
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); e=m["address_extents"]; assert m["page_size"] == 16384 and sum(x[2] for x in e) == 120 and {x[0] for x in e} == set(range(7)), {x[0] for x in e}' \
	"$d/s16.json" || fail "the sample's manifest"
# cut into 4 KiB pages and grouped again: the same bytes, in the same order
"$ZPB" corpus regroup --from "$d/s16.pages" --page 4K --out "$d/s4.pages" 2>/dev/null || fail "split"
"$ZPB" corpus regroup --from "$d/s4.pages" --page 16K --out "$d/back.pages" 2> "$d/err" || fail "group: $(cat "$d/err")"
grep -q "120 pages of 16384 bytes from 480 of the 480 pages of s4 (0 in 0 incomplete groups left out, 0 seen before)" "$d/err" \
	|| fail "regroup summary: $(cat "$d/err")"
cmp -s "$d/s16.pages" "$d/back.pages" || fail "split and grouped again: other bytes"
cmp -s "$d/s16.pages" "$d/s4.pages" || fail "split: other bytes"

# every allocator at 16 KiB, through zram and zswap; loads are checked (a mismatch fails the run)
allocs="zbud,zbud:kernel=6.12,z3fold,z3fold:kernel=6.1,zsmalloc,zsmalloc:kernel=6.1,zblock,zblock:table=pow2,malloc"
for fe in zram zswap; do
	"$ZPB" run --corpus "$d/s16.pages" --alloc "$allocs" --codec lz4,zstd:3 --frontend $fe \
		--objects 400 --churn-rounds 3 --out "$d/r-$fe" --quiet --no-plots --ccache "$d/cc" \
		2> "$d/err" || fail "run at 16 KiB through $fe: $(cat "$d/err")"
	python3 - "$d/r-$fe/results.csv" <<'PY' || fail "results of the 16 KiB run through $fe"
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
head, rows = rows[0], rows[1:]
assert head[-1] == "page_size" and "label" in head and "frontend" in head, head[-3:]
assert head[:4] == ["corpus", "codec", "allocator", "workload"]
assert len(rows) == 2 * 10 * 3, len(rows)
allocs = {r[2] for r in rows}
for a in allocs:
    assert a.endswith("page=16384"), a
for n in ("zbud", "z3fold", "zsmalloc", "zblock", "malloc", "ideal"):
    assert any(a.startswith(n) for a in allocs), n
c = {k: i for i, k in enumerate(head)}
for r in rows:
    assert r[-1] == "16384", r[-1]
    assert int(r[c["stored"]]) > 0 and int(r[c["pool_pages"]]) > 0, r[:4]
PY
done

# both page sizes on the same bytes; figures and the comparison in report.md
"$ZPB" run --corpus "$d/s16.pages" --page 4K,16K --alloc zsmalloc,zblock,zbud --codec zstd:3 \
	--objects 300 --out "$d/both" --quiet --ccache "$d/cc" 2> "$d/err" || fail "run --page 4K,16K: $(cat "$d/err")"
python3 - "$d/both/results.csv" <<'PY' || fail "results at both page sizes"
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))][1:]
by = {}
for r in rows:
    by.setdefault(r[-1], set()).add(r[2])
assert set(by) == {"4096", "16384"}, by.keys()
assert by["4096"] == {"zsmalloc", "zblock", "zbud", "ideal"}, by["4096"]
assert by["16384"] == {a + ":page=16384" for a in by["4096"]}, by["16384"]
# --objects counts 16 KiB pages: the 4 KiB view stores four times as many objects
head = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith("#"))][0]
c = {k: i for i, k in enumerate(head)}
for r in rows:
    if r[3] == "fill":
        n = int(r[c["stored"]]) + int(r[c["same_filled"]]) + int(r[c["rejected"]])
        assert n == (1200 if r[-1] == "4096" else 300), (r[2], n)
PY
grep -q "^## 4 KiB against 16 KiB pages" "$d/both/report.md" || fail "report.md does not compare the page sizes"
grep -q '^| `zsmalloc` | ' "$d/both/report.md" || fail "no zsmalloc line in the comparison"
grep -q '^density falls most: ' "$d/both/report.md" || fail "no verdict in the comparison"
if command -v gnuplot > /dev/null; then
	grep -q "16 KiB pages" "$d/both/sizes.svg" || fail "sizes.svg has no 16 KiB panel"
	grep -q "pool pages (16 KiB)" "$d/both/churn.svg" || fail "churn.svg has no 16 KiB panel"
	grep -q "zblock:page=16384" "$d/both/sizes.svg" || fail "sizes.svg lacks zblock's 16 KiB slots"
	grep -q "zblock:page=16384" "$d/both/churn.svg" || fail "churn.svg lacks zblock at 16 KiB"
	# each panel's key names only its own settings: the 4 KiB rows alone
	# name zbud as often as both page sizes do (a key of every label in
	# every panel names it twice as often)
	mkdir "$d/c4"
	awk -F, '/^#/ || !h++ || $NF == "4096"' "$d/both/churn.csv" > "$d/c4/churn.csv"
	gnuplot -e "dir='$d/c4'" plots/churn.gp > /dev/null 2>&1 || fail "churn.gp on the 4 KiB rows"
	n4=$(grep -o '>zbud<' "$d/c4/churn.svg" | wc -l)
	n=$(grep -o '>zbud<' "$d/both/churn.svg" | wc -l)
	[ "$n4" -gt 0 ] && [ "$n" -eq "$n4" ] || fail "churn.svg names zbud $n times, its 4 KiB panel $n4"
	[ "$(grep -o '>zbud:page=16384<' "$d/both/churn.svg" | wc -l)" -eq "$n4" ] || fail "churn.svg: zbud at 16 KiB not in one key"
fi

# read back and merged by `report`: the page sizes survive, every file the same
"$ZPB" report "$d/both" --out "$d/merged" > /dev/null 2> "$d/err" || fail "report: $(cat "$d/err")"
for f in results sizes bounds churn; do
	grep -v '^#' "$d/both/$f.csv" > "$d/a.csv"
	grep -v '^#' "$d/merged/$f.csv" > "$d/b.csv"
	cmp -s "$d/a.csv" "$d/b.csv" || fail "report changed $f.csv of a run at two page sizes"
done
grep -q "^## 4 KiB against 16 KiB pages" "$d/merged/report.md" || fail "the merged report does not compare the page sizes"

# ./run.sh: zblock in the matrix; --page 16k and --page both on the shipped corpus
export ZPB_RESULTS="$d/results" ZPB_CODECS=lz4 ZPB_OBJECTS=800 ZPB_RUN_ARGS="--no-plots --quiet --ccache $d/cc"
ZPB_ALLOCS="zsmalloc zblock" ./run.sh --page 16k > "$d/out" 2> "$d/err" || fail "run.sh --page 16k: $(cat "$d/err")"
out=$(sed -n 's/^results folder: //p' "$d/out")
grep -q '^default16k,lz4:1,zblock:page=16384,fill,200,' "$out/results.csv" || fail "run.sh --page 16k: no zblock row of 200 pages"
ZPB_ALLOCS="zsmalloc" ./run.sh --page both > "$d/out" 2> "$d/err" || fail "run.sh --page both: $(cat "$d/err")"
out=$(sed -n 's/^results folder: //p' "$d/out")
case "$out" in *default16k-4k+16k-*) ;; *) fail "run.sh --page both: folder $out" ;; esac
grep -q '^default16k,lz4:1,zsmalloc,fill,800,' "$out/results.csv" || fail "run.sh --page both: no 4 KiB row"
grep -q '^default16k,lz4:1,zsmalloc:page=16384,fill,200,' "$out/results.csv" || fail "run.sh --page both: no 16 KiB row"
./run.sh --page 8k > "$d/out" 2> "$d/err"
[ $? -eq 2 ] && grep -q "'8k' is not 4k, 16k or both" "$d/err" || fail "run.sh --page 8k: $(cat "$d/err")"
grep -q 'zblock zblock:table=pow2' run.sh || fail "zblock is not in run.sh's matrix"
echo "16 KiB runs ok"
