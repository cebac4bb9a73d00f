#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run --objects N stores N objects, cycling through the corpus pages (object
# i is page i mod the corpus size), each load and the post-churn pass still
# checked against the right original page; report.md says so.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-objects.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the CSV"; exit 77; }

# 20 pages: 16 of a binary, 4 of zeros
zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/c.pages"
head -c 16384 /dev/zero >> "$d/c.pages"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud,zsmalloc --codec lz4 --objects 50 --out "$d/r" \
	--no-plots --quiet 2> "$d/err" || fail "run --objects failed: $(cat "$d/err")"
python3 - "$d/r/results.csv" <<'PY' || fail "object counts"
import csv, sys
for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")):
    if r["workload"] != "fill":
        continue
    n = lambda k: int(r[k])
    assert n("pages") == 50, r
    # pages 16..19 are zero pages: objects 16-19 and 36-39
    assert n("same_filled") == 8, r
    assert n("stored") + n("same_filled") + n("rejected") == 50, r
PY
grep -q "Each pool stores 50 objects, cycling through the corpus pages" "$d/r/report.md" \
	|| fail "report.md does not say how many objects"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --objects 0 --out "$d/z" 2> "$d/err" && fail "--objects 0 accepted"
grep -q -- "--objects" "$d/err" || fail "--objects 0: $(cat "$d/err")"
echo "objects ok"
