#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run --compact-every N: thread 0 compacts the pool after every N churn
# rounds (a shrinker's compaction), the churn curve shows each compaction,
# pages freed add up in compact_pages_freed, an allocator without compaction
# frees none; results carry the setting; latency maxima are columns.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-compact.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the CSV"; exit 77; }

zstd -qdc corpora/default.pages.zst | head -c 8388608 > "$d/c.pages"
for e in 0 1; do
	"$ZPB" run --corpus "$d/c.pages" --alloc zsmalloc,zblock --codec lz4 --churn-rounds 6 \
		--churn-percent 40 --compact-every $e --out "$d/r$e" --no-plots --quiet --ccache off \
		2> "$d/err" || fail "run --compact-every $e: $(cat "$d/err")"
done
python3 - "$d/r0" "$d/r1" <<'PY' || fail "compaction between rounds"
import csv, json, sys
def rows(d):
    return {(r["allocator"], r["workload"]): r
            for r in csv.DictReader(l for l in open(d + "/results.csv") if not l.startswith("#"))}
def curve(d, alloc):
    return [int(r["pool_pages"]) for r in csv.DictReader(l for l in open(d + "/churn.csv")
            if not l.startswith("#")) if r["allocator"] == alloc]
r0, r1 = rows(sys.argv[1]), rows(sys.argv[2])
z0, z1 = r0[("zsmalloc", "churn")], r1[("zsmalloc", "churn")]
# five compactions between the six rounds free more than the one at the end
assert int(z1["compact_pages_freed"]) > int(z0["compact_pages_freed"]) > 0, (z0, z1)
# zblock has no compaction
assert int(r1[("zblock", "churn")]["compact_pages_freed"]) == 0
# the churn curve gains a point after each of the five compactions
assert len(curve(sys.argv[2], "zsmalloc")) == len(curve(sys.argv[1], "zsmalloc")) + 5
# fills do not depend on it
assert r0[("zsmalloc", "fill")]["pool_pages"] == r1[("zsmalloc", "fill")]["pool_pages"]
# the largest latency is at least p99.9 (a churn has stores and frees, no loads)
for k in ("store_ns_max", "free_ns_max"):
    assert float(z1[k]) >= float(z1[k.replace("max", "p999")]) > 0, (k, z1)
assert z1["load_ns_max"] == "", z1
assert json.load(open(sys.argv[2] + "/results.json"))["provenance"]["compact_every"] == 1
PY
grep -q "compacted every 1 rounds" "$d/r1/report.md" || fail "report.md does not say it"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --compact-every -1 --out "$d/x" 2> "$d/err" &&
	fail "--compact-every -1 accepted"
grep -q -- "--compact-every" "$d/err" || fail "--compact-every -1: $(cat "$d/err")"
echo "compact-every ok"
