#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zpoolbench report DIR...: one folder regenerates itself exactly from its
# results.json; folders of other corpora merge into one with one ideal row
# per corpus and codec and every folder's provenance; the same setting twice
# pools its repeats; shards given twice or corpora named alike are refused
# (exit 2), a missing shard is named; a sweep's bound is kept (exit 1).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-report.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the JSON"; exit 77; }

zstd -qdc corpora/default.pages.zst | head -c $((4096 * 400)) > "$d/c1.pages"
zstd -qdc corpora/default.pages.zst | tail -c $((4096 * 400)) > "$d/c2.pages"
run() { # OUT CORPUS [options]
	out=$1 corpus=$2
	shift 2
	"$ZPB" run --corpus "$corpus" --alloc zbud,zsmalloc --codec lz4,zstd:1 --repeat 2 \
		--ccache "$d/cc" --no-plots --quiet --out "$d/$out" "$@" || fail "run $out"
}
run r1 "$d/c1.pages"
run r2 "$d/c2.pages"
data() { grep -v '^#' "$1"; }

# one folder: the same rows, every figure recomputed exactly from the histograms
"$ZPB" report "$d/r1" --out "$d/again" --no-plots --quiet || fail "report of one folder"
data "$d/r1/results.csv" > "$d/a.csv"
data "$d/again/results.csv" > "$d/b.csv"
cmp -s "$d/a.csv" "$d/b.csv" || fail "regenerated results.csv differs: $(diff "$d/a.csv" "$d/b.csv" | head -n 4)"
cmp -s "$d/r1/churn.csv" "$d/again/churn.csv" || fail "churn.csv differs"
cmp -s "$d/r1/sizes.csv" "$d/again/sizes.csv" || fail "sizes.csv differs"
cmp -s "$d/r1/bounds.csv" "$d/again/bounds.csv" || fail "bounds.csv differs"

# two corpora: one folder, one ideal row per corpus and codec, both provenances
"$ZPB" report "$d/r1" "$d/r2" --out "$d/both" > "$d/both.out" || fail "report of two corpora"
grep -q "^results: $d/both (2 folders merged)$" "$d/both.out" || fail "summary: $(tail -n 1 "$d/both.out")"
python3 - "$d" <<'PY' || fail "two corpora"
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(l for l in open(d + "/both/results.csv") if not l.startswith("#")))
assert len(rows) == 2 * 2 * 3 * 3, len(rows)
ideal = [r for r in rows if r["allocator"] == "ideal"]
assert len(ideal) == 2 * 2 * 3 and len({(r["corpus"], r["codec"], r["workload"]) for r in ideal}) == 12
j = json.load(open(d + "/both/results.json"))
assert [s["source"] for s in j["sources"]] == [d + "/r1/results.json", d + "/r2/results.json"], j["sources"]
assert {c["name"] for c in j["provenance"]["corpora"]} == {"c1", "c2"}
# the Pareto sets are per corpus and codec: each pair has at least one point in its set
for c in ("c1", "c2"):
    for k in ("lz4:1", "zstd:1"):
        assert any(r["pareto"] == "1" for r in rows if r["corpus"] == c and r["codec"] == k), (c, k)
PY
grep -q "^Merged from 2 results folders" "$d/both/report.md" || fail "report.md lists no sources"
if command -v gnuplot > /dev/null; then
	for f in tradeoff sizes churn latency; do [ -s "$d/both/$f.png" ] || fail "no $f.png"; done
fi

# the same run twice: its repeats pooled (2 + 2), the ideal rows once, and a note
"$ZPB" report "$d/r1" "$d/again" --out "$d/twice" --no-plots --quiet 2> "$d/twice.err" || fail "twice"
grep -q "18 rows are settings (or the ideal bound) already merged from another folder: their repeats are pooled" \
	"$d/twice.err" || fail "no pooling note: $(cat "$d/twice.err")"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert len(j["rows"]) == 18 and {len(r["repeats"]) for r in j["rows"]} == {4}, {len(r["repeats"]) for r in j["rows"]}' \
	"$d/twice/results.json" || fail "pooled repeats"

# shards: one given twice is refused, a missing one is named
for i in 0 1 2; do
	"$ZPB" sweep --corpus "$d/c1.pages" --alloc 'zsmalloc:chain={4,8}' --codec lz4 --ccache "$d/cc" \
		--no-plots --quiet --shard $i/3 --out "$d/s$i" || fail "shard $i"
done
"$ZPB" report "$d/s0" "$d/s1" "$d/s1" --out "$d/dup" 2> "$d/dup.err"
[ $? -eq 2 ] || fail "a shard twice: exit status not 2"
grep -q "^zpoolbench: report: shard 1 of 3 of plan [0-9a-f]* is given twice ($d/s1/results.json and $d/s1/results.json)$" \
	"$d/dup.err" || fail "a shard twice: $(cat "$d/dup.err")"
[ ! -e "$d/dup" ] || fail "a refused merge left a folder"
"$ZPB" report "$d/s0" "$d/s2" --out "$d/gap" --no-plots --quiet 2> "$d/gap.err" || fail "a missing shard"
grep -q "shard 1 of 3 of plan .* is missing" "$d/gap.err" || fail "missing shard: $(cat "$d/gap.err")"
grep -q "shard 1 of 3 of plan .* is missing" "$d/gap/report.md" || fail "report.md: no missing shard"

# two corpora of one name: refused
mkdir "$d/other"
head -c $((4096 * 300)) "$d/c2.pages" > "$d/other/c1.pages"
run r3 "$d/other/c1.pages"
"$ZPB" report "$d/r1" "$d/r3" --out "$d/clash" 2> "$d/clash.err"
[ $? -eq 2 ] || fail "two corpora named c1: exit status not 2"
grep -q "is another corpus than the 'c1'" "$d/clash.err" || fail "$(cat "$d/clash.err")"

# a results.csv cannot be merged; table output needs --out; json goes to stdout
"$ZPB" report "$d/r1/results.csv" --out "$d/x" 2> "$d/csv.err"
[ $? -eq 2 ] && grep -q "a results.csv holds medians only" "$d/csv.err" || fail "csv input: $(cat "$d/csv.err")"
"$ZPB" report "$d/r1" 2> "$d/noout.err"
[ $? -eq 2 ] || fail "table without --out: not 2"
"$ZPB" report "$d/r1" "$d/r2" --format json > "$d/stdout.json" || fail "--format json"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["sources"]) == 2' "$d/stdout.json" ||
	fail "--format json content"

# a sweep's bound that no setting meets: the merge is written, exit 1
for i in 0 1; do
	"$ZPB" sweep --corpus "$d/c1.pages" --alloc 'zsmalloc:chain={4,8}' --codec lz4 --ccache "$d/cc" \
		--no-plots --quiet --max-ns-p99 1 --shard $i/2 --out "$d/b$i" 2> /dev/null
	[ $? -eq 1 ] || [ $i -eq 0 ] || fail "bounded shard $i: exit status not 1"
done
"$ZPB" report "$d/b0" "$d/b1" --out "$d/bound" --no-plots --quiet 2> "$d/bound.err"
[ $? -eq 1 ] || fail "report of a bounded sweep: exit status not 1"
grep -q "^zpoolbench: report: c1, lz4:1: no setting has store and load p99 within --max-ns-p99 1 ns$" "$d/bound.err" ||
	fail "bound message: $(cat "$d/bound.err")"
[ -s "$d/bound/sweep.csv" ] || fail "the bounded merge wrote no sweep.csv"
echo "report ok"
