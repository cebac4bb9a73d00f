#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zpoolbench run on a tiny corpus made here: the results files and their
# schema (stable CSV columns, provenance header, JSON), one row per corpus x
# codec x allocator x workload with 'ideal' added, metrics recomputed from
# the raw counts, repeats and threads, the zswap writeback path, replay.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-runres.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to check the JSON"; exit 77; }

# 40 pages: a binary (compressible to varying degrees), text, zeros, random
zstd -qdc corpora/default.pages.zst | head -c 81920 > "$d/t.pages"
for i in 1 2 3 4 5 6 7 8 9 10; do cat tests/sh/run_cli.sh; done | head -c 40960 >> "$d/t.pages"
head -c 24576 /dev/zero >> "$d/t.pages"
head -c 16384 /dev/urandom >> "$d/t.pages"
size=$(wc -c < "$d/t.pages")
truncate -s $((size / 4096 * 4096)) "$d/t.pages"
pages=$((size / 4096))

"$ZPB" run --corpus "$d/t.pages" --alloc zbud,zbud:lru=0 --codec lz4,zstd:3 --out "$d/r" \
	--no-plots > "$d/out" 2> "$d/err" || { cat "$d/err"; fail "run failed"; }
for f in results.csv results.json sizes.csv bounds.csv churn.csv report.md; do
	[ -s "$d/r/$f" ] || fail "no $f"
done
ls "$d/r" | grep -q tmp && fail "temporary files left: $(ls "$d/r")"
grep -q "^results: $d/r" "$d/out" || fail "the folder is not printed"
grep -q "densest after fill:" "$d/out" || fail "no winners in the summary"

# provenance header
for k in "zpoolbench 0" "compiler:" "cpu:" "kernel:" "codecs: lz4" "date:" "command: zpoolbench run" "corpus t: $pages pages, sha256 "; do
	grep -q "^# .*$k" "$d/r/results.csv" || fail "provenance lacks '$k'"
done
stable="corpus,codec,allocator,workload,pages,same_filled,stored,rejected,compressed_bytes,pool_pages,metadata_bytes,density,effective_ratio,ideal_pages,store_ns_p50,store_ns_p99,load_ns_p50,load_ns_p99,store_mops,load_mops,compact_pages_freed"
header=$(grep -v '^#' "$d/r/results.csv" | head -1)
case "$header" in "$stable",*) ;; *) fail "CSV header does not start with the stable columns: $header" ;; esac

python3 - "$d/r" "$pages" <<'PY' || fail "results check failed"
import csv, json, math, sys
d, pages = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(l for l in open(d + "/results.csv") if not l.startswith("#")))
keys = {(r["corpus"], r["codec"], r["allocator"], r["workload"]) for r in rows}
want = {("t", c, a, w) for c in ("lz4:1", "zstd:3") for a in ("zbud", "zbud:lru=0", "ideal")
        for w in ("fill", "load", "churn")}
assert keys == want and len(rows) == len(want), sorted(keys ^ want)
for r in rows:
    n = lambda k: float(r[k])
    pool = n("pool_pages") * 4096 + n("metadata_bytes")
    assert abs(n("density") - n("compressed_bytes") / pool) < 1e-4, r
    assert abs(n("effective_ratio") - (n("stored") + n("same_filled")) * 4096 / pool) < 1e-4, r
    assert n("ideal_pages") == math.ceil(n("compressed_bytes") / 4096), r
    if r["workload"] == "fill":
        assert n("pages") == pages, r
        assert n("stored") + n("same_filled") + n("rejected") == pages, r
        assert n("same_filled") >= 6, r          # the zero pages
        assert n("store_ns_p50") > 0 and n("store_ns_p50") <= n("store_ns_p99"), r
    if r["workload"] == "load":
        assert n("load_ns_p50") > 0 and n("load_mops") > 0, r
    if r["allocator"] == "ideal":
        assert n("pool_pages") == n("ideal_pages"), r
    if r["allocator"].startswith("zbud"):
        assert n("rejected_poor") >= 4, r         # random pages are stored raw, zbud refuses 4096
j = json.load(open(d + "/results.json"))
assert j["format"] == "zpoolbench-results"
for k in ("zpoolbench", "git", "compiler", "cpu", "kernel", "codecs", "date", "command", "corpora"):
    assert k in j["provenance"], k
assert j["provenance"]["corpora"][0]["pages"] == pages
assert len(j["rows"]) == len(rows)
for k in ("corpus", "codec", "allocator", "workload", "density", "store_ns_p99", "compact_pages_freed"):
    assert k in j["columns"], k
    assert k in j["rows"][0], k
raw = j["rows"][0]["repeats"][0]
assert raw["compressed_bytes"] == j["rows"][0]["compressed_bytes"]
sizes = list(csv.DictReader(l for l in open(d + "/sizes.csv") if not l.startswith("#")))
for c in ("lz4:1", "zstd:3"):
    assert sum(int(s["pages"]) for s in sizes if s["codec"] == c) == pages - 6, c
bounds = list(csv.DictReader(l for l in open(d + "/bounds.csv") if not l.startswith("#")))
zb = [int(b["size"]) for b in bounds if b["allocator"] == "zbud" and b["kind"] == "class"]
assert zb[:3] == [64, 128, 192] and zb[-1] == 3968, zb
assert [int(b["size"]) for b in bounds if b["allocator"] == "zbud" and b["kind"] == "max"] == [3968]
PY

# repeats and threads: spreads bracket the median, 2 threads on one pool still verify
"$ZPB" run --corpus "$d/t.pages" --alloc zbud --codec lz4 --repeat 3 --threads 2 --workload fill,load \
	--out "$d/r2" --no-plots --quiet || fail "repeat/threads run failed"
python3 - "$d/r2" <<'PY' || fail "repeat check failed"
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1] + "/results.csv") if not l.startswith("#")))
for r in rows:
    for k in ("density", "store_mops", "load_mops", "pool_pages"):
        if r[k] == "":  # does not apply (the store rate of a load row): no spread either
            assert r[k + "_min"] == r[k + "_max"] == "", (k, r)
            continue
        assert float(r[k + "_min"]) <= float(r[k]) <= float(r[k + "_max"]), (k, r)
    assert r["threads"] == "2"
    # not applicable is empty, not 0
    if r["workload"] == "load":
        assert r["store_ns_p50"] == "" and r["store_mops"] == "" and r["compact_pages_freed"] == "", r
    if r["workload"] == "fill":
        assert r["load_ns_p99"] == "" and float(r["store_ns_p50"]) > 0, r
PY
grep -q '"repeat": 3' "$d/r2/results.json" || fail "repeat not in the provenance"

# zswap with a small RAM: zbud writes back through the evict callback
"$ZPB" run --corpus "$d/t.pages" --alloc zbud --codec lz4 --workload fill --frontend zswap:ram=80K \
	--out "$d/r3" --no-plots --quiet || fail "zswap run failed"
python3 - "$d/r3" <<'PY' || fail "zswap check failed"
import csv, sys
rows = {r["allocator"]: r for r in csv.DictReader(l for l in open(sys.argv[1] + "/results.csv") if not l.startswith("#"))}
assert int(rows["zbud"]["written_back"]) > 0, rows["zbud"]
assert int(rows["zbud"]["pool_limit_hit"]) > 0, rows["zbud"]
assert int(rows["ideal"]["written_back"]) == 0 and int(rows["ideal"]["rejected_limit"]) > 0
PY

# --format csv|json without --out: the results document on stdout, nothing written, a note
mkdir "$d/cwd"
(cd "$d/cwd" && "$ZPB" run --corpus "$d/t.pages" --alloc zbud --codec lz4 --workload fill --format json \
	> "$d/stdout.json" 2> "$d/stdout.err") || fail "--format json without --out: $(cat "$d/stdout.err")"
grep -q "no --out: the results are on stdout only" "$d/stdout.err" || fail "no note: $(cat "$d/stdout.err")"
"$ZPB" run --corpus "$d/t.pages" --alloc zbud --codec lz4 --workload fill --format csv --out "$d/r5" \
	--no-plots > "$d/stdout.csv" 2> /dev/null || fail "--format csv with --out"
cmp -s "$d/stdout.csv" "$d/r5/results.csv" || fail "the CSV on stdout is not the results.csv of the run"
python3 - "$d/stdout.json" "$d/stdout.csv" "$d/r5/results.csv" <<'PY' || fail "stdout documents"
import csv, json, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "zpoolbench-results" and {r["allocator"] for r in j["rows"]} == {"zbud", "ideal"}, j
a = [l for l in open(sys.argv[2]) if not l.startswith("#")]
b = [l for l in open(sys.argv[3]) if not l.startswith("#")]
assert a[0] == b[0] and len(a) == len(b) == 3, (a, b)
PY
[ -z "$(ls -A "$d/cwd")" ] || fail "--format json without --out wrote $(ls -A "$d/cwd")"

# replay of a size trace as a workload
"$ZPB" run --alloc zbud --trace corpora/example.trace --workload replay --out "$d/r4" --no-plots \
	--quiet || fail "replay workload failed"
grep -q '^example.trace,trace,zbud,replay,' "$d/r4/results.csv" || fail "no replay row"
echo "results files and schema ok"
