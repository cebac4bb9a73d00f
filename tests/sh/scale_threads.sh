#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Threads sharing one pool: `run --threads 2` stores, verifies and counts
# exactly what `--threads 1` does (fill, load and churn, every load checked
# against the original page; churn's choices do not depend on the split), and
# `zpoolbench scale` runs 1 and 2 threads side by side and checks the same.
# No timing is asserted.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-scale-thr.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to compare the results"; exit 77; }
corpus=corpora/default.pages.zst
[ -r "$corpus" ] || { echo "no $corpus"; exit 77; }

# every allocator this build knows, of the scaling table
allocs=""
for a in zbud z3fold:kernel=4.7 z3fold:kernel=6.1 zsmalloc malloc; do
	"$ZPB" list | grep -q "^${a%%:*} " && allocs="$allocs${allocs:+,}$a"
done
[ -n "$allocs" ] || fail "no allocator known"

for t in 1 2; do
	"$ZPB" run --corpus "$corpus" --alloc "$allocs" --codec lz4:1 --threads $t --ccache "$d/cc" \
		--churn-rounds 3 --no-plots --quiet --out "$d/t$t" 2> "$d/err$t" ||
		{ cat "$d/err$t"; fail "run with $t threads failed"; }
done
python3 - "$d/t1/results.csv" "$d/t2/results.csv" <<'PY' || fail "2 threads differ from 1"
import csv, sys
def rows(p):
    return {(r["allocator"], r["workload"]): r
            for r in csv.DictReader(l for l in open(p) if not l.startswith("#"))}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert a.keys() == b.keys() and len(a) >= 6, (sorted(a), sorted(b))
content = ["pages", "same_filled", "stored", "huge", "rejected", "rejected_poor",
           "rejected_limit", "rejected_alloc", "compressed_bytes", "stores", "loads", "frees"]
for k in a:
    assert a[k]["threads"] == "1" and b[k]["threads"] == "2", k
    for c in content:
        assert a[k][c] == b[k][c], (k, c, a[k][c], b[k][c])
    assert float(a[k]["stored"]) > 5000, (k, a[k]["stored"])
    # both threads ran (CPU time of the phase recorded) and every page was seen
    assert float(b[k]["cpu_ms"]) > 0, k
print("same content with 1 and 2 threads:", len(a), "rows")
PY

# the scale command: 1 and 2 threads interleaved, content checked inside
"$ZPB" scale --corpus "$corpus" --alloc "$allocs" --threads 1,2 --repeat 1 --ccache "$d/cc" \
	--out "$d/scale.csv" > "$d/scale.out" 2> "$d/scale.err" ||
	{ cat "$d/scale.err"; fail "scale failed"; }
n=$(echo "$allocs" | tr ',' '\n' | wc -l)
[ "$(tail -n +2 "$d/scale.csv" | grep -c .)" -eq $((2 * n)) ] || { cat "$d/scale.csv"; fail "scale.csv rows"; }
head -1 "$d/scale.csv" | grep -q '^allocator,threads,store_mops,' || fail "scale.csv header"
grep -q "speedup" "$d/scale.out" || fail "no table printed"
grep -q "^zbud  *2 " "$d/scale.out" || fail "no 2-thread row for zbud"

# --format json, and run's allocator list: a grid expanded, a duplicate once
"$ZPB" scale --corpus "$corpus" --alloc 'zbud:lru={0,1}' --alloc zbud:lru=1 --threads 1 --repeat 1 \
	--ccache "$d/cc" --format json > "$d/scale.json" 2> "$d/scale.err" ||
	{ cat "$d/scale.err"; fail "scale --format json failed"; }
python3 - "$d/scale.json" <<'PY' || fail "scale --format json content"
import json, sys
j = json.load(open(sys.argv[1]))
assert [(r["allocator"], r["threads"]) for r in j["rows"]] == [("zbud:lru=0", 1), ("zbud:lru=1", 1)], j["rows"]
assert j["repeat"] == 1 and j["rows"][0]["store_mops"] > 0, j
PY

# bad input: one line, exit 2
"$ZPB" scale --corpus "$corpus" --threads 0 > /dev/null 2> "$d/e" && fail "--threads 0 accepted"
[ "$(wc -l < "$d/e")" -eq 1 ] || fail "more than one error line"
"$ZPB" run --corpus "$corpus" --alloc zbud --threads 0 --out "$d/x" 2> /dev/null && fail "run --threads 0"
[ ! -e "$d/x" ] || fail "a results folder after bad input"
echo "ok"
