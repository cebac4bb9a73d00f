#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A sweep split into 3 shards (run --shard I/N), the shards run by GNU parallel
# (really: parallel -j2, each shard its own zpoolbench process), merged with
# `zpoolbench report`: the merged folder has the rows, densities, Pareto set,
# baseline and recommendation of the same sweep run whole.  Throughput is
# measured, so for the comparison of what derives from it the test sets
# ZPB_TEST_MODEL_CLOCK (latencies from a cost model: equal in every run, see
# driver/frontend.h); a second round with the real clock checks the densities
# and the merge of real measurements.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-shpar.XXXXXX)
trap 'rm -rf "$d"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the CSV"; exit 77; }
if ! command -v parallel > /dev/null; then
	why=$(sh scripts/deps.sh parallel 2>&1 | tail -n 1)
	command -v parallel > /dev/null || { echo "GNU parallel cannot be installed: $why"; exit 77; }
fi
# parallel writes into $HOME/.parallel: a private one; --will-cite: no notice
export HOME="$d/home" PARALLEL_HOME="$d/home/.parallel"
mkdir -p "$PARALLEL_HOME"
N=3

zstd -qdc corpora/default.pages.zst | head -c $((4096 * 1200)) > "$d/c.pages"
sweep() {
	"$ZPB" sweep --corpus "$d/c.pages" --alloc 'zsmalloc:chain={2,4,8,16},zbud,z3fold' \
		--codec lz4,zstd:3 --repeat 2 --ccache "$d/cc" --no-plots --quiet "$@"
}

round() { # NAME: the whole sweep, the shards through parallel, the merge
	sweep --out "$d/$1-whole" || fail "$1: the whole sweep failed"
	parallel --will-cite --halt now,fail=1 -j2 \
		"$ZPB" sweep --corpus "$d/c.pages" --alloc "'zsmalloc:chain={2,4,8,16},zbud,z3fold'" \
		--codec lz4,zstd:3 --repeat 2 --ccache "$d/cc" --no-plots --quiet \
		--shard {}/$N --out "$d/$1-shard-{}" ::: $(seq 0 $((N - 1))) ||
		fail "$1: parallel exited $?"
	for i in $(seq 0 $((N - 1))); do
		[ -s "$d/$1-shard-$i/results.json" ] || fail "$1: shard $i wrote no results"
	done
	"$ZPB" report "$d"/$1-shard-* --out "$d/$1-merged" > "$d/$1-report.out" 2> "$d/$1-report.err" ||
		fail "$1: report exited $?: $(cat "$d/$1-report.err")"
}

ZPB_TEST_MODEL_CLOCK=1 round model
python3 - "$d" "$N" <<'PY' || fail "the merge of the shards is not the whole sweep"
import csv, json, sys
d, n = sys.argv[1], int(sys.argv[2])
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
whole, merged = rows(d + "/model-whole/results.csv"), rows(d + "/model-merged/results.csv")
key = lambda r: (r["corpus"], r["codec"], r["allocator"], r["workload"])
assert [key(r) for r in whole] == [key(r) for r in merged], "rows or their order differ"
for a, b in zip(whole, merged):
    for k in ("density", "pool_pages", "metadata_bytes", "tput_mops", "pareto", "tradeoff_density",
              "store_ns_p50", "store_ns_p99", "load_ns_p99", "store_mops", "load_mops"):
        assert a[k] == b[k], (key(a), k, a[k], b[k])
assert sum(r["allocator"] == "ideal" for r in merged) == 2 * 3, "one ideal row per codec and workload"
sw, sm = rows(d + "/model-whole/sweep.csv"), rows(d + "/model-merged/sweep.csv")
assert len(sw) == len(sm) == 12
for a, b in zip(sw, sm):
    for k in ("allocator", "density", "tput_mops", "pareto", "baseline", "recommended",
              "space_gain_pct", "tput_loss_pct", "feasible"):
        assert a[k] == b[k], (a["allocator"], k, a[k], b[k])
rec = [r["allocator"] for r in sm if r["recommended"] == "1"]
par = [r["allocator"] for r in sm if r["pareto"] == "1"]
assert len(rec) == 2 and par, (rec, par)   # one recommendation per codec
print("recommended:", rec, "Pareto:", par)
# the shards are marked as such, and the merge keeps each one's provenance
idx = sorted(json.load(open("%s/model-shard-%d/results.json" % (d, i)))["provenance"]["shard"]["index"]
             for i in range(n))
assert idx == list(range(n)), idx
j = json.load(open(d + "/model-merged/results.json"))
assert len(j["sources"]) == n and {s["shard"]["count"] for s in j["sources"]} == {n}
assert len({s["plan"] for s in j["sources"]}) == 1
assert all("host" in s and "load_start" in s for s in j["sources"])
PY
grep -q "recommended for balanced:" "$d/model-report.out" || fail "no recommendation: $(cat "$d/model-report.out")"
[ "$(grep -c "^Merged from $N results folders" "$d/model-merged/report.md")" = 1 ] || fail "report.md: sources"
"$ZPB" compare "$d/model-whole" "$d/model-merged" --max-density-drop 0 --max-tput-drop 0 \
	> "$d/cmp.out" 2>&1 || fail "compare whole vs merged: $(tail -n 5 "$d/cmp.out")"
grep -q "density  *56 compared: 56 same" "$d/cmp.out" || fail "compare: $(tail -n 8 "$d/cmp.out")"

# the real clock: the densities and pool pages of the merge are those of the whole run
round real
python3 - "$d" <<'PY' || fail "real clock: the merge differs from the whole sweep"
import csv, sys
d = sys.argv[1]
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
whole, merged = rows(d + "/real-whole/results.csv"), rows(d + "/real-merged/results.csv")
assert len(whole) == len(merged) == 42
for a, b in zip(whole, merged):
    for k in ("corpus", "codec", "allocator", "workload", "density", "pool_pages", "stored"):
        assert a[k] == b[k], (a["allocator"], k, a[k], b[k])
    assert b["tput_mops"] != "" and b["store_ns_p99" if b["workload"] != "load" else "load_ns_p99"] != ""
PY
"$ZPB" compare "$d/real-whole" "$d/real-merged" --max-density-drop 0 > "$d/cmp2.out" 2>&1 ||
	fail "compare, real clock: $(tail -n 5 "$d/cmp2.out")"
echo "GNU parallel: $N shards merged = the whole sweep"
